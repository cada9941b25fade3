"""S6: a tenant moves off the cloud and back: export, import, offboarding (moto in process).

The archive is downloaded through its presigned link and uploaded to a second "installation"
(another table and bucket) through a presigned PUT, as an operator would; what comes back is
compared through the API with what went out.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import requests

from control_plane.app import run_tenant_job
from control_plane.core import clock, crypto, keys, settings, store
from control_plane.core import s3 as core_s3
from control_plane.extensions import store as ext_store
from control_plane.recordings import service as recordings
from control_plane.tenant_jobs import archive as job_archive
from control_plane.tenant_jobs import exporter, s3io
from control_plane.tenant_jobs import service as jobs
from control_plane.trunks.store import TrunkItem
from pbx_core import sipauth

from .conftest import Api, cdr_doc, edge_upload, provider_token

pytestmark = pytest.mark.aws

BUCKET = "probox-recordings-test"
FRESH_BUCKET = "probox-fresh-recordings"
REGION = {"LocationConstraint": "ap-southeast-1"}
TIMES = ("created_at", "updated_at", "password_rotated_at", "provisioned_at")


@pytest.fixture
def s3(api: Api, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PROBOX_RECORDINGS_BUCKET", BUCKET)
    client = boto3.client("s3", region_name="ap-southeast-1")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration=REGION)
    # as deployed (template.yaml): offboarding must remove old versions too
    client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return client


@dataclass
class Source:
    tid: str
    admin: str
    domain: str
    edge: str
    sip_password: str
    api_key: str
    recordings: dict[str, bytes] = field(default_factory=dict)  # call id -> audio bytes
    trunk_register: str = ""


def ok(r: Any, status: int = 200) -> Any:
    assert r.status == status, r.text
    return r.json


def ago(days: float) -> str:
    return store.ts(datetime.now(UTC) - timedelta(days=days))


def build_tenant(api: Api, s3: Any, domain: str = "move.probox.vn", *, did: str = "02838221234") -> Source:
    """A tenant with something of every kind, CDRs, recordings (one deleted by retention,
    one whose object is gone) and secrets of every kind."""
    tid, admin = api.tenant(
        domain,
        time_zone="Asia/Tokyo",
        outbound_policy={"premium_1900": True},
        recording={"retention_days": 90, "on_full": "stop_recording"},
    )
    hq = ok(api.post("/v1/branches", token=admin, body={"name": "HQ", "prefix": "8"}), 201)["id"]
    ok(api.post("/v1/branches", token=admin, body={"name": "Ha Noi", "prefix": "9"}), 201)
    ok(api.post("/v1/extensions", token=admin, body={"number": "101", "display_name": "Lan", "branch_id": hq}), 201)
    ok(api.post("/v1/extensions", token=admin, body={"number": "102", "pickup_group": "sales"}), 201)
    ok(api.post("/v1/extensions", token=admin, body={"number": "103", "outbound": "internal_only"}), 201)
    register = {
        "name": "VNPT", "host": "sip.vnpt.vn", "auth": "register", "username": "acct", "password": "trunk-secret-1",
    }  # fmt: skip
    trunk = ok(api.post("/v1/trunks", token=admin, body=register), 201)["id"]
    ip_trunk = ok(
        api.post("/v1/trunks", token=admin, body={"name": "Viettel", "host": "sip.viettel.vn", "ips": ["203.0.113.9"]}),
        201,
    )["id"]
    api.assign(tid, did, "1800" + did[-4:], "09" + did[-8:])  # the last one assigned, not configured
    ok(api.post("/v1/numbers", token=admin, body={"number": did, "trunk_id": trunk, "route_to": "101"}), 201)
    ok(api.post("/v1/numbers", token=admin, body={"number": "1800" + did[-4:], "trunk_id": ip_trunk}), 201)
    ok(api.request("PATCH", "/v1/extensions/102", token=admin, body={"caller_id": did}))
    ok(api.request("PATCH", f"/v1/tenants/{tid}", token=admin, body={"default_caller_id": did}))
    ok(api.post("/v1/blocklist", token=admin, body={"pattern": "0900000000", "direction": "in"}), 201)
    ok(api.post("/v1/blocklist", token=admin, body={"pattern": "1900*", "direction": "out", "extension": "103"}), 201)
    device = {"extension": "101", "vendor": "yealink", "model": "T54W", "mac": "00:15:65:aa:bb:cc"}
    dev = ok(api.post("/v1/devices", token=admin, body=device), 201)["id"]
    ok(api.post(f"/v1/devices/{dev}/provisioning", token=admin), 201)  # a device token to revoke later
    user = {"email": f"agent@{domain}", "role": "agent", "password": "agent-password-1", "extension": "102"}
    ok(api.post("/v1/users", token=admin, body=user), 201)
    sup = {"email": f"boss@{domain}", "role": "supervisor", "password": "boss-password-12", "name": "Boss"}
    ok(api.post("/v1/users", token=admin, body=sup), 201)
    key = ok(api.post("/v1/api-keys", token=admin, body={"name": "CRM"}), 201)["key"]
    sip_password = api.password(admin, "101")["sip_password"]
    edge = api.post("/v1/edges", token=provider_token(), body={"id": f"edge-{tid[2:10]}", "tenants": [tid]}).json[
        "token"
    ]
    src = Source(tid, admin, domain, edge, sip_password, key, trunk_register=trunk)
    calls = [
        ("c-old", ago(200), 3000, True),  # recorded long ago: deleted by retention below
        ("c-rec1", ago(3), 4321, True),
        ("c-rec2", ago(2), 70_000, True),
        ("c-gone", ago(1.5), 500, False),  # its object is lost: exported as missing
        ("c-plain", ago(1), 0, False),
    ]
    for call_id, started, size, upload in calls:
        extra: dict[str, Any] = {"caller": "101", "callee": "0901234567", "direction": "outbound"}
        key_ = core_s3.tenant_prefix(tid) + f"recordings/{started[:4]}/{started[5:7]}/{started[8:10]}/{call_id}.opus"
        if size:
            body = os.urandom(size)
            extra.update(edge_upload(edge, call_id, body))  # the control plane moves it to key_
            if upload:
                src.recordings[call_id] = body
        ok(api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, call_id, started, **extra)), 201)
        if size and not upload:
            s3.delete_object(Bucket=BUCKET, Key=key_)  # its object is lost later
    recordings.housekeeping(clock.now(), tenant_ids=[tid])  # retention 90 days: c-old goes
    del src.recordings["c-old"]
    return src


def all_cdrs(api: Api, token: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = ok(api.get("/v1/cdrs?limit=200" + (f"&cursor={cursor}" if cursor else ""), token=token))
        out += page["items"]
        cursor = page["next"]
        if not cursor:
            return out


def strip(docs: list[dict[str, Any]], *extra: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.items() if k not in TIMES and k not in extra} for d in docs]


def config_view(api: Api, tid: str, token: str) -> dict[str, Any]:
    """What an admin sees of the configuration (times, ids of the tenant aside)."""
    out = {p: strip(ok(api.get(f"/v1/{p}", token=token))["items"]) for p in ("branches", "extensions", "numbers")}
    out["blocklist"] = strip(ok(api.get("/v1/blocklist", token=token))["items"])
    out["devices"] = strip(
        ok(api.get("/v1/devices", token=token))["items"],
        "has_token",
        "needs_reprovision",
        "token_expires_at",
        "has_config_key",  # the key never leaves: a new one is shown with the device's next URL
    )
    out["trunks"] = strip(ok(api.get("/v1/trunks", token=token))["items"], "has_password")
    out["users"] = strip(ok(api.get("/v1/users", token=token))["items"], "id", "tenant_id")
    tenant = ok(api.get(f"/v1/tenants/{tid}", token=token))
    out["tenant"] = {k: v for k, v in tenant.items() if k not in (*TIMES, "id", "domain", "status", "recording")}
    out["recording"] = {k: tenant["recording"][k] for k in ("enabled", "retention_days", "on_full")}
    return out


def export_tenant(api: Api, tid: str, token: str | None = None) -> dict[str, Any]:
    job = ok(api.post(f"/v1/tenants/{tid}/export", token=token or provider_token()), 202)
    assert job["status"] == "done", job
    again = ok(api.get(f"/v1/tenants/{tid}/jobs/{job['id']}", token=token or provider_token()))
    assert again["status"] == "done" and again["download"]["url"]
    s3 = boto3.client("s3", region_name="ap-southeast-1")
    tags = s3.get_object_tagging(Bucket=settings.aws().recordings_bucket, Key=again["result"]["archive_key"])
    assert tags["TagSet"] == [{"Key": "probox:kind", "Value": "export"}]  # the bucket's 30-day lifecycle rule
    return dict(again)


def download(job: dict[str, Any]) -> bytes:
    r = requests.get(job["download"]["url"], timeout=10)  # moto answers presigned URLs in process
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    assert hashlib.sha256(r.content).hexdigest() == job["download"]["sha256"]
    assert len(r.content) == job["download"]["bytes"]
    return r.content


def upload(api: Api, data: bytes) -> str:
    up = ok(api.post("/v1/tenants/import-uploads", token=provider_token()), 201)
    assert requests.put(up["upload_url"], data=data, timeout=10).status_code == 200
    return str(up["archive_key"])


def fresh_installation(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Another table and bucket in the same moto: nothing of the first one is reachable."""
    monkeypatch.setenv("PROBOX_TABLE", "probox-fresh")
    monkeypatch.setenv("PROBOX_RECORDINGS_BUCKET", FRESH_BUCKET)
    store.create_table()
    client = boto3.client("s3", region_name="ap-southeast-1")
    client.create_bucket(Bucket=FRESH_BUCKET, CreateBucketConfiguration=REGION)
    return client


