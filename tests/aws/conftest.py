"""Fixtures for control-plane tests against moto (in-process) and chalice.test.Client.

The Chalice app is ``control_plane.app`` (a package like any other: no path tricks); the
client runs it with the project directory control_plane/ as Chalice would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from chalice.test import Client
from cryptography.fernet import Fernet
from moto import mock_aws

from control_plane.core import auth, crypto, store

ROOT = Path(__file__).resolve().parents[2]
CP_DIR = ROOT / "control_plane"

JWT_SECRET = "test-jwt-secret-0123456789abcdef0123456789"
SECRET_KEY = Fernet.generate_key().decode()
SIP_PROXY = "sip.test.probox.vn:5060"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-1")
    monkeypatch.setenv("PROBOX_TABLE", "probox-test")
    monkeypatch.setenv("PROBOX_JWT_SECRET", JWT_SECRET)
    monkeypatch.setenv("PROBOX_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("PROBOX_SIP_PROXY", SIP_PROXY)


@pytest.fixture
def aws(env: None) -> Iterator[None]:
    with mock_aws():
        store.reset()
        crypto.reset()
        store.create_table()
        yield
    store.reset()
    crypto.reset()


@dataclass
class Resp:
    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def text(self) -> str:
        return self.raw.decode()


class Api:
    """chalice.test HTTP client with JSON bodies and bearer tokens."""

    def __init__(self, http: Any) -> None:
        self.http = http
        self.bodies: list[bytes] = []  # every response body, for "never leaks" checks

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Resp:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        r = self.http.request(method, path, headers=hdrs, body=data)
        out = Resp(status=r.status_code, headers={k.lower(): v for k, v in r.headers.items()}, raw=r.body or b"")
        self.bodies.append(out.raw)
        return out

    def get(self, path: str, **kw: Any) -> Resp:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Resp:
        return self.request("POST", path, **kw)

    def delete(self, path: str, **kw: Any) -> Resp:
        return self.request("DELETE", path, **kw)

    # --- shortcuts for setting up data --------------------------------------------------
    def tenant(self, domain: str, **extra: Any) -> tuple[str, str]:
        """Create a tenant; (tenant_id, tenant admin token)."""
        r = self.post("/v1/tenants", token=provider_token(), body={"name": domain, "domain": domain, **extra})
        assert r.status == 201, r.text
        tid = r.json["id"]
        t = self.post(f"/v1/tenants/{tid}/admin-tokens", token=provider_token())
        assert t.status == 201, t.text
        return tid, t.json["token"]

    def assign(self, tenant_id: str, *numbers: str) -> None:
        """The provider assigns numbers to a tenant (only then may its admin add them)."""
        r = self.post(f"/v1/tenants/{tenant_id}/numbers", token=provider_token(), body={"numbers": list(numbers)})
        assert r.status == 201, r.text

    def extension(self, token: str, number: str, display_name: str = "") -> dict[str, Any]:
        r = self.post("/v1/extensions", token=token, body={"number": number, "display_name": display_name})
        assert r.status == 201, r.text
        doc: dict[str, Any] = r.json
        return doc

    def password(self, token: str, number: str) -> dict[str, Any]:
        """Provision an extension and return the credentials payload."""
        link = self.post(f"/v1/extensions/{number}/provisioning", token=token)
        assert link.status == 201, link.text
        r = self.post(link.json["url"])  # the phone redeems it
        assert r.status == 200, r.text
        doc: dict[str, Any] = r.json
        return doc

    def edge(self, edge_id: str = "edge-1", tenants: list[str] | None = None) -> str:
        """An edge's access token. ``tenants``: what it serves; None = every tenant (an
        explicit choice: a new edge serves none unless told, issue 13)."""
        r = self.post("/v1/edges", token=provider_token(), body={"id": edge_id, "tenants": tenants})
        assert r.status == 201, r.text
        token: str = r.json["token"]
        return token


def create_pk_sk_table(client: Any, name: str) -> None:
    """A bare table of the single-table shape (string ``pk`` and ``sk``, on demand)."""
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def provider_token(sub: str | None = None, ttl_s: int = 3600) -> str:
    """A provider token issued as an operator would (registered: unregistered tokens are refused)."""
    from control_plane.users import service as users

    return users.issue_token(auth.PROVIDER_ADMIN, tenant_id=None, ttl_s=ttl_s, by="tests", sub=sub)


@pytest.fixture
def cp_app(env: None) -> ModuleType:
    from control_plane import app

    return app


@pytest.fixture
def api(aws: None, cp_app: ModuleType) -> Iterator[Api]:
    with Client(cp_app.app, project_dir=str(CP_DIR)) as client:
        yield Api(client.http)


def cdr_doc(tenant_id: str, call_id: str, started_at: str, **extra: Any) -> dict[str, Any]:
    doc = {
        "tenant_id": tenant_id,
        "call_id": call_id,
        "caller": "100",
        "callee": "101",
        "started_at": started_at,
        "answered_at": started_at,
        "ended_at": started_at,
        "duration_s": 0,
        "disposition": "answered",
        "sip_code": 200,
    }
    doc.update(extra)
    return doc


# --- CDR report exports (CSV and Excel to S3 with a presigned link) -----------------------------
REPORTS_BUCKET = "probox-test-recordings"


@pytest.fixture
def s3(api: Api, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The recordings bucket (reports go there too), created in moto."""
    import boto3

    monkeypatch.setenv("PROBOX_RECORDINGS_BUCKET", REPORTS_BUCKET)
    client = boto3.client("s3", region_name="ap-southeast-1")
    client.create_bucket(Bucket=REPORTS_BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    return client


def sealed_edge(api: Api, edge_id: str) -> tuple[str, bytes]:
    """An edge (serving every tenant) that registered its sealing key: (token, private key)."""
    from pbx_core import sealing

    token = api.edge(edge_id)
    private = sealing.new_private_key()
    r = api.request("PUT", "/edge/v1/seal-key", token=token, body={"public_key": sealing.public_key(private)})
    assert r.status == 200 and r.json["has_seal_key"] is True, r.text
    return token, private


def trunk_password(snapshot: dict[str, Any], private: bytes, tenant_id: str, trunk_id: str) -> str:
    """What the edge's agent reads from a snapshot: the trunk's password, opened with its key."""
    from pbx_core import sealing

    [t] = [t for tenant in snapshot["tenants"] if tenant["id"] == tenant_id for t in tenant["trunks"]]
    assert t["id"] == trunk_id and t["password"] == "", t  # never in clear on the wire
    return sealing.open_sealed(private, t["password_sealed"], sealing.trunk_context(tenant_id, trunk_id))


def edge_id_of(edge_token: str) -> str:
    edge_id = auth.verify(JWT_SECRET, edge_token).edge_id
    assert edge_id
    return edge_id


def edge_upload(edge_token: str, call_id: str, body: bytes, fmt: str = "opus") -> dict[str, Any]:
    """Upload a recording as the edge's agent does (under ``incoming/<edge_id>/``) and return
    the CDR fields that name it (the control plane moves it to the tenant's prefix)."""
    import boto3

    from control_plane.core import s3 as core_s3
    from control_plane.core import settings

    client = boto3.client("s3", region_name="ap-southeast-1")
    bucket = settings.aws().recordings_bucket
    try:
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    key = f"{core_s3.incoming_prefix(edge_id_of(edge_token))}{call_id}.{fmt}"
    client.put_object(Bucket=bucket, Key=key, Body=body)
    return {"recording_key": "edge-side", "recording_upload": key, "recording_format": fmt}


def post_cdr(api: Api, edge: str, tid: str, call_id: str, started: str, **extra: Any) -> None:
    r = api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, call_id, started, **extra))
    assert r.status == 201, r.text


