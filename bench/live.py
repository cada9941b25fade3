"""Bench 7: live events and call search (issue 15 budgets): event latency edge -> browser
p95 <= 500 ms with 100 calls/s of events, and call search over 100,000 CDRs p95 <= 300 ms at
the API.

    .venv/bin/python -m bench.live [--only events|cost|search] [--seconds 20] [--calls-per-s 100]
    .venv/bin/python -m bench.run --only live   # the same, written into docs/benchmarks.md

**Events** run on the stack ``make run`` starts minus the SIP edge (moto, ``chalice local``,
the live WebSocket server and the webhook poller, the console server), on free loopback ports,
stopped by pid at the end. An edge is simulated with the edge's own code: every 100 ms a
media worker's ``EventWriter`` (``edge_node/live.py``) gets the events of that tenth of a
second: new calls (``call.ringing``), the ``call.answered`` of the calls that rang 1 s before
and the ``call.ended`` of those answered 2 s before (at 100 calls/s 300 events/s once the
first calls end, and about 300 calls up at once); the agent's ``EventShipper`` posts the
events folder as on an edge (one thread, at most 100 events per post after a ~100 ms window,
at once behind a backlog; ``POST /edge/v1/events`` with the edge's token). Browsers are
WebSocket clients on the console's ``/ws`` (a one-time ticket each, as the console opens it):
the tenant admin, a supervisor and two agents (their own calls only). Latency of an event =
the time a client received it minus the time the simulated worker made it (before the spool
file and the agent's window, so both are included); the first 2 s are warm-up.
The same run at 20 calls/s shows whether the local storage keeps up at a fifth of the rate.
The browser tests measure single calls in Chromium: ``tests/e2e/test_console_live.py`` (events
posted as an edge) and ``tests/e2e/test_console_phones.py`` (real phones through the edge).

Before the issue 15 work (smoke run of 2026-12-06 02:10): p95 22,218 ms at 100 calls/s and
6,777 ms at 20 calls/s, with 71 DynamoDB requests per 30 events (a conditional put per event id
and per call), 4 threads each posting one 100 ms tick's events, and ``chalice local`` holding
every answer ~40 ms (Nagle against delayed ACKs, now off: ``infra/chalice_local.py``).
The 8 s smoke runs understate a growing backlog. 20 s runs (``--seconds 20``) the same day:
before, 20 calls/s p95 11,610 ms (load average 0.3); after, 20 calls/s p95 864 ms and 100
calls/s p95 36,596 ms (load average 7.2 and 6.3: posts of 95 events took 0.95 s, so about 100
of the 280 events/s made were stored). The stack itself used about half a core then (moto
2.4 ms of CPU per event, chalice local 0.8 ms): each post is a chain of ~20 requests, one
after the other, each waiting its turn on cores the machine's other jobs kept busy.

**Ingest cost** and **search** run in this process against moto's in-process DynamoDB
(``mock_aws``) through the HTTP routes (``chalice.test``), timing moto's own request handling
apart: moto's Query reads and sorts a whole partition for every request (DynamoDB reads the
page it returns), so only the time outside moto and the number of requests carry over to
AWS. Search: 100,000 CDRs (20,000 in a smoke run) of one tenant over 30 days (20 extensions, 2,000 outside numbers,
every direction and disposition) written as the CDR ingest writes them (``cdrs.store.items``,
batch writes), then ``GET /v1/cdrs`` with a supervisor's key: the newest page, the next page
(cursor), an extension, an outside number, one day, outbound busy calls.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from edge_node.live import EventShipper, EventWriter

if TYPE_CHECKING:
    from pbx_core.events import CallEvent

BUDGET_EVENT_P95_MS = 500.0
BUDGET_SEARCH_P95_MS = 300.0
CALLS_PER_S = 100
TICK_S = 0.1
RING_S = 1.0
TALK_S = 2.0
WARMUP_S = 2.0
SEARCH_RUNS = 5
EXTENSIONS = [str(n) for n in range(101, 121)]


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, round(p * (len(s) - 1)))], 1)


def _stats(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": _pct(values, 0.5),
        "p95_ms": _pct(values, 0.95),
        "p99_ms": _pct(values, 0.99),
        "max_ms": round(max(values), 1) if values else None,
    }


@contextlib.contextmanager
def _stack(tmp: Path) -> Iterator[Any]:
    from infra.local_stack import Stack, StackConfig

    stack = Stack(StackConfig.free_ports(tmp))
    stack.start(edge=False)
    try:
        yield stack
    finally:
        stack.stop()


def _login(api_url: str, email: str, password: str) -> str:
    r = httpx.post(f"{api_url}/v1/auth/login", json={"email": email, "password": password}, timeout=15)
    r.raise_for_status()
    token: str = r.json()["token"]
    return token


def _cpu_s(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds (user + system) each process has used so far (``/proc/<pid>/stat``)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for name, pid in pids.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = (int(fields[11]) + int(fields[12])) / tick
    return out


# --- events ------------------------------------------------------------------------------------
def _event(tenant_id: str, call_id: str, kind: str, caller: str, callee: str, started: str) -> dict[str, Any]:
    return _call_event(tenant_id, call_id, kind, caller, callee, started).to_dict()


def _call_event(tenant_id: str, call_id: str, kind: str, caller: str, callee: str, started: str) -> CallEvent:
    from pbx_core import events as ev
    from pbx_core.cdr import iso

    now = iso(datetime.now(UTC))
    quality = ev.Quality(packets_lost=1, jitter_ms=2.5, rtt_ms=20.0, mos=4.4) if kind != ev.RINGING else None
    e = ev.CallEvent(
        id=f"{call_id}-{kind}",
        kind=kind,
        tenant_id=tenant_id,
        call_id=call_id,
        edge_id="",
        occurred_at=now,
        started_at=started,
        legs=(ev.Leg("a", caller, callee, "internal", "", quality),),
        answered_at=now if kind != ev.RINGING else None,
        ended_at=now if kind == ev.ENDED else None,
        disposition="answered" if kind == ev.ENDED else "",
    )
    return e


class Client:
    """A browser's side of the live WebSocket: when each event id arrived."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url
        self.got: dict[str, float] = {}
        self.messages = 0

    async def run(self, stop: asyncio.Event, ready: asyncio.Event) -> None:
        from websockets.asyncio.client import connect

        async with connect(self.url, max_size=2**22) as ws:
            await ws.send(json.dumps({"action": "resume", "after": 0}))
            ready.set()
            while not stop.is_set():
                try:
                    data = await asyncio.wait_for(ws.recv(), 0.5)
                except TimeoutError:
                    continue
                at = time.time() * 1000
                msg = json.loads(data)
                self.messages += 1
                items = msg["items"] if msg.get("type") == "events" else [msg] if msg.get("type") == "event" else []
                for m in items:
                    self.got.setdefault(m["event"]["id"], at)


