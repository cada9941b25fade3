"""Issue 13, item 4: an edge sees and writes only what is its own. A new edge serves no
tenant; its access tokens live an hour and come from a credential that can be rotated;
carrier passwords reach it sealed to its key; it posts CDRs of its own tenants only, and a
recording's key and size are the control plane's, never overwritten. Each test performs the
attack through the HTTP API (the edge routes), as a stolen edge token or a rogue edge would."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest

from control_plane.core import auth, settings
from pbx_core import sealing

from .conftest import JWT_SECRET, Api, cdr_doc, edge_id_of, edge_upload, provider_token, trunk_password

pytestmark = pytest.mark.aws

STARTED = "2026-02-01T08:00:00.000Z"


def _edge(api: Api, edge_id: str, tenants: list[str] | None) -> dict[str, Any]:
    r = api.post("/v1/edges", token=provider_token(), body={"id": edge_id, "tenants": tenants})
    assert r.status == 201, r.text
    doc: dict[str, Any] = r.json
    return doc


def _usage(api: Api, admin: str) -> int:
    return int(api.get("/v1/recordings/usage", token=admin).json["usage_bytes"])


def _object(key: str) -> bytes | None:
    client = boto3.client("s3", region_name="ap-southeast-1")
    try:
        body: bytes = client.get_object(Bucket=settings.aws().recordings_bucket, Key=key)["Body"].read()
    except client.exceptions.NoSuchKey:
        return None
    return body


# --- what an edge serves ---------------------------------------------------------------------
def test_a_new_edge_serves_no_tenant_until_the_provider_lists_it(api: Api) -> None:
    a, _ = api.tenant("a.probox.vn")
    api.tenant("b.probox.vn")
    edge = api.post("/v1/edges", token=provider_token(), body={"id": "new-1"})
    assert edge.status == 201 and edge.json["tenants"] == [], edge.text
    assert api.get("/edge/v1/snapshot", token=edge.json["token"]).json["tenants"] == []
    r = api.post("/edge/v1/cdrs", token=edge.json["token"], body=cdr_doc(a, "c-1", STARTED))
    assert r.status == 403, r.text
    api.request("PATCH", "/v1/edges/new-1", token=provider_token(), body={"tenants": [a]})
    assert [t["id"] for t in api.get("/edge/v1/snapshot", token=edge.json["token"]).json["tenants"]] == [a]


def test_an_edge_cannot_fill_another_tenants_quota_and_have_its_recordings_deleted(api: Api) -> None:
    """The attack of the issue: forged CDRs with huge recordings for tenant B from an edge that
    serves only A; before, B's quota filled and delete_oldest erased B's real recordings."""
    a, _ = api.tenant("a.probox.vn")
    b, admin_b = api.tenant("b.probox.vn")
    edge_b = _edge(api, "edge-b", [b])["token"]
    real = cdr_doc(b, "b-real", STARTED, **edge_upload(edge_b, "b-real", b"B" * 1000))
    assert api.post("/edge/v1/cdrs", token=edge_b, body=real).status == 201
    rogue = _edge(api, "edge-a", [a])["token"]
    for i in range(3):
        forged = cdr_doc(b, f"forged-{i}", STARTED, **edge_upload(rogue, f"forged-{i}", b"X" * 10))
        forged["recording_bytes"] = 10**12
        r = api.post("/edge/v1/cdrs", token=rogue, body=forged)
        assert r.status == 403 and r.json["error"]["fields"] == {"tenant_id": "not served by this edge"}, r.text
    assert _usage(api, admin_b) == 1000
    assert [c["call_id"] for c in api.get("/v1/cdrs", token=admin_b).json["items"]] == ["b-real"]
    assert _object(f"tenants/{b}/recordings/2026/02/01/b-real.opus") == b"B" * 1000


# --- recordings: the control plane's key and size, never overwritten -----------------------------
def test_the_recording_size_is_the_stored_objects_not_the_edges_claim(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    doc = cdr_doc(tid, "c-1", STARTED, **edge_upload(edge, "c-1", b"R" * 1234))
    doc["recording_bytes"] = 5  # a lie in either direction changes nothing
    assert api.post("/edge/v1/cdrs", token=edge, body=doc).status == 201
    got = api.get("/v1/cdrs/c-1", token=admin).json
    assert got["recording_bytes"] == 1234 and _usage(api, admin) == 1234
    assert got["recording_key"] == f"tenants/{tid}/recordings/2026/02/01/c-1.opus"
    assert _object(got["recording_key"]) == b"R" * 1234
    assert _object(f"incoming/{edge_id_of(edge)}/c-1.opus") is None  # moved, not copied and left


def test_a_reused_call_id_never_replaces_a_recording(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    first = cdr_doc(tid, "same-id", STARTED, **edge_upload(edge, "first", b"FIRST"))
    assert api.post("/edge/v1/cdrs", token=edge, body=first).status == 201
    # a phone reuses the Call-ID for another call: its recording must not replace the first
    later = cdr_doc(tid, "same-id", STARTED, **edge_upload(edge, "second", b"SECOND-CALL"))
    r = api.post("/edge/v1/cdrs", token=edge, body=later)
    assert r.status == 200 and r.json["status"] == "duplicate", r.text
    key = f"tenants/{tid}/recordings/2026/02/01/same-id.opus"
    assert _object(key) == b"FIRST" and _usage(api, admin) == 5
    assert _object(f"incoming/{edge_id_of(edge)}/second.opus") is None  # dropped
    # even when the second call starts another day (another key), nothing is stored for it
    other_day = cdr_doc(tid, "same-id", "2026-02-02T08:00:00.000Z", **edge_upload(edge, "third", b"THIRD"))
    assert api.post("/edge/v1/cdrs", token=edge, body=other_day).json["status"] == "duplicate"
    assert _object(f"tenants/{tid}/recordings/2026/02/02/same-id.opus") is None


def test_a_storage_failure_stores_nothing_and_the_retry_places_the_recording(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Placing the recording fails (S3 hiccup): no CDR without its recording; the edge's retry works."""
    from control_plane.core import s3

    tid, admin = api.tenant("acme.probox.vn")
    edge = api.edge()
    doc = cdr_doc(tid, "c-1", STARTED, **edge_upload(edge, "c-1", b"AUDIO"))
    real_place = s3.place
    monkeypatch.setattr(s3, "place", lambda src, dst: (_ for _ in ()).throw(RuntimeError("S3 down")))
    assert api.post("/edge/v1/cdrs", token=edge, body=doc).status == 500  # the edge keeps it and retries
    assert api.get("/v1/cdrs/c-1", token=admin).status == 404 and _usage(api, admin) == 0
    monkeypatch.setattr(s3, "place", real_place)
    r = api.post("/edge/v1/cdrs", token=edge, body=doc)
    assert r.status == 201, r.text
    assert _object(f"tenants/{tid}/recordings/2026/02/01/c-1.opus") == b"AUDIO"
    assert api.get("/v1/cdrs/c-1/recording", token=admin).status == 200