def admin_token(api: Api, tid: str) -> str:
    return str(ok(api.post(f"/v1/tenants/{tid}/admin-tokens", token=provider_token()), 201)["token"])


def check_archive(data: bytes, src: Source) -> dict[str, Any]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format"] == "probox-tenant-export" and manifest["format_version"] == 1
    assert manifest["source"]["tenant_id"] == src.tid
    for entry in manifest["files"]:
        body = zf.read(entry["path"])
        assert hashlib.sha256(body).hexdigest() == entry["sha256"] and len(body) == entry["bytes"], entry["path"]
    sums = dict(reversed(line.split("  ", 1)) for line in zf.read("checksums.sha256").decode().splitlines())
    assert sums == {e["path"]: e["sha256"] for e in manifest["files"]}
    # the recordings themselves, byte for byte, under the documented path
    by_call = {r["call_id"]: r["path"] for r in manifest["recordings"]}
    assert set(by_call) == set(src.recordings)
    for call_id, body in src.recordings.items():
        assert zf.read(by_call[call_id]) == body
    assert [m["call_id"] for m in manifest["missing_recordings"]] == ["c-gone"]
    counts = manifest["counts"]
    assert (counts["cdrs"], counts["recordings"], counts["extensions"], counts["users"]) == (5, 2, 3, 2)
    # no secret of any kind, in any member
    ext = ext_store.get(src.tid, "101")
    trunk = store.get_child(src.tid, TrunkItem, keys.trunk_sk(src.trunk_register))
    assert ext is not None and trunk is not None
    everything = b"".join(zf.read(n) for n in zf.namelist())
    for secret in (src.sip_password, "trunk-secret-1", "agent-password-1", src.api_key, ext.ha1, ext.secret):
        assert secret.encode() not in everything, secret[:8]
    assert trunk.secret and trunk.secret.encode() not in everything
    assert b"scrypt$" not in everything and b"password_hash" not in everything
    config = json.loads(zf.read("config.json"))
    assert config["trunks_with_password"] == [src.trunk_register]
    assert all("ha1" not in e and "secret" not in e for e in config["extensions"])
    return dict(manifest)