def bench_events(seconds: float = 20.0, calls_per_s: int = CALLS_PER_S) -> dict[str, Any]:
    from pbx_core import events as ev
    from pbx_core.cdr import iso

    with tempfile.TemporaryDirectory(prefix="probox-bench-live-") as tmp, _stack(Path(tmp)) as stack:
        tenant = stack.create_tenant("Bench Live", "live.probox.test", EXTENSIONS[:4])
        logins = {
            "admin": stack.create_user(tenant, "admin@live.probox.test", "tenant_admin"),
            "supervisor": stack.create_user(tenant, "sup@live.probox.test", "supervisor"),
            "agent101": stack.create_user(tenant, "a101@live.probox.test", "agent", extension="101"),
            "agent102": stack.create_user(tenant, "a102@live.probox.test", "agent", extension="102"),
        }
        api_url, console = stack.cfg.api_url, stack.cfg.console_url
        clients = []
        for name, login in logins.items():
            token = _login(api_url, login.email, login.password)
            ticket = httpx.post(
                f"{api_url}/v1/live/tickets", headers={"Authorization": f"Bearer {token}"}, timeout=15
            ).json()["ticket"]
            clients.append(Client(name, console.replace("http://", "ws://") + f"ws?ticket={ticket}"))

        made: dict[str, tuple[float, frozenset[str]]] = {}  # event id -> (made at, parties)
        posts: list[float] = []
        failures: list[str] = []
        folder = Path(tmp) / "edge-spool" / "events"
        writer = EventWriter(folder, "bench-worker").start()

        def on_request(request: httpx.Request) -> None:
            request.extensions["bench_t0"] = time.monotonic()

        def on_response(response: httpx.Response) -> None:
            posts.append((time.monotonic() - response.request.extensions["bench_t0"]) * 1000)
            if response.status_code != 200:
                failures.append(str(response.status_code))

        http = httpx.Client(
            base_url=api_url,
            headers={"Authorization": f"Bearer {stack.edge_token}"},
            timeout=30,
            event_hooks={"request": [on_request], "response": [on_response]},
        )
        shipper = EventShipper(folder, http=lambda: http)  # the agent's defaults: 100 ms window, 100 per post
        shipped = threading.Event()
        pids = {name: p.pid for name, p in stack.procs.items() if p.pid is not None} | {"bench": os.getpid()}
        window: dict[str, Any] = {}  # after the warm-up, while the edge makes events: CPU used

        def edge() -> None:
            rng = random.Random(15)
            pending: list[tuple[float, str, str, str, str, str]] = []  # (due, kind, call, caller, callee, started)
            start = time.monotonic()
            n = 0
            tick = 0
            per_tick = calls_per_s * TICK_S
            while time.monotonic() - start < seconds:
                tick += 1
                due_tick = start + tick * TICK_S
                batch = []
                now = time.monotonic()
                for _ in range(round(per_tick)):
                    n += 1
                    caller, callee = rng.sample(EXTENSIONS, 2)
                    call_id, started_at = f"bench-{n:07d}", iso(datetime.now(UTC))
                    batch.append(_call_event(tenant.id, call_id, ev.RINGING, caller, callee, started_at))
                    pending.append((now + RING_S, ev.ANSWERED, call_id, caller, callee, started_at))
                    pending.append((now + RING_S + TALK_S, ev.ENDED, call_id, caller, callee, started_at))
                due = [p for p in pending if p[0] <= now]
                pending = [p for p in pending if p[0] > now]
                for _, kind, call_id, caller, callee, started_at in sorted(due):
                    batch.append(_call_event(tenant.id, call_id, kind, caller, callee, started_at))
                at = time.time() * 1000
                warm = now - start >= WARMUP_S
                for e in batch:
                    made[e.id] = (at if warm else -1.0, frozenset({e.legs[0].from_, e.legs[0].to}))
                    writer.emit(e)
                time.sleep(max(0.0, due_tick - time.monotonic()))

        def agent() -> None:
            shipper.run(lambda: shipped.is_set())

        async def run() -> None:
            stop, readies = asyncio.Event(), [asyncio.Event() for _ in clients]
            tasks = [asyncio.create_task(c.run(stop, r)) for c, r in zip(clients, readies, strict=True)]
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 15)
            poster = threading.Thread(target=agent, daemon=True)
            poster.start()
            gen = threading.Thread(target=edge, daemon=True)
            gen.start()
            await asyncio.sleep(WARMUP_S)
            cpu0, posted0, t0 = _cpu_s(pids), shipper.posted, time.monotonic()
            await asyncio.to_thread(gen.join)
            cpu1, posted1, t1 = _cpu_s(pids), shipper.posted, time.monotonic()
            window.update(
                seconds=round(t1 - t0, 1),
                events_posted=posted1 - posted0,
                cpu_s={k: round(cpu1[k] - cpu0[k], 2) for k in cpu1 if k in cpu0},
            )
            deadline = time.monotonic() + 120
            while shipper.posted < len(made) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            shipped.set()
            await asyncio.to_thread(poster.join, 10)
            await asyncio.sleep(2.0)  # the last pushes
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)

        load_start = os.getloadavg()
        try:
            asyncio.run(run())
        finally:
            writer.close()
            http.close()
        out: dict[str, Any] = {"seconds": seconds, "calls_per_s": calls_per_s, "events_made": len(made)}
        latencies: list[float] = []
        per_client = {}
        for c in clients:
            ext = c.name.removeprefix("agent") if c.name.startswith("agent") else ""
            wanted = [eid for eid, (_, parties) in made.items() if not ext or ext in parties]
            lat = [c.got[eid] - made[eid][0] for eid in wanted if eid in c.got and made[eid][0] >= 0]
            missing = [eid for eid in wanted if eid not in c.got]
            foreign = [eid for eid in c.got if eid in made and ext and ext not in made[eid][1]]
            latencies += lat
            per_client[c.name] = {
                **_stats(lat),
                "expected": len(wanted),
                "missing": len(missing),
                "not_theirs": len(foreign),
                "messages": c.messages,
            }
        out.update(
            latency=_stats(latencies),
            clients=per_client,
            post_ms=_stats(posts),
            batches=len(posts),
            post_failures=failures[:5],
            events_per_post=round(shipper.posted / max(1, len(posts)), 1),
            cpu=window,
            events_per_s=round(len(made) / seconds, 1),
            load_avg=[load_start, os.getloadavg()],
            budget_p95_ms=BUDGET_EVENT_P95_MS,
        )
        out["met"] = (
            out["latency"]["p95_ms"] is not None
            and out["latency"]["p95_ms"] <= BUDGET_EVENT_P95_MS
            and not failures
            and all(x["missing"] == 0 and x["not_theirs"] == 0 for x in per_client.values())
        )
        return out


