"""A tenant's own queue prompts (issue 16 item 1): upload (a WAV, checked: 400 with a clear
reason otherwise), listed on the queue, carried by the snapshot, fetched by an edge that
serves the tenant only, replaced and dropped with their files; another tenant sees nothing."""

from __future__ import annotations

import base64
import io
import math
import struct
import wave
from typing import Any

import pytest

from .conftest import Api
from .test_queues import cc_tenant, queue

pytestmark = pytest.mark.aws


def wav(seconds: float, rate: int = 16000, channels: int = 1, freq: float = 1200.0) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        n = int(seconds * rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate))) * channels for i in range(n)
        )
        w.writeframes(frames)
    return buf.getvalue()


def upload(api: Api, token: str, qid: str, name: str, data: bytes, language: str = "vi") -> Any:
    body = {"language": language, "content_base64": base64.b64encode(data).decode()}
    return api.request("PUT", f"/v1/queues/{qid}/prompts/{name}", token=token, body=body)


def s3_bucket() -> str:
    from control_plane.core import s3

    return s3.bucket()


def _s3_keys(prefix: str) -> list[str]:
    from control_plane.core import s3

    got = s3.client().list_objects_v2(Bucket=s3.bucket(), Prefix=prefix)
    return [o["Key"] for o in got.get("Contents", [])]


def test_an_admin_uploads_a_welcome_the_edge_fetches_it_and_the_snapshot_names_it(api: Api, s3: Any) -> None:
    tid, admin = cc_tenant(api)
    q = queue(api, admin)
    data = wav(2.0)
    r = upload(api, admin, q["id"], "welcome", data)
    assert r.status == 200, r.text
    p = r.json
    assert (p["name"], p["language"], p["bytes"], p["seconds"]) == ("welcome", "vi", len(data), 2.0)
    assert api.get(f"/v1/queues/{q['id']}", token=admin).json["prompts"] == [p]
    edge = api.edge(tenants=[tid])
    snap = api.get("/edge/v1/snapshot", token=edge).json
    [tq] = [x for t in snap["tenants"] if t["id"] == tid for x in t["queues"]]
    assert tq["prompts"] == {"vi/welcome": p["sha256"]}
    r = api.get(f"/edge/v1/queue-prompts/{tid}/{q['id']}/vi/welcome", token=edge)
    assert r.status == 200, r.text
    # the link names the stored file (moto serves it to botocore, not to a plain HTTP client)
    [key] = _s3_keys(f"tenants/{tid}/prompts/{q['id']}/vi/")
    assert f"/{key}?" in r.json["url"] and "X-Amz-Signature=" in r.json["url"], r.json
    assert s3.get_object(Bucket=s3_bucket(), Key=key)["Body"].read() == data and r.json["sha256"] == p["sha256"]
    # a new recording replaces the old one, whose file goes
    assert upload(api, admin, q["id"], "welcome", wav(1.0)).status == 200
    assert len(_s3_keys(f"tenants/{tid}/prompts/{q['id']}/vi/")) == 1
    # dropped: the product's voice again; the file goes with it
    assert api.request("DELETE", f"/v1/queues/{q['id']}/prompts/welcome?language=vi", token=admin).status == 204
    assert api.get(f"/v1/queues/{q['id']}", token=admin).json["prompts"] == []
    assert _s3_keys(f"tenants/{tid}/prompts/") == []
    assert api.request("DELETE", f"/v1/queues/{q['id']}/prompts/welcome?language=vi", token=admin).status == 404


def test_bad_recordings_get_a_clear_400_and_change_nothing(api: Api, s3: Any) -> None:
    _, admin = cc_tenant(api)
    q = queue(api, admin)
    cases = [
        (b"ID3 this is an mp3" * 10, "bad_audio"),
        (wav(0.5, rate=4000), "bad_audio"),
        (wav(181.0, rate=8000), "too_long"),
    ]
    for data, slug in cases:
        r = upload(api, admin, q["id"], "closed", data)
        assert r.status == 400 and r.json["error"]["fields"]["content_base64"] == slug, r.text
    r = api.request(
        "PUT", f"/v1/queues/{q['id']}/prompts/closed", token=admin, body={"language": "vi", "content_base64": "%%%%not"}
    )
    assert r.status == 400 and "content_base64" in r.json["error"]["fields"], r.text
    assert upload(api, admin, q["id"], "position", wav(1.0)).status == 404  # not a prompt a tenant records
    assert upload(api, admin, q["id"], "closed", wav(1.0), language="fr").status == 400
    assert api.get(f"/v1/queues/{q['id']}", token=admin).json["prompts"] == []


def test_another_tenant_and_another_edge_see_nothing(api: Api, s3: Any) -> None:
    tid, admin = cc_tenant(api)
    q = queue(api, admin)
    assert upload(api, admin, q["id"], "welcome", wav(1.0)).status == 200
    _, other = cc_tenant(api, "other.probox.vn")
    assert upload(api, other, q["id"], "welcome", wav(1.0)).status == 404
    assert api.request("DELETE", f"/v1/queues/{q['id']}/prompts/welcome", token=other).status == 404
    stranger = api.edge("edge-2", tenants=[])
    assert api.get(f"/edge/v1/queue-prompts/{tid}/{q['id']}/vi/welcome", token=stranger).status == 404
    assert api.get(f"/edge/v1/queue-prompts/{tid}/{q['id']}/vi/welcome", token=admin).status == 403
    # the queue's deletion takes its files
    assert api.delete(f"/v1/queues/{q['id']}", token=admin).status == 204
    assert _s3_keys(f"tenants/{tid}/prompts/") == []
