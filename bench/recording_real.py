"""Hours of recorded calls per GB, measured on real calls: two baresip phones talk through
the whole local stack (Kamailio, the pjsua2 worker recording both parties, the agent's
stereo merge and Opus encoding, upload to moto S3) with synthetic Vietnamese speech as
their microphones; the size of the uploaded recording over the call's duration gives
the bit rate. The WAV the worker would keep without Opus is the reference.

    .venv/bin/python -m bench.recording_real [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.recording_size import TEXT_A, TEXT_B
from infra.local_stack import Stack, StackConfig
from tests.integration.phones import Phone


def _speech(path: Path, text: str, voice: str, seconds: float, offset: float) -> Path:
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text * 20], check=True)
    subprocess.run(
        ["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(path), "pad", str(offset), "0",
         "trim", "0", str(seconds + 10)],
        check=True,
    )  # fmt: skip
    return path


def measure(seconds: float, root: Path) -> dict[str, float]:
    stack = Stack(StackConfig.free_ports(root / "stack"))
    stack.start()
    phones: list[Phone] = []
    try:
        t = stack.create_tenant("Bench Co", "bench.probox.test", ["101", "102"])
        stack.wait_tenant_on_edge(t)
        proxy = (stack.cfg.host, stack.cfg.sip_port)
        a_src = _speech(root / "a.wav", TEXT_A, "vi", seconds, 0.0)
        b_src = _speech(root / "b.wav", TEXT_B, "vi+f3", seconds, 3.0)
        a = Phone(root, "101", t.domain, t.password("101"), proxy, 0.0, source=a_src).start()
        phones.append(a)
        b = Phone(root, "102", t.domain, t.password("102"), proxy, 0.0, source=b_src).start()
        phones.append(b)
        for p in phones:
            p.wait_registered()
        m = a.dial(f"sip:102@{t.domain}")
        est = a.wait_event("CALL_ESTABLISHED", timeout=10, since=m)
        time.sleep(seconds)
        a.wait_event("CALL_CLOSED", timeout=10, since=a.hangup())
        deadline = time.monotonic() + 30
        cdr: dict[str, Any] | None = None
        while time.monotonic() < deadline and cdr is None:
            with stack.api(t.admin_token) as api:
                items = api.get("/v1/cdrs", params={"limit": 10}).json()["items"]
            cdr = next((c for c in items if c["call_id"] == est["id"] and c.get("recording_bytes")), None)
            time.sleep(0.5)
        if cdr is None:
            raise RuntimeError("no CDR with a recording")
    finally:
        for p in phones:
            p.stop()
        stack.stop()
    duration = float(cdr["duration_s"])
    opus = int(cdr["recording_bytes"])
    wav = 44 + int(duration * 8000) * 2 * 2  # what the stereo PCM WAV would hold
    kbps = opus * 8 / duration / 1000
    return {
        "duration_s": duration,
        "opus_bytes": opus,
        "wav_bytes": wav,
        "kbit_s": round(kbps, 2),
        "hours_per_gb": round(1e9 / (opus / duration) / 3600, 1),
        "hours_per_5gb": round(5e9 / (opus / duration) / 3600, 1),
        "wav_hours_per_5gb": round(5e9 / (wav / duration) / 3600, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rec-bench-", dir="/tmp") as d:
        r = measure(a.seconds, Path(d))
    print(json.dumps(r))
    print(
        f"real call of {r['duration_s']:.1f} s: Opus {r['opus_bytes']} B = {r['kbit_s']} kbit/s -> "
        f"{r['hours_per_gb']} h per GB, {r['hours_per_5gb']} h per 5 GB (WAV would give {r['wav_hours_per_5gb']} h)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
