"""Bench 6: contacts (issue 17): lookup by number p99 <= 20 ms with 1,000,000 contacts in a
tenant, import of 100,000 rows <= 60 s, search p95 <= 300 ms.

    .venv/bin/python -m bench.contacts [--sizes 10000,100000,300000] [--rows 100000]
    .venv/bin/python -m bench.run --only contacts     # written into docs/benchmarks.md

Everything runs in this process against moto's in-process DynamoDB and S3 (``mock_aws``),
through the same code as the API (``contacts.service`` / ``contacts.importer``, PynamoDB and
botocore; the lookup also through the HTTP route with ``chalice.test``).

**What moto can and cannot show.** A contact lookup is two GetItems by full key (the
number's item ``T#<t>#CNUM#<number>``, then the contact): DynamoDB answers a GetItem in the
same time whatever the table holds, and moto keeps items in dicts by key, so the lookup's
cost does not depend on N in either. moto cannot hold a million contacts on this machine
(~15 KB of Python objects per item, 3 items per contact: ~45 GB), so the lookup is measured
at growing N and the figure to read is that its p99 stays flat. The tenant is filled
through moto's backend directly (``put_item`` on its table, no botocore round trip): the
fill is setup, not what is measured. A name search is one Query of one shard of the name
index (``T#<t>#CNAME#<2 letters>``) with a ``Limit``, then one BatchGetItem of the page's
contacts: DynamoDB reads only the page, but moto 5.2's Query builds and sorts a list of
every item of the table for each request, so in moto a search's cost grows with the whole
table. The name searches are therefore measured with moto's Query reading only the queried
partition (``partition_local_query``, still sorting and filtering it all: more than
DynamoDB does), and a few with moto's Query as it is, for comparison. The import's time
in moto is dominated by moto's own cost per written attribute (~0.3 ms per contact item); the report splits reading and
checking the file from writing, and counts the items written (DynamoDB's write units).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

BUDGET_LOOKUP_P99_MS = 20.0
BUDGET_IMPORT_S = 60.0
BUDGET_SEARCH_P95_MS = 300.0
DYNAMODB_REQUEST_S = 0.010  # a BatchWriteItem of 25 items in-region (an estimate, not measured here)
NAME_SEARCH_MAX_N = 50_000
REGION = "ap-southeast-1"
BUCKET = "probox-bench-contacts"
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Hoài", "")
GIVEN = (
    "An", "Anh", "Ánh", "Bảo", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dương", "Giang", "Hà", "Hải", "Hạnh",
    "Hiếu", "Hòa", "Hùng", "Hương", "Huy", "Khánh", "Khoa", "Lan", "Linh", "Long", "Mai", "Minh", "My", "Nam",
    "Nga", "Ngân", "Nhung", "Phong", "Phúc", "Phương", "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Thu",
    "Trang", "Trung", "Tú", "Tuấn", "Uyên", "Việt", "Vy", "Xuân", "Yến",
)  # fmt: skip


def _env() -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        PROBOX_TABLE="probox-bench",
        PROBOX_RECORDINGS_BUCKET=BUCKET,
        PROBOX_JWT_SECRET="bench-jwt-secret-0123456789abcdef0123456789",
        PROBOX_RATE_LIMIT_TENANT="0",
        PROBOX_RATE_LIMIT_PRINCIPAL="0",
    )
    os.environ.setdefault("PROBOX_SECRET_KEY", "dGhpcy1pcy1hLWJlbmNoLWtleS0wMTIzNDU2Nzg5YWI=")


@contextmanager
def _world() -> Iterator[dict[str, Any]]:
    """moto in process, the table and bucket, one tenant and its admin token."""
    _env()
    import boto3
    from moto import mock_aws

    from control_plane.core import crypto, store
    from infra import moto_patch

    # as the local stack's moto (an item's size added up once: bench 6's writes), but with
    # moto's own Query: partition_local_query() below and the "as is" column compare them
    moto_patch.install(query=False)

    with mock_aws():
        store.reset()
        crypto.reset()
        store.create_table()
        boto3.client("s3", region_name=REGION).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        from control_plane.core import auth
        from control_plane.tenants import service as tenants
        from control_plane.users import service as users

        tenant = tenants.create({"name": "Bench", "domain": "bench.probox.vn"})
        token = users.issue_token(auth.TENANT_ADMIN, tenant_id=tenant.id, ttl_s=7200, by="bench")
        yield {"tenant_id": tenant.id, "token": token}
    store.reset()
    crypto.reset()


def _number(i: int) -> str:
    return f"09{i:08d}"


def _name(rng: random.Random) -> str:
    parts = [rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)]
    return " ".join(p for p in parts if p)


def fill(tenant_id: str, start: int, stop: int, rng: random.Random) -> float:
    """Contacts start..stop-1 (numbers 09xxxxxxxx), written straight into moto's table; seconds."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from control_plane.contacts import names
    from control_plane.contacts import store as contacts_store
    from control_plane.core import settings

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
    table = settings.aws().table
    t0 = time.monotonic()
    for i in range(start, stop):
        name = _name(rng)
        raws = contacts_store.raw_items(
            tenant_id,
            {
                "contact_id": f"ct_{i:012x}",
                "name": name,
                "nkey": names.name_key(name),
                "company": "",
                "email": "",
                "owner": "",
                "numbers": [_number(i)],
                "dncch": [],
                "tags": ["bench"] if i % 10 == 0 else [],
                "segments": [],
                "doc": '{"source":"import"}',
                "created_at": "2026-01-01T00:00:00.000Z",
                "updated_at": "2026-01-01T00:00:00.000Z",
            },
        )
        for raw in raws:
            backend.put_item(table, raw)
    return time.monotonic() - t0


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


