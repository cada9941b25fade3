"""The same app under ``chalice local`` against ``moto_server``: the authorizer runs there too.

Starts both as processes on loopback ports, each in its own process group, and stops them by
pid when the test ends.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import openpyxl
import pytest

from control_plane.core import auth, store
from pbx_core import snapshot as snapmod

from .conftest import CP_DIR, JWT_SECRET, ROOT, SECRET_KEY, provider_token

pytestmark = pytest.mark.aws

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
CALLER_LIMIT = 30  # requests per minute of one caller (the flow below stays under it)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def _process(cmd: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # its own group: the pid is the group id
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{proc.args} exited {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback http only
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} not ready:\n{log.read_text(errors='replace')[-3000:]}")


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310 - loopback http only
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@pytest.fixture
def local_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Http]:
    moto_port, api_port = _free_port(), _free_port()
    endpoint = f"http://{HOST}:{moto_port}"
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-southeast-1",
        "AWS_ENDPOINT_URL": endpoint,
        "PROBOX_TABLE": "probox-local",
        "PROBOX_JWT_SECRET": JWT_SECRET,
        "PROBOX_SECRET_KEY": SECRET_KEY,
        "PROBOX_SIP_PROXY": "127.0.0.1:5060",
        "PROBOX_RATE_LIMIT_PRINCIPAL": str(CALLER_LIMIT),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("AWS_PROFILE", None)
    # the test itself issues provider tokens into that table (as infra.provider_token does)
    mine = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "PROBOX_TABLE")
    for key in (*mine, "PROBOX_JWT_SECRET", "PROBOX_SECRET_KEY"):
        monkeypatch.setenv(key, env[key])
    moto_log, api_log = tmp_path / "moto.log", tmp_path / "chalice.log"
    moto_cmd = [str(BIN / "moto_server"), "-H", HOST, "-p", str(moto_port)]
    with _process(moto_cmd, cwd=tmp_path, env=env, log=moto_log) as moto:
        _wait_http(endpoint + "/moto-api/", moto, moto_log)
        store.reset()
        assert store.create_table() is True
        store.reset()
        api_cmd = [str(BIN / "chalice"), "local", "--host", HOST, "--port", str(api_port), "--no-autoreload"]
        with _process(api_cmd, cwd=CP_DIR, env=env, log=api_log) as api:
            _wait_http(f"http://{HOST}:{api_port}/v1/health", api, api_log)
            yield Http(f"http://{HOST}:{api_port}")


def test_chalice_local_authorizer_and_flow(local_stack: Http) -> None:
    http = local_stack
    status, _, body = http("GET", "/v1/health")
    assert (status, json.loads(body)) == (200, {"ok": True})

    expired = auth.mint(JWT_SECRET, auth.PROVIDER_ADMIN, now=time.time() - 7200, ttl_s=60)
    for token in (None, "garbage", expired):
        status, _, body = http("POST", "/v1/tenants", token=token, body={"name": "x", "domain": "x.probox.vn"})
        assert status == 401, (token, body)

    status, _, body = http("POST", "/v1/tenants", token=provider_token(), body={"name": "Acme", "domain": "acme.vn"})
    assert status == 201, body
    tid = json.loads(body)["id"]
    status, _, body = http("POST", f"/v1/tenants/{tid}/admin-tokens", token=provider_token())
    admin = json.loads(body)["token"]
    status, _, body = http("POST", "/v1/tenants", token=admin, body={"name": "x", "domain": "y.probox.vn"})
    assert status == 403
    status, _, body = http("POST", "/v1/extensions", token=admin, body={"number": "101"})
    assert status == 201, body
    status, _, body = http("POST", "/v1/extensions/101/provisioning", token=admin)
    assert status == 201, body
    url = json.loads(body)["url"]
    # GET only tells whether the link is good (a link scanner does not burn it); POST redeems
    status, _, body = http("GET", url)
    assert status == 200 and json.loads(body)["valid"] is True, body
    status, _, body = http("POST", url)
    assert status == 200, body
    creds = json.loads(body)
    assert creds["sip_domain"] == "acme.vn" and creds["sip_proxy"] == "127.0.0.1:5060"
    assert http("POST", url)[0] == 404

    status, _, body = http("POST", "/v1/edges", token=provider_token(), body={"id": "local-1", "tenants": [tid]})
    credential = json.loads(body)["credential"]
    # the edge exchanges its credential for an access token (a public route: no authorizer)
    status, _, body = http("POST", "/edge/v1/token", headers={"Authorization": f"Bearer {credential}"})
    assert status == 201, body
    edge = json.loads(body)["token"]
    status, headers, body = http("GET", "/edge/v1/snapshot", token=edge)
    assert status == 200, body
    snap = snapmod.from_dict(json.loads(body))
    assert "101" in snap.tenants[tid].extensions
    assert headers["etag"] == f'"{snap.version}"'
    status, _, body = http("GET", "/edge/v1/snapshot", token=edge, headers={"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""

    # A recording uploaded as an edge does, then played back through the presigned link
    # (path-style against AWS_ENDPOINT_URL, fetched over real HTTP from moto_server).
    key = f"tenants/{tid}/recordings/2026/02/01/rec-1.opus"
    upload = "incoming/local-1/rec-1.opus"
    s3 = boto3.client("s3", region_name="ap-southeast-1", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    s3.create_bucket(Bucket="probox-recordings", CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    s3.put_object(Bucket="probox-recordings", Key=upload, Body=b"OggS-local")
    cdr = {
        "tenant_id": tid, "call_id": "rec-1", "caller": "101", "callee": "102",
        "started_at": "2026-02-01T08:00:00.000Z", "answered_at": "2026-02-01T08:00:01.000Z",
        "ended_at": "2026-02-01T08:00:09.000Z", "duration_s": 8, "disposition": "answered",
        "recording_key": key, "recording_format": "opus", "recording_bytes": 999_999, "recording_upload": upload,
    }  # fmt: skip
    assert http("POST", "/edge/v1/cdrs", token=edge, body=cdr)[0] == 201
    status, _, body = http("GET", "/v1/cdrs/rec-1/recording", token=admin)
    assert status == 200, body
    url = json.loads(body)["url"]
    assert url.startswith(os.environ["AWS_ENDPOINT_URL"] + "/probox-recordings/" + key + "?")
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - loopback moto_server
        assert r.read() == b"OggS-local" and r.headers["Content-Type"] == "audio/ogg"
    status, _, body = http("GET", "/v1/recordings/usage", token=admin)
    assert status == 200 and json.loads(body)["usage_bytes"] == 10

    # F9: the Excel export (a dotted path) through real HTTP, read back with openpyxl.
    status, _, body = http("POST", "/v1/cdrs/export.xlsx?lang=vi", token=admin)
    assert status == 201, body
    report = json.loads(body)
    assert report["rows"] == 1 and report["lang"] == "vi"
    with urllib.request.urlopen(report["url"], timeout=10) as r:  # noqa: S310 - loopback moto_server
        book = openpyxl.load_workbook(io.BytesIO(r.read()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Bắt đầu (Asia/Ho_Chi_Minh)" and rows[1][-1] == "rec-1"
    assert rows[1][0] == datetime(2026, 2, 1, 15, 0)  # 08:00Z in Ho Chi Minh City

    # The CSV export to S3 (a dotted path too): the same bytes as the direct CSV answer.
    status, _, body = http("POST", "/v1/cdrs/export.csv", token=admin)
    assert status == 201, body
    report = json.loads(body)
    assert report["rows"] == 1
    with urllib.request.urlopen(report["url"], timeout=10) as r:  # noqa: S310 - loopback moto_server
        exported = r.read()
        assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    status, _, direct = http("GET", "/v1/cdrs/export", token=admin)
    assert status == 200 and exported == direct and exported.startswith(b"call_id,") and b"\r\nrec-1," in exported

    # The per-caller rate limit holds in the process too (its window lives in the table).
    status, _, body = http("POST", f"/v1/tenants/{tid}/admin-tokens", token=provider_token())
    hammer = json.loads(body)["token"]
    answers = [http("GET", "/v1/branches", token=hammer) for _ in range(2 * CALLER_LIMIT + 1)]
    limited = [a for a in answers if a[0] == 429]
    assert limited, [a[0] for a in answers]
    assert {a[0] for a in answers} == {200, 429}
    status, headers, body = limited[0]
    assert json.loads(body)["error"]["code"] == "rate_limited"
    assert 1 <= int(headers["retry-after"]) <= 60
    assert http("GET", "/edge/v1/snapshot", token=edge)[0] == 200  # edges are not limited