@pytest.mark.parametrize(
    "upload",
    [
        "incoming/edge-2/c-1.opus",  # another edge's upload
        "tenants/{tid}/recordings/2026/02/01/c-1.opus",  # a tenant's key
        "incoming/edge-1/../edge-2/c-1.opus",
        "incoming/edge-1/c-1.exe",
    ],
)
def test_an_edge_names_only_its_own_uploads(api: Api, upload: str) -> None:
    tid, _ = api.tenant("acme.probox.vn")
    edge = api.edge("edge-1")
    other = api.edge("edge-2")
    edge_upload(other, "c-1", b"NOT-YOURS")
    doc = cdr_doc(tid, "c-1", STARTED, recording_key="x", recording_upload=upload.format(tid=tid))
    r = api.post("/edge/v1/cdrs", token=edge, body=doc)
    assert r.status == 400 and "recording_upload" in r.json["error"]["fields"], r.text
    assert _object("incoming/edge-2/c-1.opus") == b"NOT-YOURS"


# --- credentials --------------------------------------------------------------------------------
def _exchange(api: Api, credential: str) -> Any:
    return api.post("/edge/v1/token", headers={"Authorization": f"Bearer {credential}"})


def test_edge_access_tokens_live_an_hour_and_come_from_the_credential(api: Api) -> None:
    api.tenant("acme.probox.vn")
    created = _edge(api, "hn-1", None)
    claims = auth.verify(JWT_SECRET, created["token"])
    assert claims.edge_id == "hn-1"
    r = _exchange(api, created["credential"])
    assert r.status == 201, r.text
    assert api.get("/edge/v1/snapshot", token=r.json["token"]).status == 200
    # a token that lives a year (as edges had before) is refused even though it is signed
    legacy = auth.mint(JWT_SECRET, auth.EDGE, edge_id="hn-1", ttl_s=365 * 86400)
    assert api.get("/edge/v1/snapshot", token=legacy).status == 401
    for wrong in (created["credential"] + "x", "pbxe_hn-1.guess", "pbxe_nope.x", created["token"], ""):
        assert _exchange(api, wrong).status == 401, wrong