# --- the round trip ----------------------------------------------------------------------------
def test_export_then_import_into_a_fresh_installation(api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    src = build_tenant(api, s3)
    before = config_view(api, src.tid, src.admin)
    cdrs_before = all_cdrs(api, src.admin)
    assert [c["call_id"] for c in cdrs_before if c["recording_deleted"]] == ["c-old"]
    job = export_tenant(api, src.tid)
    assert job["result"]["counts"]["cdrs"] == 5 and job["result"]["archive_key"].startswith(f"exports/{src.tid}/")
    data = download(job)
    check_archive(data, src)

    fresh = fresh_installation(monkeypatch)
    assert api.get(f"/v1/tenants/{src.tid}", token=provider_token()).status == 404  # really elsewhere
    key = upload(api, data)
    imp = ok(
        api.post("/v1/tenants/import", token=provider_token(), body={"archive_key": key, "domain": "moved.vn"}), 202
    )
    assert imp["status"] == "done", imp
    new = imp["tenant_id"]
    assert new != src.tid and imp["kind"] == "import"
    result = imp["result"]
    assert (result["cdrs"], result["recordings"], result["recording_bytes"]) == (5, 2, 4321 + 70_000)
    assert result["trunks_needing_password"] == [src.trunk_register]
    assert result["cdrs_without_recording"] == 1  # c-gone: no dangling key
    admin = admin_token(api, new)

    after = config_view(api, new, admin)
    assert after == before
    assigned = ok(api.get("/v1/assigned-numbers", token=admin))["items"]
    assert [(n["number"], n["in_use"], n["legacy"]) for n in assigned] == [
        ("02838221234", True, False),
        ("0938221234", False, False),  # assigned by the provider, not configured: carried too
        ("18001234", True, False),
    ]
    tenant = ok(api.get(f"/v1/tenants/{new}", token=admin))
    assert (tenant["domain"], tenant["status"], tenant["time_zone"]) == ("moved.vn", "active", "Asia/Tokyo")
    devices = ok(api.get("/v1/devices", token=admin))["items"]
    assert [(d["needs_reprovision"], d["has_token"]) for d in devices] == [(True, False)]
    trunks = {t["id"]: t["has_password"] for t in ok(api.get("/v1/trunks", token=admin))["items"]}
    assert trunks[src.trunk_register] is False

    # history: the same calls, the same local times, recordings byte for byte
    cdrs_after = all_cdrs(api, admin)
    assert len(cdrs_after) == len(cdrs_before) == 5
    moved = {c["call_id"]: c for c in cdrs_after}
    for before_doc in cdrs_before:
        got = dict(moved[before_doc["call_id"]])
        assert got.pop("tenant_id") == new and before_doc["tenant_id"] == src.tid
        key = got.pop("recording_key")
        if before_doc["call_id"] == "c-gone":  # its object was lost before the export
            assert before_doc["recording_key"] and key is None
        elif before_doc["recording_key"]:
            assert key == before_doc["recording_key"].replace(src.tid, new)
        assert got == {k: v for k, v in before_doc.items() if k not in ("tenant_id", "recording_key")}
    for call_id, body in src.recordings.items():
        assert moved[call_id]["recording_key"].startswith(f"tenants/{new}/recordings/")
        link = ok(api.get(f"/v1/cdrs/{call_id}/recording", token=admin))
        assert requests.get(link["url"], timeout=10).content == body
    usage = ok(api.get("/v1/recordings/usage", token=admin))["usage_bytes"]
    stored = sum(len(b) for b in src.recordings.values())
    assert usage == stored  # the bytes that moved (the lost object's 500 counted at the source only)
    assert ok(api.get("/v1/recordings/usage", token=admin))["level"] == "ok"
    assert {o["Key"] for o in fresh.list_objects_v2(Bucket=FRESH_BUCKET, Prefix="tenants/")["Contents"]} == {
        moved[c]["recording_key"] for c in src.recordings
    }

    # credentials were made anew: a new SIP password (HA1 for the new domain), no old login
    new_password = api.password(admin, "101")["sip_password"]
    assert new_password != src.sip_password
    snap = ok(api.get("/edge/v1/snapshot", token=api.edge()))
    [t] = [t for t in snap["tenants"] if t["id"] == new]
    [ext] = [e for e in t["extensions"] if e["number"] == "101"]
    assert ext["ha1"] == sipauth.ha1("101", "moved.vn", new_password)
    login = api.post("/v1/auth/login", body={"email": f"agent@{src.domain}", "password": "agent-password-1"})
    assert login.status == 401
    assert api.get("/v1/extensions", token=src.api_key).status == 401


# --- offboarding and moving back --------------------------------------------------------------
def table_items() -> list[dict[str, Any]]:
    client = boto3.client("dynamodb", region_name="ap-southeast-1")
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=os.environ["PROBOX_TABLE"]):
        items += page["Items"]
    return items