def create_report(api: Api, token: str, fmt: str, query: str = "") -> dict[str, Any]:
    """POST /v1/cdrs/export.<fmt>: the 201 answer (never cached)."""
    r = api.post(f"/v1/cdrs/export.{fmt}" + (f"?{query}" if query else ""), token=token)
    assert r.status == 201, r.text
    assert r.headers["cache-control"] == "no-store"
    doc: dict[str, Any] = r.json
    return doc


def fetch_report(report: dict[str, Any], content_type: str) -> bytes:
    """The file behind a report's presigned link (moto answers it in process)."""
    import requests

    got = requests.get(report["url"], timeout=10)
    assert got.status_code == 200
    assert got.headers["content-type"] == content_type
    assert got.headers["content-disposition"] == f'attachment; filename="{report["filename"]}"'
    assert len(got.content) == report["bytes"]
    return got.content


def assert_bad_export_query(api: Api, s3: Any, fmt: str, query: str, field: str) -> None:
    """POST /v1/cdrs/export.<fmt>?<query> is 400 naming ``field``, and nothing is written."""
    _, admin = api.tenant("bad.probox.vn")
    r = api.post(f"/v1/cdrs/export.{fmt}?{query}", token=admin)
    assert r.status == 400, r.text
    assert r.json["error"]["code"] == "validation_failed"
    assert field in r.json["error"]["fields"] and r.json["error"]["fields"][field]
    assert s3.list_objects_v2(Bucket=REPORTS_BUCKET).get("KeyCount", 0) == 0


def three_calls_and_staff(api: Api) -> tuple[str, str, str]:
    """A tenant with three calls (call-0..2, Nov 1-3 2025): its admin, a supervisor's and
    an agent's API keys."""
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    for n in range(3):
        post_cdr(api, edge, tid, f"call-{n}", f"2025-11-0{n + 1}T08:00:00.000Z")
    supervisor = api.post("/v1/api-keys", token=admin, body={"name": "sup", "role": "supervisor"}).json["key"]
    agent = api.post("/v1/api-keys", token=admin, body={"name": "agent", "role": "agent"}).json["key"]
    return admin, supervisor, agent
