"""The edge's security events: the rtimer that applies tenant admins' lifts
(kemi_scripts.firewall.apply_lifts) and the forwarder to the control plane
(edge_node.security_events)."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import httpx
import pytest

from edge_node.security_events import Forwarder
from pbx_core import firewall
from pbx_core.snapshot import TenantConfig, build
from tests.unit.fake_ksr import FakeKSR, use

pytestmark = pytest.mark.unit


def test_a_lift_removes_the_ban_and_its_strikes_once_and_never_a_later_ban(kemi: types.ModuleType) -> None:
    k = use(kemi, FakeKSR())
    fw = kemi.firewall
    k.htables["fwban"] = {
        "198.51.100.7": firewall.Ban("auth_failures", 1, 1000 + 60, "x").encode(),  # banned at 1000
        "203.0.113.9": firewall.Ban("auth_failures", 2, 5000 + 600, "x").encode(),  # banned again at 5000
        "h:ta/102@198.51.100.0/24": firewall.Ban("auth_failures", 1, 1000 + 60).encode(),
        "h:tb/200@198.51.100.0/24": firewall.Ban("auth_failures", 1, 1000 + 60).encode(),
    }
    k.htables["fwstrike"] = {"198.51.100.7": "1", "203.0.113.9": "2"}
    lifts = (("198.51.100.7", 2000), ("203.0.113.9", 2000), ("h:ta/102@198.51.100.0/24", 2000),
             ("h:tb/200@198.51.100.0/24", 2000))  # fmt: skip
    snap = build(1, [TenantConfig(id="ta", domain="a.test", lifted_bans=lifts)])
    applied: set[tuple[str, int]] = set()
    assert fw.apply_lifts(snap, applied) == 2
    assert set(k.htables["fwban"]) == {"203.0.113.9", "h:tb/200@198.51.100.0/24"}  # later ban; another tenant's
    assert k.htables["fwstrike"] == {"203.0.113.9": "2"}
    k.htables["fwban"]["198.51.100.7"] = firewall.Ban("probing", 1, 9000).encode()
    assert fw.apply_lifts(snap, applied) == 0  # done once
    assert "198.51.100.7" in k.htables["fwban"]


def test_the_forwarder_sends_complete_lines_in_order_and_resumes_after_a_failure(tmp_path: Path) -> None:
    spool = tmp_path / "security"
    spool.mkdir()
    events = [{"kind": "ban", "source": f"203.0.113.{i}", "at": i} for i in range(3)]
    (spool / "123.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events[:2]) + '{"kind": "ba')
    got: list[list[dict[str, Any]]] = []
    fail = [True]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/edge/v1/security-events"
        if fail[0]:
            return httpx.Response(503)
        got.append(json.loads(request.content)["events"])
        return httpx.Response(200, json={"results": []})

    http = httpx.Client(base_url="http://cp", transport=httpx.MockTransport(handler))
    assert Forwarder(spool, http).once() == 0  # the control plane is down: nothing marked sent
    fail[0] = False
    fwd = Forwarder(spool, http)
    assert fwd.once() == 2 and got == [events[:2]]  # the half-written line waits
    with (spool / "123.jsonl").open("a") as f:
        f.write('n", "source": "203.0.113.2", "at": 2}\n')
    assert Forwarder(spool, http).once() == 1  # a new process resumes from the saved offset
    assert got[-1] == [events[2]]
    assert Forwarder(spool, http).once() == 0
