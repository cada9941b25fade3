"""F5 call pickup and F3 attended transfer with real phones (baresip; linphonec where
baresip cannot do a step), the real edge and the real worker: who rings, who talks to
whom afterwards (tones), and what the CDR and the recording say."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from infra.local_stack import Stack, Tenant
from infra.procs import free_port
from tests.harness.sipp import header, start_sipp
from tests.integration.checks import assert_tone, live_events, recording_channels, wait_cdr, wait_cdr_where
from tests.integration.conftest import new_phone
from tests.integration.linphone import Linphone
from tests.integration.phones import Phone, active_seconds, read_channels

pytestmark = pytest.mark.integration

CALLER_HZ = 440.0
CALLEE_HZ = 1000.0
PICKER_HZ = 700.0


def _groups(stack: Stack, tenant: Tenant, groups: dict[str, str]) -> None:
    with stack.api(tenant.admin_token) as api:
        for number, group in groups.items():
            r = api.patch(f"/v1/extensions/{number}", json={"pickup_group": group})
            assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def office(stack: Stack) -> Tenant:
    """101-103 in pickup group "sales", 104 in "support"."""
    t = stack.create_tenant("Pickup Co", "pickup.probox.test", ["101", "102", "103", "104"])
    _groups(stack, t, {"101": "sales", "102": "sales", "103": "sales", "104": "support"})
    stack.wait_snapshot(
        lambda s: any(
            x["id"] == t.id and {e.get("pickup_group") for e in x["extensions"]} == {"sales", "support"}
            for x in s.get("tenants", [])
        )
    )
    return t


@pytest.fixture(scope="module")
def neighbour(stack: Stack) -> Tenant:
    """Another company with the same numbers and the same group name."""
    t = stack.create_tenant("Neighbour Co", "neighbour.probox.test", ["101", "103"])
    _groups(stack, t, {"101": "sales", "103": "sales"})
    stack.wait_snapshot(
        lambda s: any(
            x["id"] == t.id and {e.get("pickup_group") for e in x["extensions"]} == {"sales"}
            for x in s.get("tenants", [])
        )
    )
    return t


@pytest.fixture
def ringing(stack: Stack, office: Tenant, phones: list[Phone], tmp_path: Path) -> Iterator[tuple[Phone, Phone, dict]]:
    """101 calls 102, whose phone rings and is not answered."""
    a = new_phone(phones, tmp_path, stack, office, "101", CALLER_HZ)
    b = new_phone(phones, tmp_path, stack, office, "102", CALLEE_HZ, answermode="manual")
    for p in (a, b):
        assert p.wait_registered()["type"] == "REGISTER_OK"
    m = a.dial(f"sip:102@{office.domain}")
    b.wait_event("CALL_INCOMING", timeout=10)
    a.wait_event("CALL_RINGING", timeout=10, since=m)
    call = {"mark": m}
    yield a, b, call


def _closed_reason(p: Phone, since: int) -> str:
    ev = p.wait_event("CALL_CLOSED", timeout=10, since=since)
    return str(ev.get("param", ""))


@pytest.mark.parametrize("code", ["*8", "**102"])
def test_pickup_answers_a_colleagues_ringing_call(
    stack: Stack, office: Tenant, phones: list[Phone], tmp_path: Path, ringing: tuple[Phone, Phone, dict], code: str
) -> None:
    a, b, call = ringing
    c = new_phone(phones, tmp_path, stack, office, "103", PICKER_HZ)
    assert c.wait_registered()["type"] == "REGISTER_OK"
    mb = b.mark()
    mc = c.dial(f"sip:{code}@{office.domain}")
    c.wait_event("CALL_ESTABLISHED", timeout=10, since=mc)
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=call["mark"])
    b.wait_event("CALL_CLOSED", timeout=10, since=mb)  # the ringing phone stops ringing
    assert not [e for e in b.events if e.get("type") == "CALL_ESTABLISHED"], "102 was connected too"
    time.sleep(3.0)
    h = a.hangup()
    a.wait_event("CALL_CLOSED", timeout=10, since=h)
    c.wait_event("CALL_CLOSED", timeout=10, since=mc)

    (heard_a,), ra = read_channels(a.heard())
    (heard_c,), rc = read_channels(c.heard())
    assert_tone(heard_a, ra, PICKER_HZ, CALLEE_HZ, "caller heard the picker")
    assert_tone(heard_c, rc, CALLER_HZ, CALLEE_HZ, "picker heard the caller")

    cdr = wait_cdr(stack, office, est["id"])
    assert cdr["disposition"] == "answered" and cdr["caller"] == "101" and cdr["callee"] == "102"
    assert cdr["chain"] == ["pickup:103"]
    # The live view (issue 15): it rang at 102, 103 picked it up, 101 talked with 103.
    events = [e for e in live_events(stack, office, est["id"]) if e["kind"] != "recording.ready"]
    assert [e["kind"] for e in events] == ["call.ringing", "call.picked_up", "call.answered", "call.ended"]
    assert events[0]["legs"][1]["to"] == "102" and events[1]["by"] == "103"
    assert [(leg["from"], leg["to"]) for leg in events[-1]["legs"]] == [("101", "103")] * 2
    left, right, rate = recording_channels(stack, cdr["recording_key"], tmp_path)
    assert abs(len(left) / rate - cdr["duration_s"]) < 1.0
    assert_tone(left, rate, CALLER_HZ, PICKER_HZ, "recording left (caller)")
    assert_tone(right, rate, PICKER_HZ, CALLER_HZ, "recording right (the picker)")


def test_pickup_outside_the_group_or_tenant_is_refused_and_the_phone_keeps_ringing(
    stack: Stack,
    office: Tenant,
    neighbour: Tenant,
    phones: list[Phone],
    tmp_path: Path,
    ringing: tuple[Phone, Phone, dict],
) -> None:
    a, b, call = ringing
    d = new_phone(phones, tmp_path, stack, office, "104", PICKER_HZ)  # group "support"
    x = new_phone(phones, tmp_path, stack, neighbour, "103", PICKER_HZ)  # same group name, other company
    for p in (d, x):
        assert p.wait_registered()["type"] == "REGISTER_OK"
    for phone, code, want in (
        (d, "*8", "480"),  # nothing rings in "support"
        (d, "**102", "403"),  # 102 is not in its group
        (x, "*8", "480"),  # the neighbour's group "sales" has nothing ringing
        (x, "**102", "404"),  # no 102 over there
    ):
        m = phone.dial(f"sip:{code}@{phone.domain}")
        reason = _closed_reason(phone, m)
        assert reason.startswith(want), (phone.user, phone.domain, code, reason)
    assert not [e for e in b.events if e.get("type") == "CALL_CLOSED"], "the ringing phone stopped ringing"
    b.command("accept")
    b.wait_event("CALL_ESTABLISHED", timeout=10)
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=call["mark"])
    a.hangup()
    cdr = wait_cdr(stack, office, est["id"])
    assert cdr["chain"] == [] and cdr["disposition"] == "answered"


def test_pickup_after_the_call_was_answered_finds_nothing(
    stack: Stack, office: Tenant, phones: list[Phone], tmp_path: Path, ringing: tuple[Phone, Phone, dict]
) -> None:
    a, b, call = ringing
    b.command("accept")
    b.wait_event("CALL_ESTABLISHED", timeout=10)
    a.wait_event("CALL_ESTABLISHED", timeout=10, since=call["mark"])
    c = new_phone(phones, tmp_path, stack, office, "103", PICKER_HZ)
    assert c.wait_registered()["type"] == "REGISTER_OK"
    m = c.dial(f"sip:*8@{office.domain}")
    assert _closed_reason(c, m).startswith("480")
    mb = b.mark()
    time.sleep(1.0)
    assert not [e for e in b.events[mb:] if e.get("type") == "CALL_CLOSED"], "the answered call was cut"
    a.hangup()


TARGET_HZ = 700.0


@pytest.fixture
def linphones(tmp_path: Path) -> Iterator[list[Linphone]]:
    started: list[Linphone] = []
    yield started
    for p in started:
        p.stop()


def test_attended_transfer_joins_the_caller_and_the_target(
    stack: Stack, demo: Tenant, phones: list[Phone], linphones: list[Linphone], tmp_path: Path
) -> None:
    a = new_phone(phones, tmp_path, stack, demo, "101", CALLER_HZ)
    c = new_phone(phones, tmp_path, stack, demo, "103", TARGET_HZ)
    b = Linphone(tmp_path, "102", demo.domain, demo.password("102"), (stack.cfg.host, stack.cfg.sip_port), CALLEE_HZ)
    linphones.append(b.start())
    for p in (a, c):
        assert p.wait_registered()["type"] == "REGISTER_OK"
    b.registered()
    m = a.dial(f"sip:102@{demo.domain}")
    est1 = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    b.wait_for(r"Media streams established .* for call 1", timeout=10)
    time.sleep(1.0)
    # 102 consults 103 (the first call goes on hold), then joins 101 and 103.
    mb = b.mark()
    b.command("pause 1")
    b.wait_for(r"[Cc]all 1 .*paused|paused", timeout=10, since=mb)
    # (linphonec sends calls to the Request-URI's host: name the edge itself)
    b.command(f"call sip:103@{stack.cfg.host}:{stack.cfg.sip_port}")
    c.wait_event("CALL_ESTABLISHED", timeout=10)
    t_consult = time.time()
    b.wait_for(r"Media streams established .* for call 2", timeout=10, since=mb)
    time.sleep(1.0)
    mc = c.mark()
    b.command("transfer 1 --to-call 2")
    b.wait_for(r"has been transfered", timeout=10, since=mb)
    t_transfer = time.monotonic()
    # 101 and 103 now talk; 102 is out of both calls.
    b.wait_for(r"Call 1 .* ended", timeout=10, since=mb)
    b.wait_for(r"Call 2 .* ended", timeout=10, since=mb)
    time.sleep(3.0)
    assert not [e for e in a.events[m:] if e.get("type") == "CALL_CLOSED"], "the transferred caller was cut"
    assert not [e for e in c.events[mc:] if e.get("type") == "CALL_CLOSED"], "the transfer target was cut"
    h = a.hangup()
    after_transfer_s = time.monotonic() - t_transfer
    a.wait_event("CALL_CLOSED", timeout=10, since=h)
    c.wait_event("CALL_CLOSED", timeout=10, since=mc)  # 101 hanging up reaches 103

    (heard_a,), rate = read_channels(a.heard())
    assert_tone(heard_a[-2 * rate :], rate, TARGET_HZ, CALLER_HZ, "caller heard the target after the transfer")
    (heard_c,), rate = read_channels(c.heard())
    assert_tone(heard_c[-2 * rate :], rate, CALLER_HZ, TARGET_HZ, "target heard the caller after the transfer")

    # The caller's call goes on in its CDR and recording, with the target on the right.
    cdr1 = wait_cdr(stack, demo, est1["id"])
    assert cdr1["disposition"] == "answered" and (cdr1["caller"], cdr1["callee"]) == ("101", "102")
    assert cdr1["chain"] == ["attended_transfer:103"]
    left, right, rate = recording_channels(stack, cdr1["recording_key"], tmp_path)
    assert abs(len(left) / rate - cdr1["duration_s"]) < 1.0
    assert_tone(left[-2 * rate :], rate, CALLER_HZ, TARGET_HZ, "recording left after the transfer")
    assert_tone(right[-2 * rate :], rate, TARGET_HZ, CALLER_HZ, "recording right after the transfer")
    # Both channels stay on one clock through the hold and the transfer: the caller is
    # heard the whole call, the target from the transfer on (the transferor was silent).
    assert abs(active_seconds(left, rate) - cdr1["duration_s"]) < 1.0
    assert active_seconds(right[-2 * rate :], rate) > 1.5, "the target's channel lags behind the caller's"
    assert abs(active_seconds(right, rate) - after_transfer_s) < 1.0, (active_seconds(right, rate), after_transfer_s)
    # The consultation call ends in its own CDR, its caller leg taken over by 101.
    cdr2 = wait_cdr_where(stack, demo, lambda c: (c["caller"], c["callee"]) == ("102", "103"))
    assert cdr2["disposition"] == "answered"
    assert abs(datetime.fromisoformat(cdr2["answered_at"].replace("Z", "+00:00")).timestamp() - t_consult) < 2.0
    assert cdr2["chain"] == ["replaced_by:101"]


def test_transfer_to_an_outside_number_goes_through_the_trunk_and_is_billed(
    stack: Stack, phones: list[Phone], tmp_path: Path
) -> None:
    """F4: 102 sends its caller 101 on to a mobile number; the call leaves through the
    tenant's trunk with the tenant's DID, 101 stays connected, and the CDR shows the
    outside leg and bills it."""
    # the carrier is a SIPp on loopback: only the provider may allow a trunk there (issue 13)
    t = stack.create_tenant("Transfer Co", "f4.probox.test", ["101", "102"], allow_private_trunk_hosts=True)
    sbc_port = free_port("udp")
    with stack.api() as provider:
        provider.post(f"/v1/tenants/{t.id}/numbers", json={"numbers": ["02873009999"]}).raise_for_status()
    with stack.api(t.admin_token) as api:
        r = api.post(
            "/v1/trunks",
            json={"name": "Carrier", "host": "127.0.0.1", "port": sbc_port, "auth": "ip", "ips": ["127.0.0.1"]},
        )
        assert r.status_code == 201, r.text
        trunk_id = r.json()["id"]
        r = api.post("/v1/numbers", json={"number": "02873009999", "trunk_id": trunk_id, "route_to": "101"})
        assert r.status_code == 201, r.text
    stack.wait_snapshot(
        lambda s: any(x["id"] == t.id and x.get("trunks") and x.get("numbers") for x in s.get("tenants", []))
    )
    sbc = start_sipp("carrier_uas.xml", (stack.cfg.host, stack.cfg.sip_port), tmp_path, local_port=sbc_port)
    try:
        a = new_phone(phones, tmp_path, stack, t, "101", CALLER_HZ)
        b = new_phone(phones, tmp_path, stack, t, "102", CALLEE_HZ)
        for p in (a, b):
            assert p.wait_registered()["type"] == "REGISTER_OK"
        m = a.dial(f"sip:102@{t.domain}")
        est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        b.wait_event("CALL_ESTABLISHED", timeout=10)
        time.sleep(1.0)
        mb = b.mark()
        b.command("transfer", f"sip:0912345678@{t.domain}")
        b.wait_event("CALL_CLOSED", timeout=10, since=mb)  # the transferor is released
        t_out = time.monotonic()
        time.sleep(3.0)
        assert not [e for e in a.events[m:] if e.get("type") == "CALL_CLOSED"], "the transferred caller was cut"
        h = a.hangup()
        a.wait_event("CALL_CLOSED", timeout=10, since=h)
        outside_s = time.monotonic() - t_out
        s = sbc.result(wait=15)
    finally:
        sbc.stop()
    assert s.ok, s.describe()
    invite = s.received_requests("INVITE")[0]
    assert invite.startswith(f"INVITE sip:0912345678@127.0.0.1:{sbc_port} SIP/2.0"), invite
    assert header(invite, "P-Asserted-Identity") == [f"<sip:02873009999@127.0.0.1:{sbc_port}>"]
    for msg in s.received():
        assert "x-pbx-" not in msg.lower() and t.domain not in msg, msg  # nothing internal leaks
    assert s.received_requests("BYE"), "101 hanging up did not reach the carrier"

    cdr = wait_cdr(stack, t, est["id"])
    assert (cdr["caller"], cdr["callee"], cdr["direction"]) == ("101", "102", "internal")
    assert cdr["chain"] == ["transfer:0912345678"]
    events = [e for e in live_events(stack, t, est["id"]) if e["kind"] != "recording.ready"]
    assert [e["kind"] for e in events] == ["call.ringing", "call.answered", "call.transferred", "call.ended"]
    moved = events[2]
    assert (moved["by"], moved["target"], moved["transfer_kind"]) == ("102", "0912345678", "blind")
    out = events[-1]["legs"][1]
    assert (out["to"], out["direction"], out["trunk_id"]) == ("0912345678", "outbound", trunk_id), out
    [leg] = cdr["legs"]
    assert (leg["number"], leg["trunk_id"]) == ("0912345678", trunk_id)
    assert abs(leg["billable_s"] - outside_s) <= 1.5, (leg, outside_s)
    assert cdr["billable_s"] == leg["billable_s"]  # the internal part is free


def test_a_refer_to_nowhere_is_refused_at_once(stack: Stack, phones: list[Phone], tmp_path: Path) -> None:
    """The edge answers a REFER to a number that does not exist with 404 (the phone
    reports the failed transfer); the call is not touched, and nothing hangs."""
    t = stack.create_tenant("Nowhere Transfer Co", "f3nowhere.probox.test", ["101", "102"])
    stack.wait_tenant_on_edge(t)
    a = new_phone(phones, tmp_path, stack, t, "101", CALLER_HZ)
    b = new_phone(phones, tmp_path, stack, t, "102", CALLEE_HZ)
    for p in (a, b):
        assert p.wait_registered()["type"] == "REGISTER_OK"
    m = a.dial(f"sip:102@{t.domain}")
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    b.wait_event("CALL_ESTABLISHED", timeout=10)
    b.command("transfer", f"sip:199@{t.domain}")
    failed = b.wait_event("TRANSFER_FAILED", timeout=10)
    assert str(failed.get("param", "")).startswith("404"), failed
    # baresip 1.0 hangs up after its REFER is refused; the caller gets the BYE
    a.wait_event("CALL_CLOSED", timeout=10, since=m)
    cdr = wait_cdr(stack, t, est["id"])
    assert cdr["chain"] == [] and cdr["disposition"] == "answered"


def test_a_transfer_that_fails_gives_the_call_back(
    stack: Stack, phones: list[Phone], linphones: list[Linphone], tmp_path: Path
) -> None:
    """A transfer to an extension without a phone fails after the REFER was accepted:
    the transferor gets the call back, both still hear each other, and the CDR says
    what happened. (linphonec keeps its call when a transfer fails; baresip 1.0 hangs up.)"""
    t = stack.create_tenant("Failing Transfer Co", "f3fail.probox.test", ["101", "102", "105"])
    stack.wait_tenant_on_edge(t)
    a = new_phone(phones, tmp_path, stack, t, "101", CALLER_HZ)
    b = Linphone(tmp_path, "102", t.domain, t.password("102"), (stack.cfg.host, stack.cfg.sip_port), CALLEE_HZ)
    linphones.append(b.start())
    assert a.wait_registered()["type"] == "REGISTER_OK"
    b.registered()
    # The transferor talks from the answer on. Set before the call: given once the streams
    # run, linphone's mixer can already have chosen its silent input (bypass mode) and
    # sends silence the whole call (seen once in `make test`: the caller "heard" nothing).
    b.command(f"play {b.tone}")
    m = a.dial(f"sip:102@{t.domain}")
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    b.wait_for(r"Media streams established .* for call 1", timeout=10)
    mb = b.mark()
    b.command(f"transfer 1 sip:105@{stack.cfg.host}:{stack.cfg.sip_port}")  # exists, no phone connected
    b.wait_for(r"Transfer state .* to \[LinphoneCallError\]", timeout=10, debug=True)  # NOTIFY: 480
    time.sleep(3.0)
    assert not [e for e in a.events[m:] if e.get("type") == "CALL_CLOSED"], "the caller was cut"
    assert not re.search(r"Call 1 .* ended", b.output()[mb:]), "the transferor was cut"
    h = a.hangup()
    a.wait_event("CALL_CLOSED", timeout=10, since=h)
    b.wait_for(r"Call 1 .* ended", timeout=10, since=mb)
    (heard_a,), rate = read_channels(a.heard())
    assert_tone(heard_a[-2 * rate :], rate, CALLEE_HZ, CALLER_HZ, "caller hears the transferor again")
    cdr = wait_cdr(stack, t, est["id"])
    assert cdr["chain"] == ["transfer:105", "transfer_failed:105"], cdr["chain"]
    assert cdr["disposition"] == "answered" and cdr["hangup_side"] == "caller"
