"""S7 and issue 5: the edge keeps calling and loses nothing when other parts fail.

Real processes: storage (moto) frozen, the control plane stopped, the media worker
killed with SIGKILL mid-call, the agent killed mid-upload. After recovery every call
made has exactly one CDR, and every answered call one recording."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local_stack import Stack, StackConfig, Tenant
from tests.integration.phones import Phone, active_seconds, read_channels

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def rstack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    s = Stack(StackConfig.free_ports(tmp_path_factory.mktemp("resilience"), agent_max_backoff_s=2.0))
    s.start()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def tenant(rstack: Stack) -> Tenant:
    t = rstack.create_tenant("Resilient Co", "resilient.probox.test", ["201", "202", "203"])
    rstack.wait_tenant_on_edge(t)
    return t


@pytest.fixture
def pair(rstack: Stack, tenant: Tenant, tmp_path: Path) -> Iterator[tuple[Phone, Phone]]:
    proxy = (rstack.cfg.host, rstack.cfg.sip_port)
    a = Phone(tmp_path, "201", tenant.domain, tenant.password("201"), proxy, 440.0)
    b = Phone(tmp_path, "202", tenant.domain, tenant.password("202"), proxy, 1000.0)
    try:
        a.start()
        b.start()
        assert a.wait_registered()["type"] == "REGISTER_OK"
        assert b.wait_registered()["type"] == "REGISTER_OK"
        yield a, b
    finally:
        a.stop()
        b.stop()


def call(a: Phone, b: Phone, domain: str, talk_s: float = 2.0) -> str:
    m = a.dial(f"sip:202@{domain}")
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    time.sleep(talk_s)
    h = a.hangup()
    a.wait_event("CALL_CLOSED", timeout=10, since=h)
    return str(est["id"])


def cdrs(stack: Stack, tenant: Tenant) -> list[dict]:
    items: list[dict] = []
    cursor = None
    with stack.api(tenant.admin_token) as api:
        while True:
            r = api.get("/v1/cdrs", params={"limit": 200, **({"cursor": cursor} if cursor else {})})
            assert r.status_code == 200, r.text
            items += r.json()["items"]
            cursor = r.json()["next"]
            if not cursor:
                return items


def s3_client(stack: Stack):
    return stack.aws("s3")


def recordings(stack: Stack, tenant: Tenant) -> list[str]:
    r = s3_client(stack).list_objects_v2(Bucket=stack.cfg.bucket, Prefix=f"tenants/{tenant.id}/recordings/")
    return [o["Key"] for o in r.get("Contents", [])]


def wait_delivered(stack: Stack, tenant: Tenant, call_ids: set[str], timeout: float = 45.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    have: list[dict] = []
    while time.monotonic() < deadline:
        have = cdrs(stack, tenant)
        if call_ids <= {c["call_id"] for c in have} and not list((stack.cfg.spool / "cdr").glob("*.json")):
            return have
        time.sleep(0.5)
    raise AssertionError(f"missing CDRs: {call_ids - {c['call_id'] for c in have}}")


def crash_worker(stack: Stack, tenant: Tenant, call_id: str, *phones: Phone) -> dict:
    """SIGKILL the media worker mid-call, hang the phones up, restart it: the CDR the
    agent recovers for ``call_id``."""
    stack.procs["worker"].kill9()
    for p in phones:
        p.hangup()
    stack.restart("worker")
    have = wait_delivered(stack, tenant, {call_id})
    return next(c for c in have if c["call_id"] == call_id)


def assert_exactly_once(stack: Stack, tenant: Tenant, made: set[str]) -> None:
    have = wait_delivered(stack, tenant, made)
    ids = [c["call_id"] for c in have]
    assert len(ids) == len(set(ids)), "a CDR was stored twice"
    keys = set(recordings(stack, tenant))
    answered = [c for c in have if c["disposition"] == "answered"]
    assert {c["recording_key"] for c in answered} == keys, "recordings and CDRs disagree"
    assert len(keys) == len(answered)


def test_storage_and_control_plane_outages_lose_nothing(rstack: Stack, tenant: Tenant, pair) -> None:
    a, b = pair
    made = {call(a, b, tenant.domain)}
    # Storage (DynamoDB + S3) hangs: calls go on from the edge's last good snapshot.
    rstack.pause("moto")
    try:
        for _ in range(2):
            made.add(call(a, b, tenant.domain))
        time.sleep(3)
        assert len(list((rstack.cfg.spool / "cdr").glob("*.json"))) >= 2, "finished calls must wait in the spool"
    finally:
        rstack.resume("moto")
    # The control plane is down: calls still connect; CDRs wait.
    rstack.procs["control-plane"].stop()
    made.add(call(a, b, tenant.domain))
    # The agent dies with work in its spool, and comes back.
    rstack.procs["agent"].kill9()
    made.add(call(a, b, tenant.domain))
    rstack.restart("control-plane")
    rstack.restart("agent")
    assert_exactly_once(rstack, tenant, made)


def test_worker_crash_mid_call_gives_a_cdr_and_the_partial_recording(
    rstack: Stack, tenant: Tenant, pair, tmp_path: Path
) -> None:
    a, b = pair
    m = a.dial(f"sip:202@{tenant.domain}")
    est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
    time.sleep(3.0)
    t_crash = time.monotonic()
    cdr = crash_worker(rstack, tenant, str(est["id"]), a, b)
    assert cdr["hangup_cause"] == "worker_crash" and cdr["hangup_side"] == "system"
    assert cdr["disposition"] == "answered"
    talk = t_crash - est["_t"]
    assert abs(cdr["duration_s"] - talk) < 1.5, (cdr["duration_s"], talk)
    opus = tmp_path / "crash.opus"
    s3_client(rstack).download_file(rstack.cfg.bucket, cdr["recording_key"], str(opus))
    wav = tmp_path / "crash.wav"
    subprocess.run(["opusdec", "--quiet", "--rate", "8000", str(opus), str(wav)], check=True)
    (left, right), rate = read_channels(wav)
    assert abs(len(left) / rate - talk) < 1.5
    assert active_seconds(left, rate) > talk - 1.5 and active_seconds(right, rate) > talk - 1.5, "partial audio lost"
    # New calls work on the restarted worker.
    made = {call(a, b, tenant.domain)}
    wait_delivered(rstack, tenant, made)


def test_worker_crash_after_a_transfer_keeps_the_transfer_in_the_cdr(
    rstack: Stack, tenant: Tenant, pair, tmp_path: Path
) -> None:
    """The worker rewrites the call's journal at each transfer: the CDR recovered after a
    SIGKILL names the transfer target, as a clean end would."""
    a, b = pair
    proxy = (rstack.cfg.host, rstack.cfg.sip_port)
    c = Phone(tmp_path, "203", tenant.domain, tenant.password("203"), proxy, 700.0)
    try:
        c.start()
        assert c.wait_registered()["type"] == "REGISTER_OK"
        m = a.dial(f"sip:202@{tenant.domain}")
        est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        b.wait_event("CALL_ESTABLISHED", timeout=10)
        time.sleep(1.0)
        b.command("transfer", f"sip:203@{tenant.domain}")
        c.wait_event("CALL_ESTABLISHED", timeout=10)
        b.wait_event("CALL_CLOSED", timeout=10)
        time.sleep(1.5)
        cdr = crash_worker(rstack, tenant, str(est["id"]), a, c)
        assert cdr["hangup_cause"] == "worker_crash" and cdr["disposition"] == "answered"
        assert cdr["chain"] == ["transfer:203"], cdr["chain"]
    finally:
        c.stop()