def test_the_provider_rotation_ends_the_old_credential_and_its_tokens_at_once(api: Api) -> None:
    created = _edge(api, "hn-1", None)
    old_token = _exchange(api, created["credential"]).json["token"]
    rotated = api.post("/v1/edges/hn-1/token", token=provider_token())
    assert rotated.status == 201 and rotated.json["credential"] != created["credential"], rotated.text
    assert _exchange(api, created["credential"]).status == 401
    assert api.get("/edge/v1/snapshot", token=old_token).status == 401
    assert api.get("/edge/v1/snapshot", token=_exchange(api, rotated.json["credential"]).json["token"]).status == 200


def test_the_edge_renews_its_credential_without_locking_itself_out(api: Api) -> None:
    created = _edge(api, "hn-1", None)
    token = _exchange(api, created["credential"]).json["token"]
    new = api.post("/edge/v1/credential", token=token)
    assert new.status == 201, new.text
    # not saved yet (a crash now): the old credential still works
    assert _exchange(api, created["credential"]).status == 201
    assert _exchange(api, new.json["credential"]).status == 201  # first use: the switch
    assert _exchange(api, created["credential"]).status == 401
    assert api.get("/edge/v1/snapshot", token=token).status == 401  # the old generation ends
    listed = api.get("/v1/edges/hn-1", token=provider_token()).json
    assert "credential" not in listed and listed["credential_at"]


# --- carrier passwords sealed to the edge ---------------------------------------------------------
def test_carrier_passwords_reach_only_the_edge_that_holds_the_key(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    body = {"name": "VNPT", "host": "sip.vnpt.vn", "auth": "register", "username": "acct", "password": "Trunk-Pass-1"}
    trunk = api.post("/v1/trunks", token=admin, body=body).json["id"]
    stolen = _edge(api, "no-key", None)["token"]  # a stolen access token, or an edge without a key
    raw = api.get("/edge/v1/snapshot", token=stolen)
    assert b"Trunk-Pass-1" not in raw.raw
    [t] = [t for tenant in raw.json["tenants"] for t in tenant["trunks"]]
    assert t["password"] == "" and t["password_sealed"] == ""
    token = _edge(api, "hn-1", None)["token"]
    private = sealing.new_private_key()
    api.request("PUT", "/edge/v1/seal-key", token=token, body={"public_key": sealing.public_key(private)})
    snap = api.get("/edge/v1/snapshot", token=token)
    assert b"Trunk-Pass-1" not in snap.raw
    assert trunk_password(snap.json, private, tid, trunk) == "Trunk-Pass-1"
    [t] = [t for tenant in snap.json["tenants"] for t in tenant["trunks"]]
    with pytest.raises(ValueError):  # another edge's key does not open it
        sealing.open_sealed(sealing.new_private_key(), t["password_sealed"], sealing.trunk_context(tid, trunk))
    bad = api.request("PUT", "/edge/v1/seal-key", token=token, body={"public_key": "A" * 43})
    assert bad.status == 400, bad.text


def test_an_expired_edge_token_is_refused(api: Api) -> None:
    _edge(api, "hn-1", None)
    past = time.time() - 2 * auth.EDGE_TTL_S
    expired = auth.mint(JWT_SECRET, auth.EDGE, edge_id="hn-1", ttl_s=auth.EDGE_TTL_S, now=past)
    assert api.get("/edge/v1/snapshot", token=expired).status == 401


def test_placing_a_recording_never_replaces_an_object(api: Api) -> None:
    """S3's conditional write: the control plane's placement cannot overwrite, whatever races."""
    from control_plane.core import s3

    api.tenant("acme.probox.vn")
    edge = api.edge()
    first = edge_upload(edge, "one", b"FIRST")["recording_upload"]
    second = edge_upload(edge, "two", b"SECOND")["recording_upload"]
    assert s3.place(first, "tenants/t/recordings/x.opus") is True
    assert s3.place(second, "tenants/t/recordings/x.opus") is False
    assert _object("tenants/t/recordings/x.opus") == b"FIRST"
