"""Issue 13, item 4, on the real stack (chalice local + moto, the edge agent, Kamailio): the
agent works from its credential file, registers its sealing key, opens the carrier password
the control plane sealed to it, keeps it in a 0600 snapshot file, and Kamailio registers the
trunk with it (a SIPp registrar checks the digest). Recordings travel through the edge's own
upload prefix to the key the control plane derives."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import boto3
import pytest

from infra.local_stack import Stack
from infra.procs import free_port
from tests.harness.sipp import start_sipp

pytestmark = pytest.mark.integration

TRUNK_USER, TRUNK_PASSWORD = "trust-vnpt", "Sealed-Carrier-Pass-9"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_agent_opens_the_sealed_carrier_password_and_the_edge_registers_with_it(
    stack: Stack, tmp_path: Path
) -> None:
    registrar_port = free_port("udp")
    # the carrier is a SIPp on loopback: only the provider may allow a trunk there
    t = stack.create_tenant("Sealed Co", "sealed.probox.test", ["101"], allow_private_trunk_hosts=True)
    registrar = start_sipp(
        "carrier_registrar.xml",
        (stack.cfg.host, stack.cfg.sip_port),
        tmp_path,
        local_port=registrar_port,
        params={"USER": TRUNK_USER, "PASSWORD": TRUNK_PASSWORD, "EXPIRES": 300},
        timeout_s=40,
    )
    try:
        with stack.api(t.admin_token) as api:
            body = {
                "name": "VNPT",
                "host": stack.cfg.host,
                "port": registrar_port,
                "auth": "register",
                "username": TRUNK_USER,
                "password": TRUNK_PASSWORD,
            }
            r = api.post("/v1/trunks", json=body)
            assert r.status_code == 201, r.text
            trunk_id = r.json()["id"]
        # what the control plane sends: the password sealed, never in clear
        with stack.api(stack.edge_token) as edge:
            wire = edge.get("/edge/v1/snapshot")
        assert wire.status_code == 200 and TRUNK_PASSWORD not in wire.text
        [sent] = [k for x in wire.json()["tenants"] if x["id"] == t.id for k in x["trunks"]]
        assert sent["password"] == "" and sent["password_sealed"].startswith("seal1:")

        stack.wait_snapshot(lambda s: any(x["id"] == t.id and x.get("trunks") for x in s.get("tenants", [])))
        on_disk = json.loads(stack.cfg.snapshot_path.read_text())
        [trunk] = [k for x in on_disk["tenants"] if x["id"] == t.id for k in x["trunks"]]
        assert trunk["id"] == trunk_id and trunk["password"] == TRUNK_PASSWORD and trunk["password_sealed"] == ""
        assert _mode(stack.cfg.snapshot_path) == 0o600
        assert _mode(stack.cfg.snapshot_path.parent / "seal.key") == 0o600
        assert _mode(stack.cfg.root / "edge" / "edge.credential") == 0o600

        # Kamailio registers the trunk with the opened password: the registrar checks the digest
        result = registrar.result(wait=40)
        assert result.ok, (
            result.describe()
            + "\n--- kamailio ---\n"
            + stack.procs["kamailio"].tail(60)
            + "\n--- agent ---\n"
            + stack.procs["agent"].tail(30)
        )
    finally:
        registrar.stop()


def test_a_recording_goes_through_the_edges_prefix_to_the_derived_key(stack: Stack) -> None:
    """The agent's path without a phone: a CDR posted with an upload under the edge's prefix
    (what edge_node.agent.deliver does) lands at tenants/<id>/recordings/..., moved."""
    t = stack.create_tenant("Moved Co", "moved.probox.test", ["101"])
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.cfg.aws_endpoint_url,
        region_name=stack.cfg.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    upload = f"incoming/{stack.cfg.edge_id}/moved-1.opus"
    s3.put_object(Bucket=stack.cfg.bucket, Key=upload, Body=b"OggS" + b"x" * 96)
    started = "2026-03-04T05:06:07.000Z"
    cdr = {
        "tenant_id": t.id, "call_id": "moved-1", "caller": "101", "callee": "102", "started_at": started,
        "answered_at": started, "ended_at": started, "duration_s": 0, "disposition": "answered",
        "recording_key": "edge-side", "recording_format": "opus", "recording_upload": upload,
    }  # fmt: skip
    with stack.api(stack.edge_token) as edge:
        r = edge.post("/edge/v1/cdrs", json=cdr)
    assert r.status_code == 201, r.text
    key = f"tenants/{t.id}/recordings/2026/03/04/moved-1.opus"
    deadline = time.monotonic() + 5
    while True:
        listed = s3.list_objects_v2(Bucket=stack.cfg.bucket, Prefix=f"incoming/{stack.cfg.edge_id}/moved-1")
        if listed.get("KeyCount", 0) == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert s3.get_object(Bucket=stack.cfg.bucket, Key=key)["Body"].read() == b"OggS" + b"x" * 96
    assert listed.get("KeyCount", 0) == 0
    with stack.api(t.admin_token) as api:
        got = api.get("/v1/cdrs/moved-1").json()
    assert got["recording_key"] == key and got["recording_bytes"] == 100
