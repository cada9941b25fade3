"""moto for the local stack (issue 18): a DynamoDB that does not slow down as a busy day's
data grows, and state that survives ``make stop`` / ``make run``.

    python -m infra.moto_server --host 127.0.0.1 --port 5000 [--state var/moto-state] [--ready FILE]

* ``infra.moto_patch`` is installed first: a transaction backs up the items it touches,
  not every table it names (stock moto's cost grew with the table).
* With ``--state``, the DynamoDB tables (moto's own objects, pickled: schema, indexes, TTL
  and items, restored as they were) and the S3 buckets (each object's bytes and metadata
  as files) are loaded before the server listens for clients, and written back when it is
  stopped (SIGTERM or SIGINT: the local stack stops moto last, after everything that
  writes to it). Queues (webhook deliveries in flight) and secrets are not kept: the stack
  creates them again at each start. The state is written to a temporary folder and then
  renamed, so a crash while saving leaves the previous state.
* ``--ready FILE`` is created once the state is loaded and the server accepts requests.
* Items whose TTL has passed are deleted every ``--ttl-sweep-s`` seconds (60), as DynamoDB
  deletes them in the background; moto never does, so the live events (kept an hour), their
  once-only guards (a day), sessions and throttles of a busy local day piled up in memory
  (8 of the 12 items a recorded call leaves, issue 18). ProBox's reads already skip what has
  expired, so nothing a client sees changes, only what the process holds.
* Objects above 64 KB are kept in temporary files rather than in memory (moto's
  ``MOTO_S3_DEFAULT_KEY_BUFFER_SIZE``), so a day of recordings does not fill the RAM.

The local state is only ever ProBox's local development data: nothing here is used in AWS.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle  # our own moto state, written and read by this program only
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

STATE_VERSION = 1
TTL_SWEEP_S = 60.0
# DynamoDB leaves alone a TTL more than five years in the past (a date, not an expiry)
TTL_IGNORED_AFTER_S = 5 * 365 * 86400


def _dynamodb_backends() -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends


def _s3_backends() -> Any:
    from moto.s3.models import s3_backends

    return s3_backends


# --- DynamoDB: moto's table objects ---------------------------------------------------------
def dump_dynamodb(folder: Path) -> int:
    """Every DynamoDB table of every account and region; returns the number of items."""
    state: dict[tuple[str, str], Any] = {}
    items = 0
    for account_id, regions in _dynamodb_backends().items():
        for region, backend in regions.items():
            if backend.tables:
                state[(account_id, region)] = backend.tables
                items += sum(len(t.all_items()) for t in backend.tables.values())
    with (folder / "dynamodb.pickle").open("wb") as f:
        pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
    return items


def load_dynamodb(folder: Path) -> int:
    path = folder / "dynamodb.pickle"
    if not path.exists():
        return 0
    with path.open("rb") as f:
        state = pickle.load(f)  # noqa: S301 - our own file (see the module's docstring)
    items = 0
    for (account_id, region), tables in state.items():
        backend = _dynamodb_backends()[account_id][region]
        backend.tables.update(tables)
        items += sum(len(t.all_items()) for t in tables.values())
    return items


def sweep_expired(now: float) -> int:
    """Delete the items of every TTL-enabled table whose TTL attribute (a Number of epoch
    seconds) is at or before ``now``; returns how many were deleted.

    Runs beside moto's request threads: a partition's items are copied first (one C-level
    call under the GIL) and each item is removed with a single ``dict.pop``, so a request
    never sees half an item. Partitions left empty stay (moto's ``defaultdict`` makes them
    again anyway): removing one could race a write into it, and ProBox's TTL items live in
    a few partitions per tenant."""
    deleted = 0
    for regions in _dynamodb_backends().values():
        for backend in regions.values():
            for table in list(backend.tables.values()):
                if table.ttl.get("TimeToLiveStatus") != "ENABLED" or not table.ttl.get("AttributeName"):
                    continue
                deleted += _sweep_table(table, str(table.ttl["AttributeName"]), now)
    return deleted


def _sweep_table(table: Any, attr: str, now: float) -> int:
    deleted = 0
    for part in list(table.items.values()):
        for item in list(part.values()) if isinstance(part, dict) else [part]:
            value = item.attrs.get(attr)
            if value is None or value.type != "N":
                continue
            try:
                at = float(value.value)
            except ValueError:
                continue
            if now - TTL_IGNORED_AFTER_S < at <= now and table.delete_item(item.hash_key, item.range_key) is not None:
                deleted += 1
    return deleted


def _sweep_forever(every_s: float, stop: threading.Event) -> None:
    while not stop.wait(every_s):
        try:
            n = sweep_expired(time.time())
        except Exception as exc:  # a sweep that failed is tried again at the next round
            print(f"moto TTL sweep failed: {exc!r}", flush=True)
            continue
        if n:
            print(f"moto TTL sweep: {n} expired items deleted", flush=True)


# --- S3: buckets and their objects as files ---------------------------------------------------
def dump_s3(folder: Path) -> int:
    """The latest version of every object of every bucket; returns the number of objects."""
    root = folder / "s3"
    root.mkdir()
    buckets: list[dict[str, Any]] = []
    count = 0
    for account_id, partitions in _s3_backends().items():
        for partition, backend in partitions.items():
            for bucket in backend.buckets.values():
                bdir = root / quote(bucket.name, safe="")
                bdir.mkdir()
                objects: list[dict[str, Any]] = []
                for key in bucket.keys.values():
                    if not hasattr(key, "value"):  # a delete marker
                        continue
                    name = f"{len(objects):08d}"
                    (bdir / name).write_bytes(key.value)
                    objects.append({"file": name, "key": key.name, "metadata": dict(key.metadata)})
                (bdir / "objects.json").write_text(json.dumps(objects))
                buckets.append(
                    {
                        "account_id": account_id,
                        "partition": partition,
                        "name": bucket.name,
                        "region": bucket.region_name,
                        "versioning": bucket.versioning_status,
                    }
                )
                count += len(objects)
    (root / "buckets.json").write_text(json.dumps(buckets))
    return count


def load_s3(folder: Path) -> int:
    root = folder / "s3"
    if not (root / "buckets.json").exists():
        return 0
    count = 0
    for b in json.loads((root / "buckets.json").read_text()):
        backend = _s3_backends()[b["account_id"]][b["partition"]]
        backend.create_bucket(b["name"], b["region"])
        if b.get("versioning"):
            backend.put_bucket_versioning(b["name"], b["versioning"])
        bdir = root / quote(b["name"], safe="")
        for obj in json.loads((bdir / "objects.json").read_text()):
            key = backend.put_object(b["name"], obj["key"], (bdir / obj["file"]).read_bytes())
            key.set_metadata(dict(obj["metadata"]))
            count += 1
    return count


# --- the whole state ---------------------------------------------------------------------------
def save(state: Path) -> dict[str, int]:
    tmp = state.with_name(state.name + ".saving")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    counts = {"items": dump_dynamodb(tmp), "objects": dump_s3(tmp)}
    (tmp / "state.json").write_text(json.dumps({"version": STATE_VERSION, "saved_at": time.time(), **counts}))
    old = state.with_name(state.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if state.exists():
        state.rename(old)
    tmp.rename(state)
    shutil.rmtree(old, ignore_errors=True)
    return counts


def load(state: Path) -> dict[str, int]:
    meta = state / "state.json"
    if not meta.exists():
        return {"items": 0, "objects": 0}
    if json.loads(meta.read_text()).get("version") != STATE_VERSION:
        raise SystemExit(f"{state}: saved by another version of infra/moto_server.py; `make run CLEAN=1`")
    return {"items": load_dynamodb(state), "objects": load_s3(state)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5000)
    ap.add_argument("--state", help="folder the state is loaded from and saved to")
    ap.add_argument("--ready", help="file created once the server accepts requests")
    ap.add_argument("--ttl-sweep-s", type=float, default=TTL_SWEEP_S, help="expired items deleted this often (0 never)")
    a = ap.parse_args(argv)
    os.environ.setdefault("MOTO_S3_DEFAULT_KEY_BUFFER_SIZE", str(64 * 1024))

    from moto.server import ThreadedMotoServer

    from infra import moto_patch

    moto_patch.install()
    state = Path(a.state).resolve() if a.state else None
    if state is not None:
        t0 = time.monotonic()
        counts = load(state)
        print(
            f"moto state loaded from {state}: {counts['items']} items, {counts['objects']} objects"
            f" in {time.monotonic() - t0:.1f}s",
            flush=True,
        )
    server = ThreadedMotoServer(a.host, a.port, verbose=False)
    server.start()
    if a.ready:
        Path(a.ready).write_text(str(os.getpid()))
    stop = threading.Event()
    if a.ttl_sweep_s > 0:
        threading.Thread(target=_sweep_forever, args=(a.ttl_sweep_s, stop), name="ttl-sweep", daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()
    if state is not None:
        t0 = time.monotonic()
        counts = save(state)
        print(
            f"moto state saved to {state}: {counts['items']} items, {counts['objects']} objects"
            f" in {time.monotonic() - t0:.1f}s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
