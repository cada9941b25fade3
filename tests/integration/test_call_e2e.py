"""A real call end to end: two baresip phones register with digest auth through Kamailio,
101 calls 102, the pjsua2 worker bridges and records, the agent uploads; the CDR is in the
API and the stereo recording in S3 (moto) with each party's audio on its own channel."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import boto3
import pytest

from infra.local_stack import Stack, Tenant
from tests.integration.checks import assert_tone as _assert_tone
from tests.integration.checks import recording_channels
from tests.integration.checks import wait_cdr as _wait_cdr
from tests.integration.conftest import new_phone
from tests.integration.phones import Phone, active_seconds, read_channels

pytestmark = pytest.mark.integration

CALLER_HZ = 440.0
CALLEE_HZ = 1000.0
TARGET_HZ = 700.0


def test_call_101_to_102_is_bridged_recorded_and_billed(
    stack: Stack, demo: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    a = new_phone(phones, tmp_path, stack, demo, "101", CALLER_HZ)
    b = new_phone(phones, tmp_path, stack, demo, "102", CALLEE_HZ)
    assert a.wait_registered()["type"] == "REGISTER_OK"
    assert b.wait_registered()["type"] == "REGISTER_OK"

    t_dial = time.monotonic()
    m = a.dial(f"sip:102@{demo.domain}")
    incoming = b.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=10, since=0)
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    setup_s = est["_t"] - t_dial
    call_id = est["id"]
    assert incoming["peeruri"].startswith("sip:101@"), f"callee saw caller {incoming['peeruri']}"
    time.sleep(4.0)
    h = a.hangup()
    closed = a.wait_event("CALL_CLOSED", timeout=10, since=h)
    talk_s = closed["_t"] - est["_t"]
    b.wait_event("CALL_CLOSED", timeout=10)

    cdr = _wait_cdr(stack, demo, call_id)
    assert cdr["caller"] == "101" and cdr["callee"] == "102"
    assert cdr["disposition"] == "answered"
    assert cdr["direction"] == "internal"
    assert cdr["tenant_id"] == demo.id
    for f in ("started_at", "answered_at", "ended_at"):
        assert cdr[f] and cdr[f].endswith("Z"), f
    assert cdr["started_at"] <= cdr["answered_at"] <= cdr["ended_at"]
    assert abs(cdr["duration_s"] - talk_s) < 1.0, (cdr["duration_s"], talk_s)
    assert cdr["recording_key"].startswith(f"tenants/{demo.id}/recordings/")
    assert cdr["recording_key"].endswith(".opus") and cdr["recording_format"] == "opus"
    assert cdr["hangup_cause"] == "normal_clearing" and cdr["billable_s"] == 0  # internal calls are free
    # where the caller's phone called from and its software (the toll-fraud guard learns them)
    assert cdr["source_ip"] == "127.0.0.1" and cdr["user_agent"].lower().startswith("baresip"), cdr

    # The recording in S3: stereo, caller left and callee right, as long as the call.
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.cfg.aws_endpoint_url,
        region_name=stack.cfg.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    opus = tmp_path / "rec.opus"
    s3.download_file(stack.cfg.bucket, cdr["recording_key"], str(opus))
    assert opus.stat().st_size == cdr["recording_bytes"]
    assert opus.stat().st_size < 16_000 / 8 * (talk_s + 1) * 1.3, "not ~16 kbit/s Opus"
    local = tmp_path / "rec.wav"
    subprocess.run(["opusdec", "--quiet", "--rate", "8000", str(opus), str(local)], check=True)
    (left, right), rate = read_channels(local)
    assert abs(len(left) / rate - talk_s) < 1.0, (len(left) / rate, talk_s)
    assert active_seconds(left, rate) > talk_s - 1.5
    assert active_seconds(right, rate) > talk_s - 1.5
    _assert_tone(left, rate, CALLER_HZ, CALLEE_HZ, "recording left (caller)")
    _assert_tone(right, rate, CALLEE_HZ, CALLER_HZ, "recording right (callee)")

    # Audio crossed both ways: each phone heard the other's tone.
    (heard_a,), ra = read_channels(a.heard())
    (heard_b,), rb = read_channels(b.heard())
    _assert_tone(heard_a, ra, CALLEE_HZ, CALLER_HZ, "caller heard")
    _assert_tone(heard_b, rb, CALLER_HZ, CALLEE_HZ, "callee heard")
    assert active_seconds(heard_a, ra) > 3.0 and active_seconds(heard_b, rb) > 3.0
    print(f"call setup {setup_s * 1000:.0f} ms, talk {talk_s:.2f} s, cdr duration {cdr['duration_s']} s")


def test_unregistered_callee_gives_unavailable_cdr(
    stack: Stack, demo: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    a = new_phone(phones, tmp_path, stack, demo, "101", CALLER_HZ)
    assert a.wait_registered()["type"] == "REGISTER_OK"
    # 103 exists but no phone is registered for it.
    m = a.dial(f"sip:103@{demo.domain}")
    closed = a.wait_event("CALL_CLOSED", timeout=15, since=m)
    assert "480" in closed.get("param", "") or "404" in closed.get("param", ""), closed
    cdr = _wait_cdr(stack, demo, closed["id"])
    assert cdr["disposition"] == "unavailable"
    assert cdr["answered_at"] is None and cdr["duration_s"] == 0
    assert cdr["recording_key"] is None


def test_calls_never_cross_tenants(
    stack: Stack, demo: Tenant, other: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    a = new_phone(phones, tmp_path, stack, demo, "101", CALLER_HZ)
    x = new_phone(phones, tmp_path, stack, other, "102", CALLEE_HZ)
    assert a.wait_registered()["type"] == "REGISTER_OK"
    assert x.wait_registered()["type"] == "REGISTER_OK"
    m = a.dial(f"sip:102@{other.domain}")
    closed = a.wait_event("CALL_CLOSED", timeout=10, since=m)
    assert "403" in closed.get("param", ""), closed
    assert not [e for e in x.events if e.get("type") == "CALL_INCOMING"], "the other tenant's phone rang"


def test_wrong_password_never_registers(stack: Stack, demo: Tenant, phones: list[Phone], tmp_path: Path) -> None:
    p = new_phone(phones, tmp_path, stack, demo, "103", CALLER_HZ, password="not-the-password-at-all")
    ev = p.wait_registered()
    assert ev["type"] == "REGISTER_FAIL", ev


def test_dtmf_crosses_the_bridge_and_hold_resume_keeps_the_call(
    stack: Stack, demo: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    a = new_phone(phones, tmp_path, stack, demo, "101", CALLER_HZ)
    b = new_phone(phones, tmp_path, stack, demo, "102", CALLEE_HZ)
    assert a.wait_registered()["type"] == "REGISTER_OK"
    assert b.wait_registered()["type"] == "REGISTER_OK"
    m = a.dial(f"sip:102@{demo.domain}")
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    b.wait_event("CALL_ESTABLISHED", timeout=10)
    time.sleep(1.0)
    # RFC 4733 digits from the caller reach the callee's phone.
    mb = b.mark()
    for digit in "59#":
        a.command("sndcode", digit)
        time.sleep(0.4)
    got = [e["param"] for e in b.events[mb:] if e.get("type") == "CALL_DTMF_START"]
    assert got == ["5", "9", "#"], [e.get("type") for e in b.events[mb:]]
    # Hold (re-INVITE sendonly) and resume: the bridge comes back and audio flows again.
    a.command("hold")
    time.sleep(1.5)
    a.command("resume")
    time.sleep(3.0)
    mb = b.mark()
    h = a.hangup()
    closed = a.wait_event("CALL_CLOSED", timeout=10, since=h)
    b.wait_event("CALL_CLOSED", timeout=10, since=mb)  # its dump is complete only then
    (heard_b,), rate = read_channels(b.heard())
    assert active_seconds(heard_b[-2 * rate :], rate) > 1.5, "no audio after resume"
    _assert_tone(heard_b[-2 * rate :], rate, CALLER_HZ, CALLEE_HZ, "callee heard after resume")
    cdr = _wait_cdr(stack, demo, est["id"])
    assert abs(cdr["duration_s"] - (closed["_t"] - est["_t"])) < 1.0


def test_blind_transfer_moves_the_call_and_the_recording_follows(
    stack: Stack, demo: Tenant, phones: list[Phone], tmp_path: Path
) -> None:
    a = new_phone(phones, tmp_path, stack, demo, "101", CALLER_HZ)
    b = new_phone(phones, tmp_path, stack, demo, "102", CALLEE_HZ)
    c = new_phone(phones, tmp_path, stack, demo, "103", TARGET_HZ)
    for p in (a, b, c):
        assert p.wait_registered()["type"] == "REGISTER_OK"
    m = a.dial(f"sip:102@{demo.domain}")
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    b.wait_event("CALL_ESTABLISHED", timeout=10)
    # 3 s of talk before the transfer: seconds 1 to 2.5 of the recording are six 250 ms windows,
    # so one late packet on a loaded machine (seen in CI: 1 of 4 windows) does not decide the test
    time.sleep(3.0)
    # 102 sends 101 on to 103 (REFER); 103 rings showing 101, answers, 102 is released.
    b.command("transfer", f"sip:103@{demo.domain}")
    incoming = c.wait_event("CALL_INCOMING", "CALL_ESTABLISHED", timeout=10)
    assert incoming["peeruri"].startswith("sip:101@"), incoming
    c.wait_event("CALL_ESTABLISHED", timeout=10)
    b.wait_event("CALL_CLOSED", timeout=10)
    mc = c.mark()
    time.sleep(3.0)
    assert not [e for e in a.events if e.get("type") == "CALL_CLOSED"], "the transferred caller was cut"
    h = a.hangup()
    a.wait_event("CALL_CLOSED", timeout=10, since=h)
    c.wait_event("CALL_CLOSED", timeout=10, since=mc)
    (heard_a,), rate = read_channels(a.heard())
    _assert_tone(heard_a[-2 * rate :], rate, TARGET_HZ, CALLEE_HZ, "caller heard the transfer target")
    (heard_c,), rate = read_channels(c.heard())
    _assert_tone(heard_c[-2 * rate :], rate, CALLER_HZ, TARGET_HZ, "transfer target heard the caller")
    cdr = _wait_cdr(stack, demo, est["id"])
    assert cdr["chain"] == ["transfer:103"] and cdr["disposition"] == "answered"
    left, right, rate = recording_channels(stack, cdr["recording_key"], tmp_path)
    assert abs(len(left) / rate - cdr["duration_s"]) < 1.0
    _assert_tone(right[rate : 5 * rate // 2], rate, CALLEE_HZ, TARGET_HZ, "recording right before the transfer")
    _assert_tone(right[-2 * rate :], rate, TARGET_HZ, CALLEE_HZ, "recording right after the transfer")
    _assert_tone(left[rate : 5 * rate // 2], rate, CALLER_HZ, CALLEE_HZ, "recording left before the transfer")
    _assert_tone(left[-2 * rate :], rate, CALLER_HZ, TARGET_HZ, "recording left after the transfer")