def mentions(items: list[dict[str, Any]], *needles: str) -> list[str]:
    return [it["pk"]["S"] + "|" + it["sk"]["S"] for it in items if any(n in json.dumps(it) for n in needles)]


def test_offboarding_leaves_nothing_and_the_tenant_comes_back(api: Api, s3: Any) -> None:
    src = build_tenant(api, s3)
    other, other_admin = api.tenant("stays.probox.vn")
    api.extension(other_admin, "101")
    ok(api.post("/edge/v1/cdrs", token=api.edge("edge-all"), body=cdr_doc(other, "b-1", ago(1))), 201)
    both = ok(api.post("/v1/edges", token=provider_token(), body={"id": "edge-list", "tenants": [src.tid, other]}), 201)
    other_before = mentions(table_items(), other)
    plan_count = ok(api.get("/v1/plans/PBX-10", token=provider_token()))["tenant_count"]
    login = ok(api.post("/v1/auth/login", body={"email": f"boss@{src.domain}", "password": "boss-password-12"}))
    link = ok(api.post("/v1/extensions/102/provisioning", token=src.admin), 201)  # never redeemed
    cdrs_before = all_cdrs(api, src.admin)

    # refused until the tenant is suspended and exported since; never by the tenant itself
    assert api.delete(f"/v1/tenants/{src.tid}", token=src.admin).status == 403
    r = api.delete(f"/v1/tenants/{src.tid}", token=provider_token())
    assert r.status == 409 and "suspend" in r.json["error"]["message"]
    early = export_tenant(api, src.tid)
    ok(api.request("PATCH", f"/v1/tenants/{src.tid}", token=provider_token(), body={"status": "suspended"}))
    r = api.delete(f"/v1/tenants/{src.tid}", token=provider_token())
    assert r.status == 409 and "export" in r.json["error"]["message"]  # the export predates the suspension
    job = export_tenant(api, src.tid)
    archive = download(job)
    gone = ok(api.delete(f"/v1/tenants/{src.tid}", token=provider_token()), 202)
    assert gone["status"] == "done" and gone["kind"] == "delete", gone
    assert gone["result"]["objects_deleted"] >= 3  # two recordings and the retention delete marker

    # no item of the tenant but its job records; only the dead login session and the unused
    # one-time link (no index finds them: they expire by TTL) still name it
    left = mentions(table_items(), src.tid, src.domain)
    assert sorted(x for x in left if not x.startswith(f"JOBS#{src.tid}|")) == sorted(
        [f"SESSION#{_sid(login['token'])}|SESSION", f"PROV#{hashlib.sha256(link['token'].encode()).hexdigest()}|PROV"]
    )
    assert len([x for x in left if x.startswith("JOBS#")]) == 3  # two exports and the deletion
    assert api.get("/v1/users/me", token=login["token"]).status == 401
    assert api.post(link["url"]).status == 404
    assert api.get("/v1/extensions", token=src.api_key).status == 401
    assert api.get(f"/v1/tenants/{src.tid}", token=provider_token()).status == 404
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix=f"tenants/{src.tid}/")
    assert not versions.get("Versions") and not versions.get("DeleteMarkers")
    exports = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"exports/{src.tid}/")["Contents"]}
    assert exports == {early["result"]["archive_key"], job["result"]["archive_key"]}  # archives stay
    jobs = ok(api.get(f"/v1/tenants/{src.tid}/jobs", token=provider_token()))["items"]
    assert [j["kind"] for j in jobs] == ["delete", "export", "export"]
    assert ok(api.get(f"/v1/edges/{both['id']}", token=provider_token()))["tenants"] == [other]
    assert ok(api.get("/v1/plans/PBX-10", token=provider_token()))["tenant_count"] == plan_count - 1
    # the other tenant lost nothing (its rate-limit window and its edge list aside)
    assert [x for x in mentions(table_items(), other) if not x.startswith("RATE#")] == [
        x for x in other_before if not x.startswith("RATE#")
    ]

    # back to the cloud: same id, same domain, same numbers and e-mails, same history
    back = ok(
        api.post(
            "/v1/tenants/import",
            token=provider_token(),
            body={"archive_key": job["result"]["archive_key"], "keep_id": True},
        ),
        202,
    )
    assert back["status"] == "done" and back["tenant_id"] == src.tid, back
    admin = admin_token(api, src.tid)
    tenant = ok(api.get(f"/v1/tenants/{src.tid}", token=admin))
    assert (tenant["domain"], tenant["status"]) == (src.domain, "active")
    assert strip(all_cdrs(api, admin)) == [
        {**c, "recording_key": None if c["call_id"] == "c-gone" else c["recording_key"]} for c in strip(cdrs_before)
    ]
    for call_id, body in src.recordings.items():
        url = ok(api.get(f"/v1/cdrs/{call_id}/recording", token=admin))["url"]
        assert requests.get(url, timeout=10).content == body
    assert len(archive) == job["download"]["bytes"]


