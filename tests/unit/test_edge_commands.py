"""Click-to-call on the edge (issue 17): the agent's command loop against a fake API, the
spool hand-over between the agent and the workers, and the CDR's optional contact."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from edge_node import commands as cmds
from pbx_core import cdr as cdrmod
from pbx_core import snapshot as snapmod
from pbx_core.bridge import BridgeRecord, CallSetup
from pbx_core.errors import ValidationError

CMD = "cmd_" + "a1" * 12


def _command(**kw: Any) -> dict[str, Any]:
    doc = {
        "id": CMD, "kind": "click_to_call", "tenant_id": "t_1", "extension": "101", "target": "0912345678",
        "target_kind": "number", "trunk_id": "tr_1", "caller_id": "02873001234", "contact_id": "ct_0123456789ab",
        "created_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-01T00:01:00Z", "state": "claimed",
    }  # fmt: skip
    doc.update(kw)
    return doc


class FakeApi:
    def __init__(self, pending: list[dict[str, Any]], claim_status: int = 200) -> None:
        self.pending, self.claim_status = pending, claim_status
        self.calls: list[tuple[str, str, Any]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.method, request.url.path, body))
        if request.url.path == "/edge/v1/commands":
            return httpx.Response(200, json={"commands": self.pending})
        if request.url.path.endswith("/claim"):
            if self.claim_status != 200:
                return httpx.Response(self.claim_status, json={"code": "command_claimed"})
            return httpx.Response(200, json=self.pending[0])
        if request.url.path.endswith("/result"):
            return httpx.Response(200, json=_command(state=body["state"]))
        return httpx.Response(404)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url="http://api", transport=httpx.MockTransport(self.handler))


def _snapshot(path: Path, record: bool = True) -> None:
    tenant = snapmod.TenantConfig(id="t_1", domain="acme.probox.vn", extensions={}, record_calls=record)
    path.write_text(snapmod.build(1, [tenant], "edge-1").to_json())


def _loop(tmp_path: Path, api: FakeApi) -> cmds.CommandLoop:
    client = api.client()
    cmds.ensure_dirs(tmp_path / "spool")
    return cmds.CommandLoop(tmp_path / "spool", tmp_path / "snapshot.json", http=lambda: client)


def test_the_agent_claims_and_hands_the_command_to_one_worker_with_its_snapshots_domain(tmp_path: Path) -> None:
    _snapshot(tmp_path / "snapshot.json", record=False)
    api = FakeApi([_command(state="pending")])
    loop = _loop(tmp_path, api)
    loop.step()
    loop.step()  # the same command in the inbox again: not claimed twice
    assert [c[1] for c in api.calls].count(f"/edge/v1/commands/{CMD}/claim") == 1
    spool = tmp_path / "spool"
    [taken] = cmds.take(spool, "w1")
    assert cmds.take(spool, "w2") == []  # one worker only
    assert (taken.domain, taken.extension, taken.target, taken.record) == ("acme.probox.vn", "101", "0912345678", False)
    assert (taken.trunk_id, taken.caller_id, taken.contact_id) == ("tr_1", "02873001234", "ct_0123456789ab")


def test_the_workers_reports_are_posted_in_order_then_removed(tmp_path: Path) -> None:
    _snapshot(tmp_path / "snapshot.json")
    api = FakeApi([])
    loop = _loop(tmp_path, api)
    spool = tmp_path / "spool"
    for state in ("agent_ringing", "agent_answered", "connected"):
        cmds.report(spool, CMD, state, call_id="abc@w1")
    loop.post_results()
    posted = [(c[2]["state"], c[2]["call_id"]) for c in api.calls if c[1].endswith("/result")]
    assert posted == [("agent_ringing", "abc@w1"), ("agent_answered", "abc@w1"), ("connected", "abc@w1")]
    assert list(cmds.results_dir(spool).iterdir()) == []


def test_a_tenant_the_edge_does_not_serve_fails_the_command(tmp_path: Path) -> None:
    _snapshot(tmp_path / "snapshot.json")
    api = FakeApi([_command(state="pending", tenant_id="t_other")])
    loop = _loop(tmp_path, api)
    loop.step()
    assert cmds.take(tmp_path / "spool", "w1") == []
    failed = [c[2] for c in api.calls if c[1].endswith("/result")]
    assert failed == [{"state": "failed", "call_id": "", "reason": "tenant_not_on_edge"}]


def test_a_command_no_worker_takes_fails_as_no_worker(tmp_path: Path) -> None:
    _snapshot(tmp_path / "snapshot.json")
    api = FakeApi([_command(state="pending")])
    loop = _loop(tmp_path, api)
    loop.step()
    loop.fail_untaken(loop.dropped[CMD] + cmds.UNTAKEN_S + 1)
    loop.post_results()
    assert [c[2]["reason"] for c in api.calls if c[1].endswith("/result")] == ["no_worker"]
    assert cmds.take(tmp_path / "spool", "w1") == []


def test_a_command_another_edge_claimed_is_left_alone(tmp_path: Path) -> None:
    _snapshot(tmp_path / "snapshot.json")
    api = FakeApi([_command(state="pending")], claim_status=409)
    _loop(tmp_path, api).step()
    assert cmds.take(tmp_path / "spool", "w1") == []


@pytest.mark.parametrize(
    "bad", [{"target": "sip:evil@x"}, {"extension": "101;x"}, {"domain": "a b"}, {"target_kind": "trunk"}, {"id": "x"}]
)
def test_a_worker_refuses_an_unusable_command(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        cmds.Originate.from_dict({**_command(domain="acme.probox.vn"), **bad})


def test_the_cdr_names_the_click_to_call_contact_and_old_cdrs_stay_valid() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    setup = CallSetup("t_1", "101", "0912345678", "outbound", True, contact_id="ct_0123456789ab")
    rec = (
        BridgeRecord(setup=setup, call_id="c1", started_at=t0)
        .answered(t0)
        .ended(t0 + timedelta(seconds=5), 200, "caller")
    )
    doc = rec.to_cdr(edge_id="e", worker_id="w", recorded=False).to_dict()
    assert doc["contact_id"] == "ct_0123456789ab"
    assert cdrmod.from_dict(doc).contact_id == "ct_0123456789ab"
    del doc["contact_id"]  # a CDR from before issue 17
    assert cdrmod.from_dict(doc).contact_id == ""
    with pytest.raises(ValidationError):
        cdrmod.from_dict({**doc, "contact_id": "DROP TABLE"})
    assert BridgeRecord.from_journal(rec.to_journal()).setup.contact_id == "ct_0123456789ab"
