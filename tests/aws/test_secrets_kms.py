"""Stored secrets: KMS envelope encryption (moto KMS) beside the Fernet settings key.

Both schemes decrypt side by side (prefixes), a ciphertext is bound to its tenant (KMS
encryption context) and its row (AES-GCM associated data), data keys are cached per
tenant, and no API answer or log line carries a secret or a ciphertext.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError
from cryptography.fernet import Fernet

from control_plane.core import clock, crypto, keys, store
from control_plane.core.crypto import SecretCorrupt
from control_plane.core.log import logger
from control_plane.extensions import service as rotation
from control_plane.extensions import store as ext_store
from control_plane.extensions.store import ExtensionItem
from control_plane.trunks.store import TrunkItem

from .conftest import SECRET_KEY, Api, sealed_edge, trunk_password

pytestmark = pytest.mark.aws

REGION = "ap-southeast-1"
TRUNK_PASSWORD = "Carrier-Pass-0123456789"


@pytest.fixture
def kms_key(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    key_id: str = boto3.client("kms", region_name=REGION).create_key(Description="probox test")["KeyMetadata"]["KeyId"]
    monkeypatch.setenv("PROBOX_KMS_KEY_ID", key_id)
    crypto.reset()
    return key_id


@pytest.fixture
def kms_calls(kms_key: str) -> Iterator[list[str]]:
    """The KMS operations crypto performs (through its own client)."""
    calls: list[str] = []

    def record(model: object, **_: object) -> None:
        calls.append(str(getattr(model, "name", "")))

    client = crypto._kms()
    client.meta.events.register("before-call.kms.*", record)
    try:
        yield calls
    finally:
        client.meta.events.unregister("before-call.kms.*", record)


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    """Every log record of any logger (ours as JSON lines, boto's too) at INFO and above."""
    stream = io.StringIO()
    ours = logging.StreamHandler(stream)
    ours.setFormatter(logger.registered_formatter)
    logger.addHandler(ours)
    root = logging.getLogger()
    anyone = logging.StreamHandler(stream)
    old_level = root.level
    root.addHandler(anyone)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(ours)
        root.removeHandler(anyone)
        root.setLevel(old_level)


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_kms_round_trip(kms_key: str) -> None:
    token = crypto.encrypt("t_a", "ext/101", "s3cret-Password-1")
    assert token.startswith("kms1:") and crypto.scheme(token) == "kms1"
    assert "s3cret" not in token
    assert crypto.decrypt("t_a", "ext/101", token) == "s3cret-Password-1"
    crypto.reset()  # a cold process: KMS itself unwraps the data key
    assert crypto.decrypt("t_a", "ext/101", token) == "s3cret-Password-1"
    other = crypto.encrypt("t_a", "ext/101", "s3cret-Password-1")
    assert other != token  # a fresh nonce every time


def test_kms_ciphertext_of_another_tenant_or_row_does_not_decrypt(kms_key: str) -> None:
    token = crypto.encrypt("t_a", "ext/101", "pw-of-a-0123456789")
    # With the data key cached for t_a and without: the cache never answers for t_b.
    for cold in (False, True):
        if cold:
            crypto.reset()
        with pytest.raises(SecretCorrupt):
            crypto.decrypt("t_b", "ext/101", token)
        with pytest.raises(SecretCorrupt):
            crypto.decrypt("t_a", "ext/102", token)  # same tenant, another row: GCM associated data
    # KMS itself refuses the wrapped data key under another tenant's encryption context.
    wrapped = _unb64(token.removeprefix("kms1:").split(":")[0])
    kms = boto3.client("kms", region_name=REGION)
    with pytest.raises(ClientError) as err:
        kms.decrypt(CiphertextBlob=wrapped, EncryptionContext={"tenant_id": "t_b", "purpose": crypto.PURPOSE})
    assert err.value.response["Error"]["Code"] == "InvalidCiphertextException"
    ok = kms.decrypt(CiphertextBlob=wrapped, EncryptionContext={"tenant_id": "t_a", "purpose": crypto.PURPOSE})
    assert len(ok["Plaintext"]) == 32
    # a damaged ciphertext is a SecretCorrupt, never a crash with the secret in it
    with pytest.raises(SecretCorrupt):
        crypto.decrypt("t_a", "ext/101", token[:-4] + "AAAA")
    with pytest.raises(SecretCorrupt):
        crypto.decrypt("t_a", "ext/101", "kms1:not-base64!:x")


def test_fernet_kms_and_unprefixed_ciphertexts_decrypt_side_by_side(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROBOX_KMS_KEY_ID", raising=False)
    fer = crypto.encrypt("t_a", "trunk/trk_1", "fernet-secret-1")
    assert fer.startswith("fer1:")
    legacy_doc = json.dumps({"t": "t_a", "c": "trunk/trk_1", "v": "legacy-secret-1"}, separators=(",", ":"))
    legacy = Fernet(SECRET_KEY.encode()).encrypt(legacy_doc.encode()).decode()  # as stored before prefixes
    assert crypto.scheme(legacy) == "fernet"
    key_id = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["KeyId"]
    monkeypatch.setenv("PROBOX_KMS_KEY_ID", key_id)
    kms = crypto.encrypt("t_a", "trunk/trk_1", "kms-secret-1")
    assert kms.startswith("kms1:")
    assert crypto.decrypt("t_a", "trunk/trk_1", fer) == "fernet-secret-1"
    assert crypto.decrypt("t_a", "trunk/trk_1", legacy) == "legacy-secret-1"
    assert crypto.decrypt("t_a", "trunk/trk_1", kms) == "kms-secret-1"
    for token in (fer, legacy, kms):
        with pytest.raises(SecretCorrupt):
            crypto.decrypt("t_b", "trunk/trk_1", token)
    # back to local mode: Fernet ones still decrypt, and so does the KMS one (KMS reachable)
    monkeypatch.delenv("PROBOX_KMS_KEY_ID")
    crypto.reset()
    assert crypto.decrypt("t_a", "trunk/trk_1", kms) == "kms-secret-1"
    assert crypto.decrypt("t_a", "trunk/trk_1", fer) == "fernet-secret-1"


def test_data_keys_are_cached_per_tenant(kms_calls: list[str]) -> None:
    tokens = [crypto.encrypt("t_a", f"ext/{100 + i}", f"pw-{i}-0123456789") for i in range(5)]
    assert kms_calls == ["GenerateDataKey"]
    crypto.encrypt("t_b", "ext/100", "pw-b-0123456789")
    assert kms_calls == ["GenerateDataKey", "GenerateDataKey"]  # another tenant, another data key
    crypto.reset()
    client = crypto._kms()  # reset dropped the client the fixture hooked
    calls: list[str] = []
    client.meta.events.register("before-call.kms.*", lambda model, **_: calls.append(model.name))
    assert [crypto.decrypt("t_a", f"ext/{100 + i}", t) for i, t in enumerate(tokens)] == [
        f"pw-{i}-0123456789" for i in range(5)
    ]
    assert calls == ["Decrypt"]  # one unwrap for the five secrets of the tenant


def test_api_in_kms_mode_stores_envelopes_and_never_returns_them(api: Api, kms_key: str, log_text: io.StringIO) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    other, other_admin = api.tenant("other.probox.vn")
    api.extension(admin, "101")
    api.extension(other_admin, "101")
    r = api.post(
        "/v1/trunks",
        token=admin,
        body={"name": "VNPT", "host": "sip.vnpt.vn", "auth": "register", "username": "u1", "password": TRUNK_PASSWORD},
    )
    assert r.status == 201 and r.json["has_password"] is True and TRUNK_PASSWORD not in r.text
    trunk_id = r.json["id"]
    ext = ext_store.get(tid, "101")
    trunk = store.get_child(tid, TrunkItem, keys.trunk_sk(trunk_id))
    assert ext is not None and trunk is not None
    assert ext.secret.startswith("kms1:") and trunk.secret.startswith("kms1:")

    # the two channels that carry secrets on purpose: one-time provisioning, the edge snapshot
    link = api.post("/v1/extensions/101/provisioning", token=admin)
    creds = api.post(link.json["url"])
    password = creds.json["sip_password"]
    assert crypto.decrypt(tid, "ext/101", ext.secret) == password
    edge, private = sealed_edge(api, "edge-1")
    snap = api.get("/edge/v1/snapshot", token=edge)
    assert trunk_password(snap.json, private, tid, trunk_id) == TRUNK_PASSWORD
    channels = {creds.raw, snap.raw}

    # every other answer: reads, updates, lists, rotation
    api.get("/v1/extensions", token=admin)
    api.get("/v1/extensions/101", token=admin)
    api.get(f"/v1/trunks/{trunk_id}", token=admin)
    api.get("/v1/trunks", token=admin)
    api.request("PATCH", f"/v1/trunks/{trunk_id}", token=admin, body={"password": TRUNK_PASSWORD + "x"})
    api.post("/v1/extensions/101/rotate-password", token=admin)
    rotated = ext_store.get(tid, "101")
    assert rotated is not None and rotated.secret.startswith("kms1:") and rotated.secret != ext.secret
    fresh_trunk = store.get_child(tid, TrunkItem, keys.trunk_sk(trunk_id))
    assert fresh_trunk is not None
    secrets = [password, TRUNK_PASSWORD, ext.secret, trunk.secret, rotated.secret, fresh_trunk.secret]
    wrapped = [s.removeprefix("kms1:").split(":")[0] for s in secrets[2:]]
    for body in api.bodies:
        if body in channels:
            continue
        for s in [*secrets, *wrapped]:
            assert s.encode() not in body
    logs = log_text.getvalue()
    assert "extension created" in logs  # the capture works
    for s in [*secrets, *wrapped, TRUNK_PASSWORD + "x"]:
        assert s not in logs

    # a ciphertext moved onto another tenant's extension does not decrypt there
    other_ext = ext_store.get(other, "101")
    assert other_ext is not None
    other_ext.update(actions=[ExtensionItem.secret.set(rotated.secret)])
    crypto.reset()
    with pytest.raises(SecretCorrupt):
        crypto.decrypt(other, "ext/101", rotated.secret)
    moved = api.post("/v1/extensions/101/provisioning", token=other_admin)
    refused = api.post(moved.json["url"])
    assert refused.status == 500 and password not in refused.text


def test_scheduled_rotation_encrypts_with_kms(api: Api, kms_key: str) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    before = ext_store.get(tid, "101")
    assert before is not None and before.secret.startswith("kms1:")
    result = rotation.rotate_due(clock.now() + timedelta(days=400))
    assert result.rotated == 1
    after = ext_store.get(tid, "101")
    assert after is not None and after.secret.startswith("kms1:") and after.secret != before.secret
    assert api.password(admin, "101")["sip_password"] == crypto.decrypt(tid, "ext/101", after.secret)
