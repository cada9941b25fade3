"""Issue 18: ``make stop`` then ``make run`` keeps the data. A persisted local stack (what
``make run`` starts) is stopped and started again on the same folder: the tenant, its
extensions (their SIP passwords still decrypt), a call's CDR and its recording are there."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from infra.local_stack import Stack, StackConfig, _kept_secrets

pytestmark = pytest.mark.integration


def _config(root: Path) -> StackConfig:
    kept = _kept_secrets(root / "secrets.json")
    return StackConfig.free_ports(root, persist=True, jwt_secret=kept["jwt_secret"], secret_key=kept["secret_key"])


def test_a_stopped_stack_starts_again_with_its_data(tmp_path: Path) -> None:
    root = tmp_path / "var"
    first = Stack(_config(root))
    first.start(edge=False)
    try:
        t = first.create_tenant("Kept Co", "kept.probox.test", ["101"])
        password = t.password("101")
        upload = f"incoming/{first.cfg.edge_id}/kept-1.opus"
        import boto3

        s3 = boto3.client(
            "s3",
            endpoint_url=first.cfg.aws_endpoint_url,
            region_name=first.cfg.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.put_object(Bucket=first.cfg.bucket, Key=upload, Body=b"OggS-kept-recording", ContentType="audio/ogg")
        at = "2026-12-01T08:00:00.000Z"
        cdr = {
            "tenant_id": t.id, "call_id": "kept-1", "caller": "101", "callee": "0912345678", "started_at": at,
            "answered_at": at, "ended_at": at, "duration_s": 5, "disposition": "answered",
            "recording_key": "edge-side", "recording_format": "opus", "recording_upload": upload,
        }  # fmt: skip
        with first.api(first.edge_token) as edge:
            assert edge.post("/edge/v1/cdrs", json=cdr).status_code == 201
    finally:
        first.stop()
    assert (root / "moto-state" / "state.json").exists()

    second = Stack(_config(root))
    second.start(edge=False)
    try:
        again = second.create_tenant("Kept Co", "kept.probox.test", ["101"])  # what make run does
        assert again.id == t.id
        assert again.password("101") == password  # the stored secret still decrypts
        with second.api(again.admin_token) as api:
            got = api.get("/v1/cdrs/kept-1")
            assert got.status_code == 200, got.text
            assert got.json()["recording_key"] == f"tenants/{t.id}/recordings/2026/12/01/kept-1.opus"
            link = api.get("/v1/cdrs/kept-1/recording").json()["url"]
        assert httpx.get(link, timeout=10).content == b"OggS-kept-recording"
    finally:
        second.stop()