# --- what moto costs ---------------------------------------------------------------------------
class MotoClock:
    """Time spent inside moto's DynamoDB request handler (the emulated server), and requests,
    in this process (``mock_aws``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.requests = 0
        self.installed = False

    def install(self) -> None:
        if self.installed:
            return
        from moto.dynamodb.responses import DynamoHandler

        original = DynamoHandler.call_action
        clock = self

        def timed(handler: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(handler)
            finally:
                clock.seconds += time.perf_counter() - t0
                clock.requests += 1

        DynamoHandler.call_action = timed  # type: ignore[method-assign]
        self.installed = True


MOTO = MotoClock()


@contextlib.contextmanager
def _in_process() -> Iterator[Any]:
    """moto in this process, the control plane's settings, a chalice.test client."""
    from chalice.test import Client
    from cryptography.fernet import Fernet
    from moto import mock_aws

    from control_plane.core import crypto, store

    env = {
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "ap-southeast-1",
        "PROBOX_TABLE": "probox-bench", "PROBOX_JWT_SECRET": "bench-jwt-secret-0123456789abcdef0123456789",
        "PROBOX_SECRET_KEY": Fernet.generate_key().decode(),
    }  # fmt: skip
    saved = {k: os.environ.get(k) for k in [*env, "AWS_ENDPOINT_URL", "PROBOX_SECRETS_ID", "PROBOX_WS_ENDPOINT"]}
    for k in ("AWS_ENDPOINT_URL", "PROBOX_SECRETS_ID", "PROBOX_WS_ENDPOINT", "PROBOX_WEBHOOK_QUEUE_URL"):
        os.environ.pop(k, None)
    os.environ.update(env)
    from infra import moto_patch

    moto_patch.install()  # as the local stack's moto: a Query reads its partition, not the table
    MOTO.install()
    try:
        with mock_aws():
            store.reset()
            crypto.reset()
            store.create_table()
            from control_plane import app as cp_app

            with Client(cp_app.app) as client:
                yield client
    finally:
        store.reset()
        crypto.reset()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _timed(fn: Any, n: int) -> dict[str, Any]:
    """Total ms, ms outside moto's server side, DynamoDB requests, per call of ``fn``."""
    total, ours, requests = [], [], []
    for _ in range(n):
        m0, r0 = MOTO.seconds, MOTO.requests
        t0 = time.perf_counter()
        fn()
        ms = (time.perf_counter() - t0) * 1000
        total.append(ms)
        ours.append(ms - (MOTO.seconds - m0) * 1000)
        requests.append(MOTO.requests - r0)
    out = _stats(total)
    out.update(outside_moto_p50_ms=_pct(ours, 0.5), outside_moto_p95_ms=_pct(ours, 0.95), requests_max=max(requests))
    out["requests_median"] = sorted(requests)[len(requests) // 2]
    return out


def _provider(client: Any) -> str:
    from control_plane.core import auth
    from control_plane.users import service as users

    return users.issue_token(auth.PROVIDER_ADMIN, tenant_id=None, ttl_s=3600, by="bench")


def _http(client: Any, method: str, path: str, token: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    r = client.http.request(method, path, headers=headers, body=json.dumps(body).encode() if body is not None else b"")
    if r.status_code >= 300:
        raise RuntimeError(f"{method} {path}: {r.status_code} {r.body[:300]!r}")
    return json.loads(r.body) if r.body else None


def bench_ingest_cost(batches: int = 30, size: int = 30) -> dict[str, Any]:
    """The control plane's own cost of a batch of events (in process, moto's time left out),
    and its DynamoDB requests: what a Lambda would spend besides DynamoDB's own latency."""
    from pbx_core import events as ev
    from pbx_core.cdr import iso

    with _in_process() as client:
        provider = _provider(client)
        tenant = _http(client, "POST", "/v1/tenants", provider, {"name": "Cost", "domain": "cost.probox.test"})
        edge = _http(client, "POST", "/v1/edges", provider, {"id": "edge-cost", "tenants": [tenant["id"]]})["token"]
        n = 0

        def one() -> None:
            nonlocal n
            started = iso(datetime.now(UTC))
            batch = []
            for _ in range(size):
                n += 1
                batch.append(_event(tenant["id"], f"cost-{n:07d}", ev.RINGING, "101", "102", started))
            _http(client, "POST", "/edge/v1/events", edge, {"events": batch})

        one()  # warm-up
        cost = _timed(one, batches)
    return {"batch": size, **cost}


# --- search ------------------------------------------------------------------------------------
def _load_cdrs(tenant_id: str, n: int) -> dict[str, Any]:
    """``n`` CDRs of the tenant written into moto's table as the ingest writes them."""
    from control_plane.cdrs import store as cdrs_store
    from pbx_core.cdr import iso

    rng = random.Random(6)
    outside = [f"09{rng.randrange(10**8):08d}" for _ in range(2000)]
    end = datetime.now(UTC).replace(microsecond=0)
    t0 = time.monotonic()
    batch = []
    for i in range(n):
        started = end - timedelta(seconds=int(30 * 86400 * i / n))
        ext = rng.choice(EXTENSIONS)
        direction = rng.choice(("internal", "inbound", "outbound"))
        other = rng.choice([e for e in EXTENSIONS if e != ext]) if direction == "internal" else rng.choice(outside)
        caller, callee = (other, ext) if direction == "inbound" else (ext, other)
        disposition = rng.choices(("answered", "busy", "no_answer", "cancelled", "failed"), (70, 10, 12, 6, 2))[0]
        talk = rng.randrange(5, 600) if disposition == "answered" else 0
        started_at = iso(started)
        call_id = f"bench-cdr-{i:07d}"
        doc = {
            "tenant_id": tenant_id, "call_id": call_id, "caller": caller, "callee": callee,
            "started_at": started_at, "answered_at": started_at if talk else None,
            "ended_at": iso(started + timedelta(seconds=talk + 3)), "duration_s": float(talk),
            "disposition": disposition, "sip_code": 200 if talk else 486, "hangup_side": "caller",
            "direction": direction, "edge_id": "edge-local", "worker_id": "w1", "recording_key": None,
            "recording_format": None, "recording_bytes": 0, "billable_s": talk if direction != "internal" else 0,
        }  # fmt: skip
        batch.append(cdrs_store.items(tenant_id, doc, call_id=call_id, started_at=started_at))
        if len(batch) >= 1000:
            cdrs_store.put_imported(batch)
            batch = []
    if batch:
        cdrs_store.put_imported(batch)
    return {"cdrs": n, "load_s": round(time.monotonic() - t0, 1), "a_number": outside[7], "newest": iso(end)}


def bench_search(n_cdrs: int = 100_000, runs: int = SEARCH_RUNS) -> dict[str, Any]:
    """GET /v1/cdrs over ``n_cdrs`` CDRs of one tenant (in process: moto's time measured apart)."""
    from control_plane.core import auth
    from control_plane.users import service as users

    with _in_process() as client:
        provider = _provider(client)
        tenant = _http(client, "POST", "/v1/tenants", provider, {"name": "Search", "domain": "search.probox.test"})
        tid = tenant["id"]
        admin = users.issue_token(auth.TENANT_ADMIN, tenant_id=tid, ttl_s=3600, by="bench")
        supervisor = _http(client, "POST", "/v1/api-keys", admin, {"name": "s", "role": "supervisor"})["key"]
        loaded = _load_cdrs(tid, n_cdrs)
        day = loaded["newest"][:10]
        searches: dict[str, dict[str, str]] = {
            "newest page": {},
            "extension 105": {"extension": "105"},
            "an outside number": {"number": loaded["a_number"]},
            "one day": {"from": f"{day}T00:00:00", "to": f"{day}T23:59:59"},
            "outbound busy": {"direction": "outbound", "disposition": "busy"},
        }
        first = _http(client, "GET", "/v1/cdrs", supervisor)
        searches["next page (cursor)"] = {"cursor": first["next"]}
        results: dict[str, Any] = {}
        for name, params in searches.items():
            path = "/v1/cdrs" + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
            rows = len(_http(client, "GET", path, supervisor)["items"])
            results[name] = {**_timed(lambda path=path: _http(client, "GET", path, supervisor), runs), "rows": rows}
    every_ours = [r["outside_moto_p95_ms"] for r in results.values()]
    worst = max(results.values(), key=lambda r: r["outside_moto_p95_ms"])
    return {
        **loaded,
        "searches": results,
        "outside_moto_p95_ms_worst": max(every_ours),
        "requests_max": max(r["requests_max"] for r in results.values()),
        "worst": worst,
        "budget_p95_ms": BUDGET_SEARCH_P95_MS,
    }


def bench_live(
    seconds: float = 20.0, rates: tuple[int, ...] = (CALLS_PER_S, 20), n_cdrs: int = 100_000, runs: int = SEARCH_RUNS
) -> dict[str, Any]:
    """Everything bench.run reports: event latency at each rate, the ingest's own cost, search."""
    return {
        "events": [bench_events(seconds, rate) for rate in rates],
        "ingest_cost": bench_ingest_cost(),
        "search": bench_search(n_cdrs, runs),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--calls-per-s", type=int, default=CALLS_PER_S)
    ap.add_argument("--cdrs", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=SEARCH_RUNS)
    ap.add_argument("--only", choices=["events", "search", "cost"])
    a = ap.parse_args()
    if a.only == "events":
        out: dict[str, Any] = {"events": bench_events(a.seconds, a.calls_per_s)}
    elif a.only == "search":
        out = {"search": bench_search(a.cdrs, a.runs)}
    elif a.only == "cost":
        out = {"ingest_cost": bench_ingest_cost()}
    else:
        out = bench_live(a.seconds, (a.calls_per_s, 20), a.cdrs, a.runs)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
