"""Click-to-call (issue 17, CC1) and the edges' command queue, against moto: who may click
(an agent only from its own extension), what is refused before anything rings (do-not-call
per contact, the national list for advertising calls, the tenant's outbound rules, no trunk, no edge), another
tenant's contact, and the edge's side (only its tenants' commands, one claim wins, a
repeated claim or report answers the same, expiry, forward-only progress)."""

from __future__ import annotations

from typing import Any

import pytest

from control_plane.commands import service as commands_service

from .conftest import Api
from .test_contacts import _import, contact, user
from .test_resources import trunk

pytestmark = pytest.mark.aws

C2C = "/v1/calls/click-to-call"


class Office:
    def __init__(self, api: Api, domain: str = "acme.probox.vn", did: str = "02873001234") -> None:
        self.tid, self.admin = api.tenant(domain)
        api.extension(self.admin, "101")
        api.extension(self.admin, "102")
        api.assign(self.tid, did)
        self.trunk_id = trunk(api, self.admin)
        r = api.post("/v1/numbers", token=self.admin, body={"number": did, "trunk_id": self.trunk_id})
        assert r.status == 201, r.text
        self.did = did
        self.agent_id, self.agent = user(api, self.admin, f"agent101@{domain}", extension="101")
        _, self.agent_noext = user(api, self.admin, f"agent@{domain}")
        _, self.supervisor = user(api, self.admin, f"sup@{domain}", role="supervisor")


def click(api: Api, token: str, **body: Any) -> Any:
    return api.post(C2C, token=token, body=body)


def test_an_agent_clicks_a_contact_and_an_edge_serving_the_tenant_gets_the_command(api: Api) -> None:
    o = Office(api)
    other = Office(api, "other.probox.vn", "02873009999")
    edge = api.edge("edge-a", tenants=[o.tid])
    foreign_edge = api.edge("edge-b", tenants=[other.tid])
    c = contact(api, o.agent, name="Khách A", numbers=["0912345678"])
    r = click(api, o.agent, contact_id=c["id"])
    assert r.status == 201, r.text
    cmd = r.json
    assert cmd["state"] == "pending" and cmd["extension"] == "101" and cmd["target_kind"] == "number"
    assert cmd["contact_id"] == c["id"] and cmd["target"] == "091****678"  # masked for agents (the default)
    assert api.get(f"{C2C}/{cmd['id']}", token=o.agent).json["state"] == "pending"

    got = api.get("/edge/v1/commands", token=edge)
    assert got.status == 200, got.text
    [e] = got.json["commands"]
    assert e["id"] == cmd["id"] and e["tenant_id"] == o.tid and e["extension"] == "101"
    assert (e["target"], e["trunk_id"], e["caller_id"]) == ("0912345678", o.trunk_id, o.did)  # the tenant's DID
    assert api.get("/edge/v1/commands", token=foreign_edge).json["commands"] == []
    # a foreign edge cannot take or report on it (404: it learns nothing)
    assert api.post(f"/edge/v1/commands/{cmd['id']}/claim", token=foreign_edge).status == 404
    claimed = api.post(f"/edge/v1/commands/{cmd['id']}/claim", token=edge)
    assert claimed.status == 200 and claimed.json["state"] == "claimed" and claimed.json["edge_id"] == "edge-a"
    again = api.post(f"/edge/v1/commands/{cmd['id']}/claim", token=edge)  # idempotent for the winner
    assert again.status == 200 and again.json["state"] == "claimed"
    assert api.get("/edge/v1/commands", token=edge).json["commands"] == []  # not pending any more
    rep = f"/edge/v1/commands/{cmd['id']}/result"
    assert api.post(rep, token=foreign_edge, body={"state": "connected"}).status == 404
    r = api.post(rep, token=edge, body={"state": "agent_answered", "call_id": "c2c-1@edge"})
    assert r.status == 200 and r.json["state"] == "agent_answered"
    assert api.post(rep, token=edge, body={"state": "agent_answered", "call_id": "c2c-1@edge"}).status == 200
    assert api.post(rep, token=edge, body={"state": "connected", "call_id": "c2c-1@edge"}).status == 200
    back = api.post(rep, token=edge, body={"state": "agent_ringing"})  # forward only
    assert back.status == 409, back.text
    seen = api.get(f"{C2C}/{cmd['id']}", token=o.agent).json
    assert seen["state"] == "connected" and seen["call_id"] == "c2c-1@edge"