class _MotoClock:
    """Time spent inside moto's DynamoDB request handler (the emulated server), and requests."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.requests = 0
        self.installed = False

    def install(self) -> None:
        from moto.dynamodb.responses import DynamoHandler

        if self.installed:  # once: a second wrapper would count every request twice
            return
        self.installed = True

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


MOTO = _MotoClock()


@contextmanager
def partition_local_query() -> Iterator[None]:
    """moto's Query reading only the queried partition, as DynamoDB does: moto 5.2's
    ``Table.query`` (no index) builds and sorts a list of every item of the table for each
    request (``Table.all_items``), so in moto a Query's cost grows with the whole table.
    The local stack's patch (``infra.moto_patch``), here for the measured searches only."""
    from infra import moto_patch

    with moto_patch.partition_queries():
        yield


def _timed(fn: Callable[[], Any], n: int) -> tuple[list[float], list[float], list[int]]:
    """(total ms, ms outside moto's server side, DynamoDB requests) per call."""
    total, ours, requests = [], [], []
    for _ in range(n):
        m0, r0 = MOTO.seconds, MOTO.requests
        t0 = time.perf_counter()
        fn()
        dt_ms = (time.perf_counter() - t0) * 1000
        total.append(dt_ms)
        ours.append(dt_ms - (MOTO.seconds - m0) * 1000)
        requests.append(MOTO.requests - r0)
    return total, ours, requests


def _stats(sample: tuple[list[float], list[float], list[int]]) -> dict[str, float]:
    ms, ours, requests = sample
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(_pct(ms, 0.95), 2),
        "p99_ms": round(_pct(ms, 0.99), 2),
        "max_ms": round(max(ms), 2),
        "client_p95_ms": round(_pct(ours, 0.95), 2),
        "client_p99_ms": round(_pct(ours, 0.99), 2),
        "requests_max": max(requests),
    }


def bench_lookup_and_search(sizes: list[int], lookups: int, searches: int) -> dict[str, Any]:
    """Lookup and search at each N (the same tenant grows from one size to the next)."""
    from chalice.test import Client

    from control_plane import app as cp_app

    rng = random.Random(17)
    steps: list[dict[str, Any]] = []
    MOTO.install()
    with _world() as w, Client(cp_app.app) as client:
        done = 0
        for n in sizes:
            fill_s = fill(w["tenant_id"], done, n, rng)
            done = n
            step = {"contacts": n, "fill_s": round(fill_s, 1), **_measure(client, w, n, rng, lookups, searches)}
            steps.append(step)
            names_p95 = step["search_name"]["p95_ms"]
            print(
                f"bench contacts: N={n:,} lookup p99 {step['lookup_service']['p99_ms']} ms "
                f"(HTTP {step['lookup_http']['p99_ms']} ms), name search p95 {names_p95} ms"
            )
    return {"steps": steps}


