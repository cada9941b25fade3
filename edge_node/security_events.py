"""Forward the edge firewall's security events to the control plane (issue 14).

The KEMI script appends one JSON line per event (ban, hold, refusal from abroad) to
``<spool>/<pid>.jsonl`` (``PROBOX_SECURITY_SPOOL``); this process posts them in order, in
batches of up to 500, to ``POST /edge/v1/security-events`` with the edge's access token
(``edge_node.agent.EdgeAuth``), and remembers how far each file was sent
(``<spool>/.offsets.json``, written atomically): a crash or an unreachable control plane
resends from there (the control plane stores a repeat again; an event is a report, not a
counter). Files of processes that ended, sent in full and older than a day are removed.
It is its own process (``probox-security-events.service``) so that the agent's CDR path
and this one fail separately (S7).

    python -m edge_node.security_events --spool /var/lib/probox/security
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import httpx

from edge_node.spool import write_atomic

log = logging.getLogger("probox.security_events")
BATCH = 500
OFFSETS = ".offsets.json"


class Forwarder:
    def __init__(self, spool: Path, http: httpx.Client) -> None:
        self.spool, self.http = spool, http
        self.offsets: dict[str, int] = self._load()

    def _load(self) -> dict[str, int]:
        try:
            raw = json.loads((self.spool / OFFSETS).read_text())
            return {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save(self) -> None:
        write_atomic(self.spool / OFFSETS, json.dumps(self.offsets, sort_keys=True).encode())

    def once(self) -> int:
        """Send what is new in every file; the number of events the control plane took."""
        sent = 0
        for path in sorted(self.spool.glob("*.jsonl")):
            start = self.offsets.get(path.name, 0)
            with path.open("rb") as f:
                f.seek(start)
                data = f.read()
            complete = data[: data.rfind(b"\n") + 1]  # a line being written waits for the next round
            events: list[tuple[int, dict[str, Any]]] = []
            pos = start
            for line in complete.splitlines(keepends=True):
                pos += len(line)
                try:
                    events.append((pos, json.loads(line)))
                except ValueError:
                    log.warning("skipped a bad line in %s", path.name)
            for i in range(0, len(events), BATCH):
                chunk = events[i : i + BATCH]
                r = self.http.post("/edge/v1/security-events", json={"events": [e for _, e in chunk]})
                if r.status_code != 200:
                    log.warning("security events refused: %s %s", r.status_code, r.text[:200])
                    return sent  # retried at the next round from the saved offset
                self.offsets[path.name] = chunk[-1][0]
                self._save()
                sent += len(chunk)
            if not events and complete == b"" and start > 0:
                self._forget_if_done(path, start)
        return sent

    def _forget_if_done(self, path: Path, offset: int) -> None:
        try:
            st = path.stat()
        except OSError:
            return
        pid = path.stem
        alive = pid.isdigit() and Path(f"/proc/{pid}").exists()
        if not alive and st.st_size == offset and time.time() - st.st_mtime > 86400:
            path.unlink(missing_ok=True)
            self.offsets.pop(path.name, None)
            self._save()


def main(argv: list[str] | None = None) -> int:
    from edge_node.agent import EdgeAuth  # the agent's token handling (credential -> 1 h tokens)

    ap = argparse.ArgumentParser(description="Forward the edge firewall's security events to the control plane")
    ap.add_argument("--spool", type=Path, default=Path(os.environ.get("PROBOX_SECURITY_SPOOL", "var/security")))
    ap.add_argument("--api-url", default=os.environ.get("PROBOX_API_URL", "http://127.0.0.1:8000"))
    ap.add_argument("--credential-file", type=Path, default=Path(os.environ.get("PROBOX_EDGE_CREDENTIAL_FILE", "")))
    ap.add_argument("--interval", type=float, default=2.0)
    ap.add_argument("--once", action="store_true")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    a.spool.mkdir(parents=True, exist_ok=True)
    api = a.api_url.rstrip("/")
    with httpx.Client(base_url=api, auth=EdgeAuth(api, a.credential_file), timeout=15.0) as http:
        fwd = Forwarder(a.spool, http)
        while True:
            try:
                n = fwd.once()
                if n:
                    log.info(json.dumps({"msg": "security events sent", "n": n}))
            except httpx.HTTPError as exc:
                log.warning(json.dumps({"msg": "control plane unreachable", "error": str(exc)[:200]}))
            if a.once:
                return 0
            time.sleep(a.interval)


if __name__ == "__main__":
    raise SystemExit(main())
