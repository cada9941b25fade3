"""What a user would check after a call: the CDR in the API, the tones each side heard,
the recording in S3."""

from __future__ import annotations

import json
import subprocess
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

from infra.local_stack import Stack, Tenant
from tests.integration.phones import read_channels, tone_power


def cdrs(stack: Stack, tenant: Tenant) -> list[dict]:
    with stack.api(tenant.admin_token) as api:
        r = api.get("/v1/cdrs", params={"limit": 50})
        assert r.status_code == 200, r.text
        return list(r.json()["items"])


def wait_cdr(stack: Stack, tenant: Tenant, call_id: str, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for c in cdrs(stack, tenant):
            if c["call_id"] == call_id:
                return c
        time.sleep(0.25)
    raise AssertionError(f"no CDR for {call_id} within {timeout}s; have {[c['call_id'] for c in cdrs(stack, tenant)]}")


def wait_cdr_where(stack: Stack, tenant: Tenant, pred: Callable[[dict], bool], timeout: float = 10.0) -> dict:
    """The newest CDR that satisfies ``pred`` (for calls whose caller-side Call-ID the
    test does not see)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in cdrs(stack, tenant) if pred(c)]
        if found:
            return max(found, key=lambda c: c["started_at"])
        time.sleep(0.25)
    raise AssertionError(f"no such CDR within {timeout}s")


def assert_tone(samples, rate: int, want: float, other: float, what: str) -> None:
    """``want`` dominates in at least 80 % of the 250 ms windows that are not silent.
    Windows keep it robust to the phase jumps a loaded machine puts in the audio."""
    win = rate // 4
    verdicts = []
    for i in range(0, len(samples) - win + 1, win):
        chunk = samples[i : i + win]
        if max(map(abs, chunk)) < 500:
            continue
        p_want, p_other = tone_power(chunk, rate, want), tone_power(chunk, rate, other)
        verdicts.append(p_want > 0.5 and p_want > 10 * p_other)
    assert verdicts, f"{what}: silent"
    share = sum(verdicts) / len(verdicts)
    assert share >= 0.8, f"{what}: {want} Hz dominates only {share:.0%} of {len(verdicts)} windows"


def recording_channels(stack: Stack, key: str, tmp_path: Path) -> tuple[array[int], array[int], int]:
    """The recording of a CDR from S3 (moto), decoded: (left, right, rate)."""
    opus = tmp_path / (Path(key).stem + ".opus")
    wav = tmp_path / (Path(key).stem + ".wav")
    stack.aws("s3").download_file(stack.cfg.bucket, key, str(opus))
    subprocess.run(["opusdec", "--quiet", "--rate", "8000", str(opus), str(wav)], check=True)
    (left, right), rate = read_channels(wav)
    return left, right, rate


def live_events(
    stack: Stack, tenant: Tenant, call_id: str, *, after: int = 0, until_kind: str = "call.ended", timeout: float = 20.0
) -> list[dict[str, Any]]:
    """The tenant's stored events of ``call_id``, in the order the control plane numbered
    them, read as the console reads them: a ticket, the WebSocket, resume after the snapshot's
    ``seq``."""
    with stack.api(tenant.admin_token) as api:
        r = api.post("/v1/live/tickets")
    assert r.status_code == 201, r.text
    url = stack.cfg.console_url.replace("http://", "ws://") + f"ws?ticket={r.json()['ticket']}"
    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    resumed = False
    with connect(url, max_size=2**22, open_timeout=10) as ws:
        ws.send(json.dumps({"action": "resume", "after": after}))
        while time.monotonic() < deadline:
            # The replay and the new events are separate pushes that may cross: once both the
            # "resumed" mark and ``until_kind`` are in, read on until a quiet second.
            done = resumed and any(m["event"]["kind"] == until_kind for m in got)
            try:
                msg = json.loads(ws.recv(timeout=1.0 if done else max(0.1, deadline - time.monotonic())))
            except TimeoutError:
                break
            assert msg.get("type") != "resync", msg
            resumed = resumed or msg.get("type") == "resumed"
            items = msg["items"] if msg.get("type") == "events" else [msg] if msg.get("type") == "event" else []
            for m in items:
                assert m["event"]["tenant_id"] == tenant.id, "another tenant's event"
                if m["event"]["call_id"] == call_id and m["seq"] not in {x["seq"] for x in got}:
                    got.append(m)
    got.sort(key=lambda m: m["seq"])
    return [m["event"] for m in got]