def _measure(client: Any, w: dict[str, Any], n: int, rng: random.Random, lookups: int, searches: int) -> dict[str, Any]:
    from control_plane.contacts import service
    from control_plane.contacts.schemas import ContactQuery

    tid = w["tenant_id"]
    v = service.system_viewer(tid)
    known = [_number(rng.randrange(n)) for _ in range(lookups)]
    numbers = iter(known)
    svc = _timed(lambda: service.lookup(v, next(numbers)), lookups)
    routed = iter(known[: max(50, lookups // 4)])
    headers = {"Authorization": f"Bearer {w['token']}"}

    def route() -> None:
        r = client.http.get(f"/v1/contacts/lookup?number={next(routed)}", headers=headers)
        assert r.status_code == 200, r.body

    http = _timed(route, max(50, lookups // 4))
    missing = iter([f"03{rng.randrange(10**8):08d}" for _ in range(100)])
    unknown = _timed(lambda: service.find_by_number(tid, next(missing)), 100)
    whole = iter(known[:searches])
    number_ms = _timed(lambda: service.search(v, ContactQuery(q=next(whole), limit=50)), searches)
    # Name searches as DynamoDB runs them (the Query reads its partition only), then a few
    # with moto's own Query, which sorts the whole table per request (none past
    # NAME_SEARCH_MAX_N: minutes per search).
    with partition_local_query():
        words = iter([names_prefix(rng) for _ in range(searches)])
        name_ms = _timed(lambda: service.search(v, ContactQuery(q=next(words), limit=50)), searches)
    n_as_is = 0 if n > NAME_SEARCH_MAX_N else 10
    words = iter([names_prefix(rng) for _ in range(n_as_is)])
    as_is = _timed(lambda: service.search(v, ContactQuery(q=next(words), limit=50)), n_as_is)
    return {
        "lookup_service": _stats(svc),
        "lookup_http": _stats(http),
        "lookup_unknown": _stats(unknown),
        "search_name": _stats(name_ms),
        "search_name_moto_query": _stats(as_is) if n_as_is else None,
        "search_number": _stats(number_ms),
        "largest_shard": _largest_shard(n),
    }


def names_prefix(rng: random.Random) -> str:
    """A search someone types: a given name (or its first letters), sometimes with the family name."""
    given = rng.choice(GIVEN)
    word = given if rng.random() < 0.5 else given[: rng.choice((2, 3))]
    return f"{rng.choice(FAMILY)} {word}" if rng.random() < 0.3 else word


def _largest_shard(n: int) -> int:
    """Expected contacts in the biggest name shard (the synthetic names' distribution)."""
    from collections import Counter

    from control_plane.contacts import names

    rng = random.Random(1)
    sample = Counter(names.shard(names.name_key(rng.choice(GIVEN))) for _ in range(10_000))
    return int(n * max(sample.values()) / 10_000)


def _csv_file(rows: int, bad: dict[int, str]) -> bytes:
    rng = random.Random(6)
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["Họ và tên", "Số điện thoại", "Công ty", "Email", "Nhãn", "Ghi chú"])
    for i in range(rows):
        line = i + 2
        out.writerow([_name(rng), bad.get(line, f"08{i:08d}"), "Công ty TNHH ABC", f"kh{i}@abc.vn", "bán lẻ", ""])
    return buf.getvalue().encode()


def _xlsx_file(rows: int, bad: dict[int, str]) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(6)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Khách hàng")
    ws.append(["Họ và tên", "Số điện thoại", "Công ty", "Email", "Nhãn", "Ghi chú"])
    for i in range(rows):
        line = i + 2
        ws.append([_name(rng), bad.get(line, f"07{i:08d}"), "Công ty TNHH ABC", f"kh{i}@abc.vn", "bán lẻ", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bench_import(rows: int) -> dict[str, Any]:
    """Import ``rows`` rows (3 bad) from CSV and from .xlsx: preview and import times."""
    import boto3

    from control_plane.contacts import importer
    from control_plane.contacts.schemas import ImportCreate, ImportPreviewIn

    MOTO.install()
    bad = {rows // 3: "012", rows // 2: "09abc", rows: "+1"}
    files: list[dict[str, Any]] = []
    out: dict[str, Any] = {"rows": rows, "bad_rows": sorted(bad), "files": files}
    with _world() as w:
        tid = w["tenant_id"]
        s3 = boto3.client("s3", region_name=REGION)
        for fmt, make in (("csv", _csv_file), ("xlsx", _xlsx_file)):
            t0 = time.monotonic()
            content = make(rows, bad)
            made_s = time.monotonic() - t0
            imp = importer.create(tid, ImportCreate(filename=f"bench.{fmt}"), by="bench")
            s3.put_object(Bucket=BUCKET, Key=importer.file_key(tid, imp.id, f"bench.{fmt}"), Body=content)
            t0 = time.monotonic()
            preview = importer.preview(tid, imp.id, ImportPreviewIn())
            preview_s = time.monotonic() - t0
            m0, r0 = MOTO.seconds, MOTO.requests
            t0 = time.monotonic()
            done = importer.commit(tid, imp.id)
            commit_s = time.monotonic() - t0
            moto_s, requests = MOTO.seconds - m0, MOTO.requests - r0
            scan_s = _scan_only(tid, imp.id, content, fmt, s3)
            items = _contacts_in(tid)
            entry = {
                "format": fmt,
                "bytes": len(content),
                "make_s": round(made_s, 1),
                "preview_s": round(preview_s, 1),
                "import_s": round(commit_s, 1),
                "read_and_check_s": round(scan_s, 1),
                "write_s": round(max(0.0, commit_s - scan_s), 1),
                "moto_s": round(moto_s, 1),
                "outside_moto_s": round(commit_s - moto_s, 1),
                "dynamodb_requests": requests,
                "writers": importer.WRITERS,
                # DynamoDB answers a BatchWriteItem in ~10 ms in-region (AWS's single-digit ms
                # per item operation); WRITERS of them in flight: the wait if none overlapped
                "dynamodb_wait_s_est": round(requests * DYNAMODB_REQUEST_S / importer.WRITERS, 1),
                "status": done.status,
                "created": done.created,
                "invalid": done.invalid,
                "error_rows": sorted({e.row for e in preview.errors}),
                "contacts_in_tenant": items,
                "items_written": done.created * 3,
            }
            files.append(entry)
            print(f"bench contacts: import {rows:,} rows {fmt}: preview {preview_s:.1f} s, import {commit_s:.1f} s")
    return out


def _contacts_in(tenant_id: str) -> int:
    """The tenant's contact items, counted in moto's table: a paginated Query would sort the
    whole table once per page in moto (what made the 100,000-row run look stuck)."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType

    from control_plane.core import keys, settings

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(settings.aws().table)
    return len(table.items.get(DynamoType({"S": keys.contact_pk(tenant_id)}), {}))


def _scan_only(tid: str, import_id: str, content: bytes, fmt: str, s3: Any) -> float:
    """Reading and checking the same file again (what an import spends before writing)."""
    from control_plane.contacts import importer

    imp = importer.require(tid, import_id)
    s3.put_object(Bucket=BUCKET, Key=imp.key, Body=content)
    imp.kind = "contacts"
    t0 = time.monotonic()
    importer.scan(imp)
    return time.monotonic() - t0


def bench_contacts(sizes: list[int], rows: int, lookups: int = 1000, searches: int = 200) -> dict[str, Any]:
    res = bench_lookup_and_search(sizes, lookups, searches)
    res["import"] = bench_import(rows)
    res["budgets"] = {
        "lookup_p99_ms": BUDGET_LOOKUP_P99_MS,
        "import_s": BUDGET_IMPORT_S,
        "search_p95_ms": BUDGET_SEARCH_P95_MS,
    }
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,50000,100000")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--lookups", type=int, default=1000)
    ap.add_argument("--searches", type=int, default=100)
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    print(json.dumps(bench_contacts(sizes, a.rows, a.lookups, a.searches), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