def test_two_edges_serving_a_tenant_one_claim_wins(api: Api) -> None:
    o = Office(api)
    e1, e2 = api.edge("edge-1", tenants=[o.tid]), api.edge("edge-2", tenants=None)
    r = click(api, o.agent, number="0912 000 111")
    assert r.status == 201, r.text
    cid = r.json["id"]
    assert [c["id"] for c in api.get("/edge/v1/commands", token=e2).json["commands"]] == [cid]
    assert api.post(f"/edge/v1/commands/{cid}/claim", token=e1).status == 200
    lost = api.post(f"/edge/v1/commands/{cid}/claim", token=e2)
    assert lost.status == 409 and lost.json["error"]["code"] == "command_claimed"
    assert api.post(f"/edge/v1/commands/{cid}/result", token=e2, body={"state": "failed"}).status == 409
    assert api.get("/edge/v1/commands", token=e2).json["commands"] == []


def test_a_command_expires_unclaimed(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    o = Office(api)
    edge = api.edge("edge-1", tenants=[o.tid])
    cid = click(api, o.agent, number="0912000111").json["id"]
    later = commands_service._now_s() + commands_service.TTL_S + 1
    monkeypatch.setattr(commands_service, "_now_s", lambda: later)
    assert api.get("/edge/v1/commands", token=edge).json["commands"] == []
    r = api.post(f"/edge/v1/commands/{cid}/claim", token=edge)
    assert r.status == 409 and r.json["error"]["code"] == "command_expired"
    assert api.get(f"{C2C}/{cid}", token=o.agent).json["state"] == "expired"


def test_a_repeated_click_with_the_same_request_id_is_one_command(api: Api) -> None:
    o = Office(api)
    api.edge("edge-1", tenants=[o.tid])
    first = click(api, o.agent, number="0912000111", request_id="click-42")
    second = click(api, o.agent, number="0912000111", request_id="click-42")
    assert (first.status, second.status) == (201, 200) and first.json["id"] == second.json["id"]
    third = click(api, o.agent, number="0912000111", request_id="click-43")
    assert third.status == 201 and third.json["id"] != first.json["id"]


def test_do_not_call_is_refused_with_a_clear_code(api: Api, s3: Any) -> None:
    o = Office(api)
    edge = api.edge("edge-1", tenants=[o.tid])
    c = contact(api, o.admin, name="Không gọi", numbers=["0912000001"], dnc={"call": {"reason": "khách yêu cầu"}})
    for body in ({"contact_id": c["id"]}, {"number": "0912000001"}):
        r = click(api, o.agent, **body)
        assert r.status == 403 and r.json["error"]["code"] == "do_not_call", (body, r.text)
    # SMS-only do-not-call does not stop a call
    sms = contact(api, o.admin, name="Không nhắn tin", numbers=["0912000002"], dnc={"sms": {"reason": "x"}})
    assert click(api, o.agent, contact_id=sms["id"]).status == 201
    # the national do-not-call list
    imp = _import(api, o.admin, "dnc.csv", b"0912000003\n", kind="dnc", source="DNCR")
    assert api.post(f"/v1/contacts/imports/{imp['id']}/commit", token=o.admin).json["created"] == 1
    r = click(api, o.agent, number="0912000003", advertising=True)
    assert r.status == 403 and r.json["error"]["code"] == "do_not_call", r.text
    # nothing refused reached the edge
    assert [x["contact_id"] for x in api.get("/edge/v1/commands", token=edge).json["commands"]] == [sms["id"]]
    # the national list is about advertising: a service call to that customer goes
    assert click(api, o.agent, number="0912000003").status == 201


def test_the_tenants_outbound_rules_and_routes_apply(api: Api) -> None:
    o = Office(api)
    api.edge("edge-1", tenants=[o.tid])
    r = click(api, o.agent, number="19001234")
    assert r.status == 403 and r.json["error"]["code"] == "outbound_refused", r.text
    r = click(api, o.agent, number="+14155550100")
    assert r.status == 403 and r.json["error"]["code"] == "outbound_refused", r.text
    rule = api.post("/v1/blocklist", token=o.admin, body={"pattern": "0988*", "direction": "out"})
    assert rule.status == 201, rule.text
    r = click(api, o.agent, number="0988123456")
    assert r.status == 403 and r.json["error"]["code"] == "outbound_refused", r.text
    # an extension of the tenant is an internal call (no trunk)
    r = click(api, o.agent, number="102")
    assert r.status == 201 and r.json["target_kind"] == "extension" and r.json["target"] == "102", r.text
    r = click(api, o.agent, number="101")
    assert r.status == 400, r.text  # itself
    bare_tid, bare_admin = api.tenant("bare.probox.vn")
    api.extension(bare_admin, "101")
    api.edge("edge-bare", tenants=[bare_tid])
    _, bare_agent = user(api, bare_admin, "a@bare.probox.vn", extension="101")
    r = click(api, bare_agent, number="0912000111")
    assert r.status == 409 and r.json["error"]["code"] == "no_trunk", r.text


def test_no_edge_serves_the_tenant(api: Api) -> None:
    o = Office(api)
    r = click(api, o.agent, number="0912000111")
    assert r.status == 409 and r.json["error"]["code"] == "no_edge", r.text


def test_an_agent_calls_from_its_own_extension_only(api: Api) -> None:
    o = Office(api)
    api.edge("edge-1", tenants=[o.tid])
    r = click(api, o.agent, number="0912000111", extension="102")
    assert r.status == 403 and r.json["error"]["code"] == "not_own_extension", r.text
    assert click(api, o.agent, number="0912000111", extension="101").status == 201
    r = click(api, o.agent_noext, number="0912000111")
    assert r.status == 403 and r.json["error"]["code"] == "no_extension", r.text
    # a supervisor without an extension names the phone to ring; an extension of its own tenant only
    r = click(api, o.supervisor, number="0912000111", extension="102")
    assert r.status == 201 and r.json["extension"] == "102" and r.json["target"] == "0912000111", r.text
    assert click(api, o.supervisor, number="0912000111", extension="555").status == 404
    # an agent cannot read another user's click
    mine = click(api, o.supervisor, number="0912000111", extension="102").json["id"]
    assert api.get(f"{C2C}/{mine}", token=o.agent).status == 404


def test_another_tenants_contact_or_command_is_not_found(api: Api) -> None:
    a, b = Office(api), Office(api, "other.probox.vn", "02873009999")
    api.edge("edge-1", tenants=None)
    theirs = contact(api, b.admin, name="Của B", numbers=["0912000222"])
    r = click(api, a.agent, contact_id=theirs["id"])
    assert r.status == 404, r.text
    r = click(api, a.admin, contact_id=theirs["id"], extension="101")
    assert r.status == 404, r.text
    cid = click(api, b.agent, contact_id=theirs["id"]).json["id"]
    assert api.get(f"{C2C}/{cid}", token=a.admin).status == 404
    # an edge's token is not a user's, and a user's is not an edge's
    assert api.post(C2C, token=api.edge("edge-2", tenants=[a.tid]), body={"number": "0912000111"}).status == 403
    assert api.get("/edge/v1/commands", token=a.admin).status == 403


# --- Vietnam's rules for advertising calls (pbx_core.advertising) ---------------------------------
def _at(monkeypatch: pytest.MonkeyPatch, local: str) -> None:
    """Click-to-call's clock at ``local`` (Asia/Ho_Chi_Minh, the tenant's zone)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    t = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
    monkeypatch.setattr(commands_service, "_now_s", lambda: t)


def test_advertising_calls_only_from_8_to_17_local_time(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    o = Office(api)
    api.edge("edge-1", tenants=[o.tid])
    c = contact(api, o.agent, name="Khách quảng cáo", numbers=["0912000011"])
    for local in ("2026-12-07 07:59:59", "2026-12-07 17:00:00", "2026-12-07 21:30:00"):
        _at(monkeypatch, local)
        r = click(api, o.agent, contact_id=c["id"], advertising=True)
        assert r.status == 403 and r.json["error"]["code"] == "advertising_hours", (local, r.text)
        assert click(api, o.agent, contact_id=c["id"]).status == 201  # a service call goes
    _at(monkeypatch, "2026-12-07 08:00:00")
    assert click(api, o.agent, contact_id=c["id"], advertising=True).status == 201


def test_one_advertising_call_per_person_per_day(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    o = Office(api)
    api.edge("edge-1", tenants=[o.tid])
    c = contact(api, o.agent, name="Khách quảng cáo", numbers=["0912000021", "0987000021"])
    _at(monkeypatch, "2026-12-07 09:00:00")
    assert click(api, o.agent, contact_id=c["id"], advertising=True).status == 201
    _at(monkeypatch, "2026-12-07 16:59:00")
    for body in ({"contact_id": c["id"]}, {"contact_id": c["id"], "number": "0987000021"}, {"number": "0987000021"}):
        r = click(api, o.supervisor, advertising=True, extension="102", **body)  # another agent, another number
        assert r.status == 409 and r.json["error"]["code"] == "advertising_daily_limit", (body, r.text)
    assert click(api, o.agent, contact_id=c["id"]).status == 201  # a service call is not counted
    r = click(api, o.agent, number="0912999999", advertising=True)  # another person: its own day
    assert r.status == 201, r.text
    _at(monkeypatch, "2026-12-08 08:30:00")  # the next day
    assert click(api, o.agent, contact_id=c["id"], advertising=True).status == 201
