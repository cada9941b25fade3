"""Logs: JSON with the caller's tenant_id per request, no leak between requests, no secrets."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from control_plane.core.log import logger

from .conftest import Api

pytestmark = pytest.mark.aws


def _records(text: str) -> list[dict[str, object]]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
    return out


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """The control plane's JSON log lines, through its own formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_logs_carry_tenant_and_no_secrets(api: Api, log_stream: io.StringIO) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    link = api.post("/v1/extensions/101/provisioning", token=admin).json
    password = api.post(link["url"]).json["sip_password"]
    api.get("/v1/health")
    text = log_stream.getvalue()
    records = [r for r in _records(text) if r.get("service") == "probox-control-plane"]
    assert records, text[-2000:]
    created = [r for r in records if r.get("message") == "extension created"]
    assert created and created[0].get("tenant_id") == tid
    requests = [r for r in records if r.get("message") == "request"]
    assert any(r.get("tenant_id") == tid and r.get("route") == "/v1/extensions" for r in requests)
    health = [r for r in requests if r.get("route") == "/v1/health"]
    assert health and "tenant_id" not in health[-1]  # the previous request's keys are gone
    assert password not in text
    assert link["token"] not in text
    assert admin not in text


def test_correlation_id_is_logged_and_echoed(api: Api, log_stream: io.StringIO) -> None:
    r = api.get("/v1/health", headers={"X-Correlation-Id": "abc-123"})
    assert r.headers["x-correlation-id"] == "abc-123"
    requests = [x for x in _records(log_stream.getvalue()) if x.get("message") == "request"]
    assert requests[-1]["correlation_id"] == "abc-123"
    r = api.get("/v1/health", headers={"X-Correlation-Id": "bad id\nwith newline"})
    assert r.headers.get("x-correlation-id") != "bad id\nwith newline"


def test_metrics_are_emitted_as_emf(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    tid, _ = api.tenant("acme.probox.vn")
    edge = api.edge()
    from .conftest import cdr_doc

    api.post("/edge/v1/cdrs", token=edge, body=cdr_doc(tid, "m1", "2025-11-01T10:00:00.000Z"))
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    stored = [m for m in emf if "CdrStored" in m]
    assert stored and stored[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "ProBox"
