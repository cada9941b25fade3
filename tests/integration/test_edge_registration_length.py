"""How long a phone's registration lasts (``KamailioSettings.max_expires``), on the real
Kamailio: a phone asking for more than the edge allows gets the edge's limit in the 200 OK,
and an edge configured for longer registrations grants them (Bench 9's SIPp callee, which
cannot re-register, needs one longer than its hour of calls)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infra.procs import free_port
from tests.harness.kamailio import edge_node, snapshot, tenant
from tests.harness.sipp import header, register_phone

pytestmark = pytest.mark.integration

A = "acme.test"
PW = {"101": "acme-secret-101"}


def _granted(tmp_path: Path, asked: int, **settings: object) -> int:
    """The expires the edge's 200 OK gives the phone's Contact."""
    with edge_node(tmp_path, snapshot(1, [tenant("t-acme", A, PW)]), **settings) as node:
        r = register_phone(node.target, tmp_path / "reg", "101", A, PW["101"], free_port(), expires=asked)
        assert r.ok, node.why(r)
        ok = [m for m in r.received() if m.startswith("SIP/2.0 200")]
        assert ok, node.why(r)
        contacts = header(ok[-1], "Contact")
        m = re.search(r"expires=(\d+)", " ".join(contacts))
        assert m, contacts
        return int(m.group(1))  # the node, and with it the registration, ends with the block


def test_a_phone_asking_for_more_than_an_hour_gets_an_hour(tmp_path: Path) -> None:
    assert _granted(tmp_path, 7200) == 3600


def test_an_edge_set_for_longer_registrations_grants_them(tmp_path: Path) -> None:
    assert _granted(tmp_path, 7200, max_expires=7200) == 7200
