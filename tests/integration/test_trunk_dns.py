"""Issue 13 (DNS rebinding), on the real stack (chalice local + moto, the edge agent,
Kamailio, the pjsua2 worker; SIPp as the caller and as what listens at the address): a
trunk's host is a public-looking name, which the API accepts, that resolves, or later
rebinds, to the edge's own loopback. The edge must send nothing there; a tenant the
provider allowed private hosts is called at the address the agent resolved, Kamailio
resolving nothing itself.

The test's name server (``carrier_dns``) is the one the agent asks; Kamailio's own resolver
is given the same answer through its DNS cache RPC (``dns.add_a``), as a real resolver
would give it both: before the fix Kamailio resolved the name when it sent and the call
reached whatever listened on loopback."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from infra.local_stack import Stack, Tenant
from infra.procs import free_port
from tests.harness.dnsserver import TestDns
from tests.harness.sipp import SippRun, header, run_sipp, start_sipp

pytestmark = pytest.mark.integration

KAMCMD = shutil.which("kamcmd") or "/usr/sbin/kamcmd"


def _kamailio_resolves(stack: Stack, name: str, address: str) -> None:
    """What Kamailio's own resolver answers for ``name`` from now on (its DNS cache)."""
    sock = stack.cfg.root / "kamailio" / "kamailio_ctl"
    r = subprocess.run(
        [KAMCMD, "-s", f"unix:{sock}", "dns.add_a", name, "3600", address],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert r.returncode == 0, r.stderr or r.stdout


def _trunk_on_disk(stack: Stack, tenant: Tenant) -> dict[str, object] | None:
    try:
        snap = json.loads(stack.cfg.snapshot_path.read_text())
    except (OSError, ValueError):
        return None
    trunks = [k for t in snap.get("tenants", []) if t["id"] == tenant.id for k in t.get("trunks", [])]
    return trunks[0] if trunks else None


def _wait_address(stack: Stack, tenant: Tenant, ok: Callable[[str], bool], timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        trunk = _trunk_on_disk(stack, tenant)
        if trunk is not None:
            seen = str(trunk.get("address", ""))
            if ok(seen):
                return seen
        time.sleep(0.2)
    raise AssertionError(f"the edge's trunk address stayed {seen!r}\n{stack.procs['agent'].tail(30)}")


def _carrier(stack: Stack, tenant: Tenant, host: str, port: int) -> None:
    with stack.api(tenant.admin_token) as api:
        r = api.post(
            "/v1/trunks", json={"name": "Carrier", "host": host, "port": port, "auth": "ip", "ips": ["203.0.113.77"]}
        )
        assert r.status_code == 201, r.text


def _call(stack: Stack, tenant: Tenant, tmp: Path, final: int | None) -> tuple[bool, str]:
    row = [["101", tenant.domain, tenant.password("101"), "0912345678", tenant.domain]]
    target = (stack.cfg.host, stack.cfg.sip_port)
    if final is None:
        params: dict[str, str | int] = {"HOLD_MS": 500, "PRELOADED_ROUTE": ""}
        r = run_sipp("uac_call_auth.xml", target, tmp, rows=row, params=params, timeout_s=20)
    else:
        r = run_sipp("uac_invite_auth.xml", target, tmp, rows=row, params={"FINAL": final}, timeout_s=20)
    return r.ok, (r.received()[-1] if r.received() else r.describe())


def _inside(listener: SippRun) -> list[str]:
    listener.stop()
    return listener.result(wait=5).received_requests("INVITE")


def test_a_carrier_name_that_resolves_or_rebinds_to_loopback_reaches_nothing(
    stack: Stack, carrier_dns: TestDns, tmp_path: Path
) -> None:
    name, port = "sip.rebind-carrier.example", free_port("udp")
    t = stack.create_tenant("Rebind Co", "rebind.probox.test", ["101"])  # no private hosts
    # what listens on the edge's loopback: it must never hear from the edge
    inside = start_sipp(
        "carrier_uas.xml", (stack.cfg.host, stack.cfg.sip_port), tmp_path, local_port=port, timeout_s=60
    )
    try:
        carrier_dns.set(name, ["127.0.0.1"])
        _kamailio_resolves(stack, name, "127.0.0.1")
        _carrier(stack, t, name, port)  # the API sees a public name: accepted
        assert _wait_address(stack, t, lambda a: a == "") == ""
        ok, final = _call(stack, t, tmp_path, 503)
        assert ok, final + "\n" + stack.procs["kamailio"].tail(40)
        assert header(final, "X-PBX-Reason") == ["trunk_unresolved"], final
        assert "resolves to no address it may use" in stack.procs["agent"].tail(200)

        # rebinding: the name first answers a public address, which the edge pins...
        carrier_dns.set(name, ["198.51.100.20"])
        assert _wait_address(stack, t, lambda a: a != "") == "198.51.100.20"
        # ...then the edge's loopback; the next round (1 s here, 5 min by default) unpins it
        carrier_dns.set(name, ["127.0.0.1"])
        assert _wait_address(stack, t, lambda a: a == "", timeout=10) == ""
        ok, final = _call(stack, t, tmp_path, 503)
        assert ok, final
        assert header(final, "X-PBX-Reason") == ["trunk_unresolved"], final
    finally:
        invites = _inside(inside)
    assert invites == [], invites[0]


def test_a_private_carrier_name_is_called_at_the_address_the_edge_resolved(
    stack: Stack, carrier_dns: TestDns, tmp_path: Path
) -> None:
    """The provider let this tenant reach a carrier over a private link: the name resolves
    to loopback, the agent pins it, and the call reaches the carrier although Kamailio's
    own resolver knows nothing of the name (it sends to the pinned address)."""
    name, port = "sip.private-carrier.example", free_port("udp")
    t = stack.create_tenant("Private Link Co", "privlink.probox.test", ["101"], allow_private_trunk_hosts=True)
    carrier_dns.set(name, ["127.0.0.1"])
    sbc = start_sipp("carrier_uas.xml", (stack.cfg.host, stack.cfg.sip_port), tmp_path, local_port=port, timeout_s=40)
    try:
        _carrier(stack, t, name, port)
        assert _wait_address(stack, t, lambda a: a != "") == "127.0.0.1"
        ok, final = _call(stack, t, tmp_path, None)
        assert ok, final + "\n" + stack.procs["kamailio"].tail(40)
        r = sbc.result(wait=15)
    finally:
        sbc.stop()
    assert r.ok, r.describe()
    invite = r.received_requests("INVITE")[0]
    assert invite.startswith(f"INVITE sip:0912345678@{name}:{port} SIP/2.0"), invite  # the carrier's own name
