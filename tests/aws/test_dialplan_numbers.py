"""Extension numbers and branch prefixes that would make a number unreachable are refused:
emergency numbers, feature codes (*8 group pickup, **<ext> directed pickup), another
extension's short number, short numbers that dial something else, 1800/1900 prefixes.
What is accepted stays reachable through the edge's own routing (pbx_core.routing)."""

from __future__ import annotations

import pytest

from pbx_core import routing
from pbx_core import snapshot as snapmod

from .conftest import Api

pytestmark = pytest.mark.aws


def _branch(api: Api, admin: str, name: str, prefix: str) -> str:
    r = api.post("/v1/branches", token=admin, body={"name": name, "prefix": prefix})
    assert r.status == 201, r.text
    branch_id: str = r.json["id"]
    return branch_id


def _ext(api: Api, admin: str, number: str, branch_id: str = "") -> int:
    return api.post("/v1/extensions", token=admin, body={"number": number, "branch_id": branch_id}).status


@pytest.mark.parametrize("number", ["112", "113", "114", "115"])
def test_emergency_numbers_are_not_extensions(api: Api, number: str) -> None:
    _, admin = api.tenant("a.probox.vn")
    r = api.post("/v1/extensions", token=admin, body={"number": number})
    assert r.status == 400
    assert "emergency number" in r.json["error"]["fields"]["number"]


@pytest.mark.parametrize("number", ["*8", "**101", "#1", "*101"])
def test_feature_codes_are_not_extensions(api: Api, number: str) -> None:
    _, admin = api.tenant("a.probox.vn")
    r = api.post("/v1/extensions", token=admin, body={"number": number})
    assert r.status == 400
    assert "feature codes" in r.json["error"]["fields"]["number"]


@pytest.mark.parametrize(("prefix", "why"), [("1800", "toll-free"), ("1900", "toll-free"), ("*8", "feature codes")])
def test_service_number_and_feature_code_prefixes_are_refused(api: Api, prefix: str, why: str) -> None:
    _, admin = api.tenant("a.probox.vn")
    r = api.post("/v1/branches", token=admin, body={"name": "X", "prefix": prefix})
    assert r.status == 400 and why in r.json["error"]["fields"]["prefix"]
    br = _branch(api, admin, "X", "7")
    r = api.request("PATCH", f"/v1/branches/{br}", token=admin, body={"prefix": prefix})
    assert r.status == 400 and "prefix" in r.json["error"]["fields"]


def test_an_extension_may_not_take_another_ones_short_number(api: Api) -> None:
    _, admin = api.tenant("a.probox.vn")
    hq = _branch(api, admin, "HQ", "8")
    assert _ext(api, admin, "101", hq) == 201
    r = api.post("/v1/extensions", token=admin, body={"number": "8101"})
    assert r.status == 409
    assert "short number of extension 101" in r.json["error"]["fields"]["number"]
    assert _ext(api, admin, "8102") == 201  # 102 is not in branch 8: no clash
    assert _ext(api, admin, "9101") == 201


def test_short_numbers_must_not_dial_something_else(api: Api) -> None:
    _, admin = api.tenant("a.probox.vn")
    assert _ext(api, admin, "8101") == 201
    hq = _branch(api, admin, "HQ", "8")
    one = _branch(api, admin, "One", "1")
    r = api.post("/v1/extensions", token=admin, body={"number": "101", "branch_id": hq})
    assert r.status == 409 and "is extension 8101" in r.json["error"]["fields"]["branch_id"]
    r = api.post("/v1/extensions", token=admin, body={"number": "12", "branch_id": one})
    assert r.status == 409 and "emergency number" in r.json["error"]["fields"]["branch_id"]
    # moving an existing extension into such a branch: the same answer
    assert _ext(api, admin, "101") == 201
    r = api.request("PATCH", "/v1/extensions/101", token=admin, body={"branch_id": hq})
    assert r.status == 409 and "branch_id" in r.json["error"]["fields"]
    assert _ext(api, admin, "13") == 201
    r = api.request("PATCH", "/v1/extensions/13", token=admin, body={"branch_id": one})
    assert r.status == 409 and "emergency" in r.json["error"]["fields"]["branch_id"]


def test_a_prefix_change_may_not_break_its_members(api: Api) -> None:
    _, admin = api.tenant("a.probox.vn")
    assert _ext(api, admin, "8101") == 201
    south = _branch(api, admin, "South", "9")
    assert _ext(api, admin, "101", south) == 201
    assert _ext(api, admin, "15", south) == 201
    r = api.request("PATCH", f"/v1/branches/{south}", token=admin, body={"prefix": "8"})
    assert r.status == 409 and "is extension 8101" in r.json["error"]["fields"]["prefix"]
    r = api.request("PATCH", f"/v1/branches/{south}", token=admin, body={"prefix": "1"})
    assert r.status == 409 and "emergency" in r.json["error"]["fields"]["prefix"]
    r = api.request("PATCH", f"/v1/branches/{south}", token=admin, body={"prefix": "7"})
    assert r.status == 200


def test_what_is_accepted_is_reachable_at_the_edge(api: Api) -> None:
    tid, admin = api.tenant("a.probox.vn")
    hq = _branch(api, admin, "HQ", "8")
    south = _branch(api, admin, "South", "9")
    attempts = [
        ("101", hq),
        ("102", south),
        ("8101", ""),  # refused: HQ's 101 short number
        ("9102", ""),  # refused: South's 102 short number
        ("8102", ""),  # fine: 102 is not in HQ
        ("103", ""),
        ("112", ""),  # refused: emergency
    ]
    accepted = {n: b for n, b in attempts if _ext(api, admin, n, b) == 201}
    assert set(accepted) == {"101", "102", "8102", "103"}
    edge = api.edge()
    snap = snapmod.from_dict(api.get("/edge/v1/snapshot", token=edge).json)
    tenant = snap.tenants[tid]
    prefixes = {hq: "8", south: "9"}
    for number, branch in accepted.items():
        assert routing.internal_target(tenant, number) == number
        if branch:
            assert routing.internal_target(tenant, prefixes[branch] + number) == number