def _sid(token: str) -> str:
    import base64

    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims["sid"])


def test_force_deletes_an_active_tenant_without_export(api: Api, s3: Any) -> None:
    tid, admin = api.tenant("gone.probox.vn")
    api.extension(admin, "101")
    edge = api.edge()
    doc = cdr_doc(tid, "x", ago(1), **edge_upload(edge, "x", b"abc"))
    ok(api.post("/edge/v1/cdrs", token=edge, body=doc), 201)
    assert s3.list_objects_v2(Bucket=BUCKET, Prefix=f"tenants/{tid}/recordings/")["KeyCount"] == 1
    assert api.delete(f"/v1/tenants/{tid}", token=provider_token()).status == 409
    job = ok(api.delete(f"/v1/tenants/{tid}?force=true", token=provider_token()), 202)
    assert job["status"] == "done" and job["result"]["items_deleted"] >= 5
    assert [x for x in mentions(table_items(), tid) if not x.startswith("JOBS#")] == []
    assert not s3.list_object_versions(Bucket=BUCKET, Prefix=f"tenants/{tid}/").get("Versions")
    assert [t["id"] for t in ok(api.get("/edge/v1/snapshot", token=edge))["tenants"]] == []
    # the domain is free again
    assert api.post("/v1/tenants", token=provider_token(), body={"name": "x", "domain": "gone.probox.vn"}).status == 201


