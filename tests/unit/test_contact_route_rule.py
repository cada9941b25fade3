"""The one rule of the edges' contact routes (``pbx_core.contact_routes``): an owner or a
tag ``vip`` (any case) makes a contact's numbers route; changes between two states."""

from __future__ import annotations

import pytest

from pbx_core import contact_routes as rule

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("tags", "vip"),
    [
        (["vip"], True),
        (["VIP"], True),
        ([" Vip "], True),
        (["bán lẻ", "vIp"], True),
        (["vip1"], False),
        (["very important"], False),
        (["v.i.p"], False),
        ([], False),
    ],
)
def test_what_makes_a_vip(tags: list[str], vip: bool) -> None:
    assert rule.is_vip(tags) is vip


def test_routes_of_a_contact() -> None:
    assert rule.routes(["0912000001", "0912000002"], "usr_1", []) == {
        "0912000001": ("usr_1", False),
        "0912000002": ("usr_1", False),
    }
    assert rule.routes(["0912000001"], "", ["VIP"]) == {"0912000001": ("", True)}
    assert rule.routes(["0912000001"], "", ["hcm"]) == {}  # nothing special: no route
    assert rule.route("", []) is None


def test_changes_between_two_states() -> None:
    before = {"01": ("u", False), "02": ("u", False)}
    after = {"01": ("u", True), "03": ("u", True)}
    assert rule.changes(before, after) == [("01", ("u", True)), ("02", None), ("03", ("u", True))]
    assert rule.changes(before, before) == []
    assert rule.changes({}, {}) == []
