"""Routing by owner and VIP first (issue 17 item 4) on the real stack: moto, chalice local,
the edge agent (which syncs the tenant's contact routes into the edge's SQLite file),
Kamailio and a pjsua2 worker; a SIPp carrier on the tenant's trunk calls the tenant's DID;
baresip phones are the extensions.

* A customer whose contact is owned by the user of extension 101 calls the DID routed to 102:
  101 rings first (102 does not ring) and takes the call; the CDR's callee is 101.
* The owner lets it ring: after the owner's ring time (the stack's ring timeout, 8 s, is
  shorter than the product's 15 s) the call goes where the DID routes it, 102, which answers.
* Two customers wait in a queue whose only agent is paused; the one who called second is a
  VIP contact: when the agent is ready, the VIP is offered first.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from edge_node.contact_routes import ContactRoute, ContactRoutes, path_beside
from infra.local_stack import Stack, Tenant
from infra.procs import free_port
from tests.harness.sipp import SippRun, start_sipp
from tests.integration.checks import wait_cdr_where
from tests.integration.conftest import new_phone
from tests.integration.phones import Phone

pytestmark = pytest.mark.integration

DID, QUEUE_DID = "02873006001", "02873006002"
OWNED, OWNED_2, PLAIN, VIP = "0901230001", "0901230002", "0901230003", "0901230004"
OWNER_HZ, TARGET_HZ, AGENT_HZ = 440.0, 1000.0, 700.0


class Office:
    def __init__(self, tenant: Tenant, queue_id: str) -> None:
        self.tenant, self.queue_id = tenant, queue_id


@pytest.fixture(scope="module")
def office(stack: Stack) -> Iterator[Office]:
    t = stack.create_tenant(
        "Owner Co", "owner.probox.test", ["101", "102", "103"], plan="CC-10", allow_private_trunk_hosts=True
    )
    stack.create_user(t, f"sales101@{t.domain}", "agent", extension="101")
    stack.create_user(t, f"agent103@{t.domain}", "agent", extension="103")
    with stack.api() as provider:
        provider.post(f"/v1/tenants/{t.id}/numbers", json={"numbers": [DID, QUEUE_DID]}).raise_for_status()
    with stack.api(t.admin_token) as api:
        trunk = {"name": "Carrier", "host": "127.0.0.1", "port": free_port("udp"), "auth": "ip", "ips": ["127.0.0.1"]}
        r = api.post("/v1/trunks", json=trunk)
        assert r.status_code == 201, r.text
        trunk_id = r.json()["id"]
        r = api.post(
            "/v1/queues",
            json={
                "name": "CSKH", "number": "600", "strategy": "linear", "members": [{"extension": "103"}],
                "ring_timeout_s": 10, "retry_s": 0, "wrapup_s": 0, "autopause_after": 0, "announce_every_s": 0,
                "max_wait_s": 120, "join_empty": True, "leave_when_empty": False, "language": "vi",
            },
        )  # fmt: skip
        assert r.status_code == 201, r.text
        qid = str(r.json()["id"])
        for number, route_to in ((DID, "102"), (QUEUE_DID, "600")):
            r = api.post("/v1/numbers", json={"number": number, "trunk_id": trunk_id, "route_to": route_to})
            assert r.status_code == 201, r.text
        [owner_id] = [u["id"] for u in api.get("/v1/users").json()["items"] if u["email"] == f"sales101@{t.domain}"]
        for body in (
            {"name": "Khách của 101", "numbers": [OWNED, OWNED_2], "owner": owner_id},
            {"name": "Khách VIP", "numbers": [VIP], "tags": ["VIP"]},
            {"name": "Khách thường", "numbers": [PLAIN]},
        ):
            r = api.post("/v1/contacts", json=body)
            assert r.status_code == 201, r.text
        r = api.put("/v1/agents/103/status", json={"status": "paused", "reason": "test"})
        assert r.status_code == 200, r.text
    stack.wait_snapshot(
        lambda s: any(
            x["id"] == t.id and x.get("queues") and x.get("user_extensions", {}).get(owner_id) == "101"
            for x in s.get("tenants", [])
        )
    )
    # the agent syncs the contact routes into the edge's file within its interval
    routes = ContactRoutes(path_beside(stack.cfg.snapshot_path))
    deadline = time.monotonic() + 20
    want = {OWNED: ContactRoute(owner_id, False), VIP: ContactRoute("", True)}
    while {n: routes.lookup(t.id, n) for n in want} != want:
        assert time.monotonic() < deadline, {n: routes.lookup(t.id, n) for n in want}
        time.sleep(0.3)
    assert routes.lookup(t.id, PLAIN) is None
    routes.close()
    yield Office(t, qid)


def _carrier(stack: Stack, tmp: Path, did: str, caller: str, hold_ms: int, name: str) -> SippRun:
    work = tmp / name
    work.mkdir()
    return start_sipp(
        "carrier_uac.xml",
        (stack.cfg.host, stack.cfg.sip_port),
        work,
        rows=[[did, caller]],
        params={"HOLD_MS": hold_ms},
        timeout_s=60,
    )


def _no_ring(phone: Phone, since: int) -> None:
    assert not [e for e in phone.events[since:] if e.get("type") == "CALL_INCOMING"], "it rang"


def test_a_known_customer_rings_the_contacts_owner_first(
    stack: Stack, office: Office, phones: list[Phone], tmp_path: Path
) -> None:
    t = office.tenant
    owner = new_phone(phones, tmp_path, stack, t, "101", OWNER_HZ)
    target = new_phone(phones, tmp_path, stack, t, "102", TARGET_HZ)
    for p in (owner, target):
        assert p.wait_registered()["type"] == "REGISTER_OK"
    m_owner, m_target = owner.mark(), target.mark()
    sipp = _carrier(stack, tmp_path, DID, OWNED_2, 2000, "owned")
    try:
        ring = owner.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=15, since=m_owner)
        assert ring["peeruri"].startswith(f"sip:{OWNED_2}@"), ring
        est = owner.wait_event("CALL_ESTABLISHED", timeout=10, since=m_owner)
        owner.wait_event("CALL_CLOSED", timeout=15, since=m_owner)
        result = sipp.result(wait=20)
    finally:
        sipp.stop()
    assert result.ok, result.describe()
    _no_ring(target, m_target)
    assert est["peeruri"].startswith(f"sip:{OWNED_2}@"), est
    cdr = wait_cdr_where(stack, t, lambda c: c["caller"] == OWNED_2, timeout=20)
    assert (cdr["caller"], cdr["callee"], cdr["direction"]) == (OWNED_2, "101", "inbound"), cdr
    assert cdr["disposition"] == "answered" and cdr["chain"] == ["owner:101"], cdr


def test_when_the_owner_does_not_answer_the_call_goes_where_its_number_routes(
    stack: Stack, office: Office, phones: list[Phone], tmp_path: Path
) -> None:
    t = office.tenant
    owner = new_phone(phones, tmp_path, stack, t, "101", OWNER_HZ, answermode="manual")
    target = new_phone(phones, tmp_path, stack, t, "102", TARGET_HZ)
    for p in (owner, target):
        assert p.wait_registered()["type"] == "REGISTER_OK"
    m_owner, m_target = owner.mark(), target.mark()
    sipp = _carrier(stack, tmp_path, DID, OWNED, 2000, "owner-away")
    try:
        ring_owner = owner.wait_event("CALL_INCOMING", timeout=15, since=m_owner)
        ring_target = target.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=25, since=m_target)
        owner.wait_event("CALL_CLOSED", timeout=10, since=m_owner)  # the owner's phone stops ringing
        target.wait_event("CALL_ESTABLISHED", timeout=10, since=m_target)
        target.wait_event("CALL_CLOSED", timeout=15, since=m_target)
        result = sipp.result(wait=20)
    finally:
        sipp.stop()
    assert result.ok, result.describe()
    gap = ring_target["_t"] - ring_owner["_t"]
    assert 7.0 <= gap <= 12.0, f"102 rang {gap:.1f} s after the owner (owner's ring time: 8 s here)"
    assert not [e for e in owner.events[m_owner:] if e.get("type") == "CALL_ESTABLISHED"]
    cdr = wait_cdr_where(stack, t, lambda c: c["caller"] == OWNED, timeout=20)
    assert (cdr["callee"], cdr["disposition"]) == ("102", "answered"), cdr
    assert cdr["chain"] == ["owner:101", "owner_noanswer:101"], cdr


def test_a_vip_customer_goes_ahead_in_the_queue(
    stack: Stack, office: Office, phones: list[Phone], tmp_path: Path
) -> None:
    t = office.tenant
    agent = new_phone(phones, tmp_path, stack, t, "103", AGENT_HZ)
    assert agent.wait_registered()["type"] == "REGISTER_OK"
    m = agent.mark()
    plain = _carrier(stack, tmp_path, QUEUE_DID, PLAIN, 25_000, "plain")
    vip: SippRun | None = None
    try:
        time.sleep(2.0)  # the plain customer waits first
        vip = _carrier(stack, tmp_path, QUEUE_DID, VIP, 12_000, "vip")
        time.sleep(2.0)
        _no_ring(agent, m)  # paused: nobody offered yet
        with stack.api(t.admin_token) as api:
            r = api.put("/v1/agents/103/status", json={"status": "ready"})
            assert r.status_code == 200, r.text
        first = agent.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=20, since=m)
        assert first["peeruri"].startswith(f"sip:{VIP}@"), f"offered first: {first['peeruri']}"
        agent.wait_event("CALL_CLOSED", timeout=20, since=m)  # the VIP hangs up after its hold
        m2 = agent.mark()
        second = agent.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=20, since=m2)
        assert second["peeruri"].startswith(f"sip:{PLAIN}@"), second
        r_vip = vip.result(wait=30)
        r_plain = plain.result(wait=40)
    finally:
        plain.stop()
        if vip is not None:
            vip.stop()
        with stack.api(t.admin_token) as api:
            api.put("/v1/agents/103/status", json={"status": "paused", "reason": "test"})
    assert r_vip.ok, r_vip.describe()
    assert r_plain.ok, r_plain.describe()