# --- who may do what --------------------------------------------------------------------------
def test_tenant_admin_exports_its_own_tenant_only(api: Api, s3: Any) -> None:
    tid, admin = api.tenant("self.probox.vn")
    other, other_admin = api.tenant("nosy.probox.vn")
    api.extension(admin, "101")
    job = export_tenant(api, tid, token=admin)
    assert job["created_by"] and download(job)
    assert api.post(f"/v1/tenants/{other}/export", token=admin).status == 404
    assert api.get(f"/v1/tenants/{tid}/jobs/{job['id']}", token=other_admin).status == 404
    assert api.get(f"/v1/tenants/{other}/jobs/{job['id']}", token=other_admin).status == 404
    key = ok(api.post("/v1/api-keys", token=admin, body={"name": "CRM"}), 201)["key"]
    assert api.post(f"/v1/tenants/{tid}/export", token=key).status == 403  # keys cannot take the data
    sup = ok(api.post("/v1/api-keys", token=admin, body={"name": "wall", "role": "supervisor"}), 201)["key"]
    assert api.post(f"/v1/tenants/{tid}/export", token=sup).status == 403
    assert api.post("/v1/tenants/import", token=admin, body={"archive_key": job["result"]["archive_key"]}).status == 403
    assert api.post("/v1/tenants/import-uploads", token=admin).status == 403


def test_jobs_function_runs_the_job_and_one_export_at_a_time(
    api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tid, admin = api.tenant("async.probox.vn")
    invoked: list[dict[str, Any]] = []

    class FakeLambda:
        def invoke(self, **kw: Any) -> dict[str, Any]:
            invoked.append(kw)
            return {"StatusCode": 202}

    monkeypatch.setenv("PROBOX_JOBS_FUNCTION", "probox-prod-tenant-jobs")
    real_client = boto3.client
    monkeypatch.setattr(
        boto3, "client", lambda name, **kw: FakeLambda() if name == "lambda" else real_client(name, **kw)
    )
    job = ok(api.post(f"/v1/tenants/{tid}/export", token=admin), 202)
    assert job["status"] == "pending"
    [call] = invoked
    assert call["FunctionName"] == "probox-prod-tenant-jobs" and call["InvocationType"] == "Event"
    event = json.loads(call["Payload"])
    assert event == {"tenant_id": tid, "job_id": job["id"]}
    busy = api.post(f"/v1/tenants/{tid}/export", token=admin)
    assert busy.status == 409 and job["id"] in busy.json["error"]["message"]
    assert run_tenant_job(event, None) == {"status": "done"}
    assert run_tenant_job(event, None) == {"status": "done"}  # a retried invocation does nothing
    assert ok(api.get(f"/v1/tenants/{tid}/jobs/{job['id']}", token=admin))["download"]["url"]
    # a job that stops reporting (a killed function) shows as failed and frees the tenant
    stuck = ok(api.post(f"/v1/tenants/{tid}/export", token=admin), 202)
    later = clock.now() + timedelta(seconds=jobs.STALE_AFTER_S + 60)
    monkeypatch.setattr(clock, "now", lambda: later)
    shown = ok(api.get(f"/v1/tenants/{tid}/jobs/{stuck['id']}", token=admin))
    assert shown["status"] == "failed" and "without finishing" in shown["error"]
    assert api.post(f"/v1/tenants/{tid}/export", token=admin).status == 202


def test_jobs_function_runs_with_only_the_environment_the_template_gives_it(
    api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """template.yaml gives TenantJobs the KMS key but neither the Fernet key nor the JWT
    secret, and lets it GenerateDataKey under a tenant's context but not Decrypt secrets:
    export, import and deletion jobs must run with exactly that."""
    key_id = boto3.client("kms", region_name="ap-southeast-1").create_key(Description="jobs")["KeyMetadata"]["KeyId"]
    monkeypatch.setenv("PROBOX_KMS_KEY_ID", key_id)
    crypto.reset()
    tid, admin = api.tenant("kms.probox.vn")
    ok(api.post("/v1/extensions", token=admin, body={"number": "101"}), 201)
    invoked: list[dict[str, Any]] = []

    class FakeLambda:
        def invoke(self, **kw: Any) -> dict[str, Any]:
            invoked.append(json.loads(kw["Payload"]))
            return {"StatusCode": 202}

    monkeypatch.setenv("PROBOX_JOBS_FUNCTION", "probox-prod-tenant-jobs")
    real_client = boto3.client
    monkeypatch.setattr(
        boto3, "client", lambda name, **kw: FakeLambda() if name == "lambda" else real_client(name, **kw)
    )
    kms_ops: list[str] = []

    def in_jobs_function(event: dict[str, Any]) -> dict[str, Any]:
        secrets = {n: os.environ.pop(n) for n in ("PROBOX_SECRET_KEY", "PROBOX_JWT_SECRET")}
        crypto.reset()
        crypto._kms().meta.events.register("before-call.kms.*", lambda model, **_: kms_ops.append(model.name))
        try:
            result: dict[str, Any] = run_tenant_job(event, None)
            return result
        finally:
            os.environ.update(secrets)
            crypto.reset()

    job = ok(api.post(f"/v1/tenants/{tid}/export", token=admin), 202)
    assert in_jobs_function(invoked[-1]) == {"status": "done"}
    archive = ok(api.get(f"/v1/tenants/{tid}/jobs/{job['id']}", token=admin))["result"]["archive_key"]
    body = {"archive_key": archive, "domain": "kms-back.probox.vn"}
    imported = ok(api.post("/v1/tenants/import", token=provider_token(), body=body), 202)
    assert in_jobs_function(invoked[-1]) == {"status": "done"}
    new_tid = imported["tenant_id"]
    ext = ext_store.get(new_tid, "101")
    assert ext is not None and crypto.scheme(ext.secret) == "kms1"  # a new password, sealed with KMS
    deleted = ok(api.delete(f"/v1/tenants/{tid}?force=true", token=provider_token()), 202)
    assert in_jobs_function(invoked[-1]) == {"status": "done"}
    assert ok(api.get(f"/v1/tenants/{tid}/jobs/{deleted['id']}", token=provider_token()))["status"] == "done"
    assert set(kms_ops) == {"GenerateDataKey"}  # no Decrypt of a stored secret


# --- streaming -------------------------------------------------------------------------------
def test_export_streams_in_parts_with_bounded_memory(api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    part = 5 * 1024 * 1024  # S3's smallest part
    monkeypatch.setattr(s3io, "PART_SIZE", part)
    writers: list[s3io.MultipartWriter] = []
    real = s3io.MultipartWriter

    class Watched(real):  # type: ignore[misc,valid-type]
        def __init__(self, *a: Any, **kw: Any) -> None:
            super().__init__(*a, **kw)
            writers.append(self)

    monkeypatch.setattr(exporter, "MultipartWriter", Watched)
    tid, _ = api.tenant("big.probox.vn")
    edge = api.edge()
    bodies = {}
    for i in range(4):
        at = ago(1 + i)
        key = f"tenants/{tid}/recordings/{at[:4]}/{at[5:7]}/{at[8:10]}/big{i}.opus"
        bodies[key] = os.urandom(4 * 1024 * 1024 + i)
        doc = cdr_doc(tid, f"big{i}", at, **edge_upload(edge, f"big{i}", bodies[key]))
        ok(api.post("/edge/v1/cdrs", token=edge, body=doc), 201)
    job = export_tenant(api, tid)
    [writer] = writers
    assert job["result"]["parts"] == len(writer.parts) >= 3
    assert writer.max_buffered < part + exporter.CHUNK + 64 * 1024  # never a whole recording, let alone all
    data = download(job)
    zf = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(zf.read(k.removeprefix(f"tenants/{tid}/")) for k in bodies) == sorted(bodies.values())
    assert zf.testzip() is None


# --- bad archives --------------------------------------------------------------------------------
def rezip(data: bytes, replace: dict[str, bytes | None], *, fix_checksums: bool = True) -> bytes:
    """A copy of an archive with members replaced (None: removed), manifest checksums fixed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {n: src.read(n) for n in src.namelist()}
    for name, body in replace.items():
        if body is None:
            members.pop(name, None)
        else:
            members[name] = body
    if fix_checksums and "manifest.json" in members and "manifest.json" not in replace:
        manifest = json.loads(members["manifest.json"])
        for entry in manifest["files"]:
            if entry["path"] in replace and replace[entry["path"]] is not None:
                body = members[entry["path"]]
                entry.update(bytes=len(body), sha256=hashlib.sha256(body).hexdigest())
        members["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


def edited_config(data: bytes, edit: Any) -> bytes:
    config = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("config.json"))
    edit(config)
    return json.dumps(config).encode()


def test_bad_archives_are_400_and_create_nothing(api: Api, s3: Any) -> None:
    src = build_tenant(api, s3)
    good = download(export_tenant(api, src.tid))
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(good)).read("manifest.json"))
    tenants_before = ok(api.get("/v1/tenants", token=provider_token()))["items"]

    def refused(archive: bytes | None, *, key: str | None = None, **body: Any) -> dict[str, Any]:
        archive_key = key or upload(api, archive or b"")
        r = api.post("/v1/tenants/import", token=provider_token(), body={"archive_key": archive_key, **body})
        assert r.status == 400, r.text
        return dict(r.json["error"])

    assert "archive_key" in refused(None, key="tenants/x/recordings/a.opus")["fields"]
    assert "no archive at" in refused(None, key="imports/imp_000000000000.zip")["message"]
    assert "not a zip file" in refused(b"PK\x03\x04 this is not really a zip")["message"]
    assert "manifest.json is missing" in refused(rezip(good, {"manifest.json": None}))["message"]
    foreign = json.dumps({**manifest, "format": "asterisk-backup"}).encode()
    assert "does not describe" in refused(rezip(good, {"manifest.json": foreign}))["message"]
    newer = json.dumps({**manifest, "format_version": 9}).encode()
    assert "format_version 9 is newer" in refused(rezip(good, {"manifest.json": newer}))["message"]
    tampered = zipfile.ZipFile(io.BytesIO(good)).read("config.json").replace(b'"Lan"', b'"Eve"')
    err = refused(rezip(good, {"config.json": tampered}, fix_checksums=False))
    assert err["message"] == "invalid archive: config.json does not match its checksum in the manifest"
    bad_ext = edited_config(good, lambda c: c["extensions"][0].update(number="0"))
    err = refused(rezip(good, {"config.json": bad_ext}))
    assert "config.extensions.0.number" in err["fields"] and err["message"].startswith("invalid archive: config.json")
    dangling = edited_config(good, lambda c: c["numbers"][0].update(route_to="555"))
    err = refused(rezip(good, {"config.json": dangling}))
    assert err["fields"] == {"config.numbers.0.route_to": "unknown extension 555"}
    no_cdrs = rezip(good, {"cdrs.jsonl": None})
    assert "cdrs.jsonl is listed in the manifest but missing" in refused(no_cdrs)["message"]
    # nothing was created by any of them
    assert ok(api.get("/v1/tenants", token=provider_token()))["items"] == tenants_before


def test_import_conflicts_are_409(api: Api, s3: Any) -> None:
    src = build_tenant(api, s3)
    key = export_tenant(api, src.tid)["result"]["archive_key"]

    def conflict(body: dict[str, Any]) -> dict[str, Any]:
        r = api.post("/v1/tenants/import", token=provider_token(), body={"archive_key": key, **body})
        assert r.status == 409, r.text
        return dict(r.json["error"])

    assert conflict({})["fields"] == {"domain": "already in use"}
    assert conflict({"keep_id": True, "domain": "other.vn"})["fields"] == {"keep_id": "tenant id in use"}
    assert "02838221234" in conflict({"domain": "other.vn"})["message"]  # the numbers are the source's
    plan = {"name": "TINY", "max_extensions": 2, "max_concurrent_calls": 2, "recording_quota_bytes": 10}
    ok(api.post("/v1/plans", token=provider_token(), body=plan), 201)
    err = conflict({"domain": "other.vn", "plan": "TINY"})
    assert err["code"] == "limit_exceeded" and "the archive has 3" in err["message"]


def test_a_damaged_recording_fails_the_import_and_rolls_it_back(
    api: Api, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = build_tenant(api, s3)
    good = download(export_tenant(api, src.tid))
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(good)).read("manifest.json"))
    path = next(r["path"] for r in manifest["recordings"] if r["call_id"] == "c-rec2")
    fresh_installation(monkeypatch)
    bad = rezip(good, {path: b"X" * 70_000}, fix_checksums=False)  # same size, other bytes
    job = ok(api.post("/v1/tenants/import", token=provider_token(), body={"archive_key": upload(api, bad)}), 202)
    assert job["status"] == "failed" and job["error"] == f"{path} does not match its checksum in the manifest"
    new = job["tenant_id"]
    assert api.get(f"/v1/tenants/{new}", token=provider_token()).status == 404
    assert [x for x in mentions(table_items(), new, src.domain) if not x.startswith("JOBS#")] == []
    fresh = boto3.client("s3", region_name="ap-southeast-1")
    assert "Contents" not in fresh.list_objects_v2(Bucket=FRESH_BUCKET, Prefix="tenants/")
    # the same (good) archive then imports cleanly: domain, numbers and e-mails were released
    again = ok(api.post("/v1/tenants/import", token=provider_token(), body={"archive_key": upload(api, good)}), 202)
    assert again["status"] == "done", again
    assert again["result"]["cdrs"] == 5


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("tenants/t_1/recordings/2025/11/01/call-a.opus", "recordings/2025/11/01/call-a.opus"),
        ("tenants/t_1/recordings/2025/11/01/cuộc@gọi.wav", "recordings/2025/11/01/cuộc@gọi.wav"),
        ("tenants/t_2/recordings/2025/11/01/call-a.opus", None),  # another tenant's key
        ("tenants/t_1/reports/x.xlsx", None),
        ("tenants/t_1/recordings/../../t_2/recordings/x.opus", None),
        ("tenants/t_1/recordings/a//b.opus", None),
    ],
)
def test_archive_paths_of_recordings(key: str, path: str | None) -> None:
    assert job_archive.recording_path("t_1", key) == path
