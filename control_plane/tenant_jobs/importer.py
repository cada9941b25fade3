"""The import job: a new tenant (new id, or the archived one) from an archive, checked before
anything is written (``check``: 400 / 409 in the request that starts the job) and rolled back
if it fails later (a recording whose bytes do not match the manifest, say).

Every item is built by its domain's store (``<domain>.store.item``, the claims' builders,
``cdrs.store.items``), so an import writes exactly what the API would have written.
"""

from __future__ import annotations

import json
import secrets
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from control_plane.blocklist import store as block_store
from control_plane.branches import store as branches_store
from control_plane.cdrs import service as cdrs
from control_plane.cdrs import store as cdrs_store
from control_plane.core import clock, crypto, keys, s3, store
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.devices import store as devices_store
from control_plane.dids import store as numbers_store
from control_plane.extensions import store as ext_store
from control_plane.plans import service as plans
from control_plane.plans.store import PlanItem
from control_plane.queues import store as queues_store
from control_plane.recordings import service as recordings
from control_plane.recordings import store as rec_store
from control_plane.recordings.store import RecordingItem
from control_plane.tenant_jobs import archive
from control_plane.tenant_jobs.archive import Archive, Config, ImportFailed
from control_plane.tenant_jobs.offboarding import purge
from control_plane.tenant_jobs.s3io import PART_SIZE, HashingReader
from control_plane.tenant_jobs.schemas import ImportIn
from control_plane.tenant_jobs.store import Job, Progress
from control_plane.tenants import service as tenants
from control_plane.tenants import store as tenants_store
from control_plane.trunks import store as trunks_store
from control_plane.users import passwords
from control_plane.users import store as users_store
from pbx_core import cdr as cdrmod
from pbx_core import numbers, sipauth
from pbx_core.errors import Conflict, LimitExceeded, PbxError, ValidationError

MAX_CDR_LINE = 1024 * 1024
TX_OPS = 90  # per transaction (DynamoDB allows 100; commit adds the version bump)
CONTENT_TYPES = {"opus": "audio/ogg", "ogg": "audio/ogg", "wav": "audio/wav"}


@dataclass(frozen=True)
class Target:
    """Who the imported tenant becomes."""

    tenant_id: str
    domain: str
    name: str
    plan: str
    status: str


def target(req: ImportIn, arch: Archive) -> Target:
    t = arch.config.tenant
    return Target(
        tenant_id=t.id if req.keep_id else tenants.new_tenant_id(),
        domain=req.domain or t.domain,
        name=req.name or t.name,
        plan=req.plan or t.plan,
        status=req.status,
    )


def check(tgt: Target, arch: Archive) -> PlanItem:
    """Conflicts before anything is written (the writes are conditional too)."""
    plans.list_all()  # seeds the default plans of a fresh installation
    plan = plans.find(tgt.plan)
    if plan is None:
        raise ValidationError(f"plan {tgt.plan} does not exist here", fields={"plan": "unknown plan"})
    exts = len(arch.config.extensions)
    if exts > int(plan.max_extensions):
        raise LimitExceeded(
            f"plan {plan.name} allows {int(plan.max_extensions)} extensions; the archive has {exts}",
            fields={"plan": "too few extensions for the archive"},
        )
    if tenants_store.exists(tgt.tenant_id):
        raise Conflict(f"tenant {tgt.tenant_id} exists already", fields={"keep_id": "tenant id in use"})
    if tenants_store.domain_owner(tgt.domain) is not None:
        raise Conflict(f"domain {tgt.domain} is already in use", fields={"domain": "already in use"})
    for number in _assigned(arch.config):
        if numbers_store.claim_owner(number) is not None:
            raise Conflict(f"number {number} belongs to another tenant here", fields={"numbers": number})
    for u in arch.config.users:
        if users_store.email_owner(u.email) is not None:
            raise Conflict(f"e-mail {u.email} is already in use here", fields={"users": u.email})
    return plan


def _now() -> str:
    return store.ts(clock.now())


def _refs(c: Config) -> dict[str, int]:
    """The reference counters the stores keep on targets, from the archived references."""
    refs: dict[str, int] = {}

    def add(sk: str) -> None:
        refs[sk] = refs.get(sk, 0) + 1

    for e in c.extensions:
        if e.branch_id:
            add(keys.branch_sk(e.branch_id))
        if e.caller_id:
            add(keys.number_sk(e.caller_id))
    for ext in (
        *(d.extension for d in c.devices),
        *(u.extension for u in c.users),
        *(b.extension for b in c.blocklist),
    ):
        if ext:
            add(keys.ext_sk(ext))
    queue_by_number = {q.number: q.id for q in c.queues}
    for n in c.numbers:
        add(keys.trunk_sk(n.trunk_id))
        if n.route_to in queue_by_number:  # a DID may route to a queue (issue 16)
            add(keys.queue_sk(queue_by_number[n.route_to]))
        elif n.route_to:
            add(keys.ext_sk(n.route_to))
    for q in c.queues:
        for m in q.members:
            add(keys.ext_sk(m.extension))
        kind, _, target = q.overflow.partition(":")
        if kind == "extension":
            add(keys.ext_sk(target))
        elif kind == "queue":
            add(keys.queue_sk(target))
    if c.tenant.default_caller_id:
        add(keys.number_sk(c.tenant.default_caller_id))
    return refs


def _create_tenant(tgt: Target, plan: PlanItem, c: Config) -> None:
    """The tenant item, its domain, registry entry and plan count; suspended until the end."""
    now = _now()
    t = c.tenant
    tenants_store.create(
        tenants_store.item(
            tgt.tenant_id,
            name=tgt.name,
            domain=tgt.domain,
            status="suspended",
            plan=plan.name,
            max_concurrent_calls=t.max_concurrent_calls,
            max_extensions=int(plan.max_extensions),
            record_calls=t.recording.enabled,
            recording_retention_days=t.recording.retention_days,
            recording_quota_bytes=int(plan.recording_quota_bytes),
            recording_usage_bytes=0,
            recording_level="ok",
            recording_on_full=t.recording.on_full,
            time_zone=t.time_zone,
            outbound_international=t.outbound_policy.international,
            outbound_premium_1900=t.outbound_policy.premium_1900,
            default_caller_id=t.default_caller_id,
            password_rotation_months=t.password_rotation_months,
            ext_count=len(c.extensions),
            rev=0,
            created_at=now,
            updated_at=now,
        )
    )


def _assigned(c: Config) -> list[str]:
    """The numbers the imported tenant gets: the assigned ones and the configured ones (an
    archive made before assignments existed has only the latter), national form."""
    both = [a.number for a in c.assigned_numbers] + [n.number for n in c.numbers]
    return list(dict.fromkeys(numbers.did(n).national for n in both))


def _write_config(tgt: Target, c: Config) -> dict[str, Any]:
    """The configuration items of the new tenant, with their claims and reference counts."""
    tid, now = tgt.tenant_id, _now()
    refs = _refs(c)
    stamps = {"rev": 0, "created_at": now, "updated_at": now}
    items: list[store.Item] = []
    for b in c.branches:
        refs_b = refs.get(keys.branch_sk(b.id), 0)
        items.append(branches_store.item(tid, b.id, name=b.name, prefix=b.prefix, refs=refs_b, **stamps))
    for tr in c.trunks:
        items.append(
            trunks_store.item(
                tid, tr.id, name=tr.name, host=tr.host.lower(), port=tr.port, transport=tr.transport, auth=tr.auth,
                username=tr.username, secret=None, ips=list(dict.fromkeys(tr.ips)), channels=tr.channels,
                codecs=list(dict.fromkeys(tr.codecs)), refs=refs.get(keys.trunk_sk(tr.id), 0), **stamps,
            )
        )  # fmt: skip
    for n in c.numbers:
        did = numbers.did(n.number)
        items.append(
            numbers_store.item(
                tid, did.national, number_kind=did.kind, trunk_id=n.trunk_id, route_to=n.route_to, label=n.label,
                refs=refs.get(keys.number_sk(did.national), 0), **stamps,
            )
        )  # fmt: skip
    # the provider imports: every number of the archive is assigned to the new tenant
    assigned_at = {numbers.did(a.number).national: a.assigned_at for a in c.assigned_numbers}
    for number in _assigned(c):
        kind = numbers.did(number).kind
        when = assigned_at.get(number) or now
        items.append(numbers_store.assignment(tid, number, number_kind=kind, assigned_at=when, assigned_by="import"))
        items.append(numbers_store.claim(tid, number))
    for e in c.extensions:
        # A new SIP password: none was exported, and the HA1 depends on the (maybe new) domain.
        password = sipauth.generate_password()
        items.append(
            ext_store.item(
                tid, e.number, display_name=e.display_name, status=e.status, branch_id=e.branch_id,
                pickup_group=e.pickup_group, outbound=e.outbound, caller_id=e.caller_id,
                ha1=sipauth.ha1(e.number, tgt.domain, password),
                secret=crypto.encrypt(tid, ext_store.secret_context(e.number), password),
                refs=refs.get(keys.ext_sk(e.number), 0), password_rotated_at=now, **stamps,
            )
        )  # fmt: skip
    for d in c.devices:
        items.append(
            devices_store.item(
                tid, d.id, extension=d.extension, vendor=d.vendor, model=d.model, mac=d.mac, label=d.label,
                needs_reprovision=True, encrypt_config=d.encrypt_config, **stamps,
            )
        )  # fmt: skip
    for bl in c.blocklist:
        items.append(
            block_store.item(
                tid, bl.id, pattern=bl.pattern, direction=bl.direction, extension=bl.extension, note=bl.note, **stamps
            )
        )
    for q in c.queues:
        items.append(
            queues_store.item(
                tid, q.id, name=q.name, number=q.number, strategy=q.strategy, overflow=q.overflow, language=q.language,
                members=queues_store.dump_members([(m.extension, m.penalty) for m in q.members]),
                refs=refs.get(keys.queue_sk(q.id), 0),
                **{k: getattr(q, k) for k in (*queues_store.INTS, *queues_store.BOOLS)}, **stamps,
            )
        )  # fmt: skip
    locked_after = int(time.time() * 1000)
    for u in c.users:
        # No hash was exported: an unguessable one locks the account until an admin sets a password.
        locked = passwords.hash_password(secrets.token_urlsafe(32))
        items.append(
            users_store.item(
                tid, u.id, email=u.email, name=u.name, role=u.role, extension=u.extension, status=u.status,
                password_hash=locked, tokens_valid_after=locked_after, **stamps,
            )
        )  # fmt: skip
        items.append(users_store.email_claim(tid, u.email, u.id))

    def taken(item: store.Item) -> Callable[[], PbxError]:
        return lambda: Conflict(f"{item.pk} is already taken here", fields={"archive": item.pk})

    ops = [store.put_new(item, taken(item)) for item in items]
    for start in range(0, len(ops), TX_OPS):
        store.commit(ops[start : start + TX_OPS], bump=False)
    return {
        "extensions_new_passwords": len(c.extensions),
        "devices_to_reprovision": len(c.devices),
        "users_to_set_password": len(c.users),
        "trunks_needing_password": sorted(tr.id for tr in c.trunks if tr.auth == "register"),
    }


def _import_recordings(arch: Archive, tid: str, progress: Progress) -> dict[str, dict[str, Any]]:
    """Each listed recording to ``tenants/<tid>/<path>``, checked against its SHA-256."""
    from boto3.s3.transfer import TransferConfig

    client, bucket = s3.client(), s3.bucket()
    transfer = TransferConfig(use_threads=False, multipart_chunksize=PART_SIZE, multipart_threshold=PART_SIZE)
    done: dict[str, dict[str, Any]] = {}
    total = 0
    for entry in arch.recordings:
        path = str(entry["path"])
        if path in done:
            continue
        expected = arch.files[path]
        fmt = str(entry.get("format") or path.rsplit(".", 1)[-1])
        try:
            with arch.zf.open(path) as member:
                reader = HashingReader(member)
                client.upload_fileobj(
                    reader,
                    bucket,
                    s3.tenant_prefix(tid) + path,
                    ExtraArgs={"ContentType": CONTENT_TYPES.get(fmt.lower(), "application/octet-stream")},
                    Config=transfer,
                )
        except (zipfile.BadZipFile, EOFError) as exc:  # zipfile's CRC check
            raise ImportFailed(f"{path} is damaged in the archive ({exc})") from exc
        if reader.size != expected["bytes"] or reader.digest.hexdigest() != expected["sha256"]:
            raise ImportFailed(f"{path} does not match its checksum in the manifest")
        total += reader.size
        done[path] = {"bytes": reader.size, "format": fmt}
        progress.tick(recordings=len(done), recording_bytes=total)
    return done


CdrEntry = tuple[cdrs_store.CdrItem, cdrs_store.CdrIdItem, RecordingItem | None]


def _import_cdrs(arch: Archive, tid: str, recs: dict[str, dict[str, Any]], progress: Progress) -> dict[str, int]:
    """cdrs.jsonl line by line (checked against its SHA-256 at the end) into batch writes."""
    import hashlib

    digest, size = hashlib.sha256(), 0
    seen: set[str] = set()
    stats = {"cdrs": 0, "duplicate_cdrs": 0, "cdrs_without_recording": 0, "recordings_linked": 0}
    batch: list[CdrEntry] = []
    try:
        with arch.zf.open("cdrs.jsonl") as member:
            for number, line in enumerate(_lines(member), start=1):
                digest.update(line)
                size += len(line)
                if not line.strip():
                    continue
                doc, deleted, rec = _cdr_line(line, number, tid, recs, stats)
                if doc["call_id"] in seen:
                    stats["duplicate_cdrs"] += 1
                    continue
                seen.add(doc["call_id"])
                batch.append(_cdr_entry(tid, doc, deleted, rec))
                stats["cdrs"] += 1
                if len(batch) >= store.BATCH_WRITE // 3:
                    cdrs_store.put_imported(batch)
                    batch = []
                    progress.tick(cdrs=stats["cdrs"])
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ImportFailed(f"cdrs.jsonl is damaged in the archive ({exc})") from exc
    if batch:
        cdrs_store.put_imported(batch)
    expected = arch.files["cdrs.jsonl"]
    if size != expected["bytes"] or digest.hexdigest() != expected["sha256"]:
        raise ImportFailed("cdrs.jsonl does not match its checksum in the manifest")
    return stats


def _cdr_entry(
    tid: str, doc: dict[str, Any], deleted: cdrs_store.Deleted | None, rec: dict[str, Any] | None
) -> CdrEntry:
    """The items of one imported CDR, as ``cdrs.store`` writes them for an ingested one."""
    sort_time = cdrs.sort_time(doc["started_at"])
    recording = None
    if rec is not None:
        recording = rec_store.item(
            tid,
            "",
            call_id=doc["call_id"],
            key=doc["recording_key"],
            size=rec["bytes"],
            format=str(doc.get("recording_format") or rec["format"]),
            started_at=sort_time,
        )
    return cdrs_store.items(
        tid, doc, call_id=doc["call_id"], started_at=sort_time, recording=recording, deleted=deleted
    )


def _lines(member: Any) -> Iterator[bytes]:
    while True:
        line: bytes = member.readline(MAX_CDR_LINE + 1)
        if not line:
            return
        if len(line) > MAX_CDR_LINE:
            raise ImportFailed(f"cdrs.jsonl has a line longer than {MAX_CDR_LINE} bytes")
        yield line


def _cdr_line(
    line: bytes, number: int, tid: str, recs: dict[str, dict[str, Any]], stats: dict[str, int]
) -> tuple[dict[str, Any], cdrs_store.Deleted | None, dict[str, Any] | None]:
    """One archived CDR for the new tenant: validated, tenant id and recording key rewritten."""
    try:
        raw = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"cdrs.jsonl line {number}: not JSON") from exc
    if not isinstance(raw, dict):
        raise ImportFailed(f"cdrs.jsonl line {number}: not a JSON object")
    reason = raw.get("recording_deleted") if raw.get("recording_deleted") in ("quota", "retention") else None
    deleted_at = raw.get("recording_deleted_at") if isinstance(raw.get("recording_deleted_at"), str) else None
    deleted = cdrs_store.Deleted(reason=reason, at=deleted_at or _now()) if reason else None
    for key in archive.OVERLAY:
        raw.pop(key, None)
    raw["tenant_id"] = tid
    old_key = raw.get("recording_key")
    rec = None
    raw["recording_key"] = None
    if isinstance(old_key, str) and old_key:
        m = archive.KEY_TAIL.match(old_key)
        if m and m.group(1) in recs:
            raw["recording_key"] = s3.tenant_prefix(tid) + m.group(1)
            rec = recs[m.group(1)]
            stats["recordings_linked"] += 1
        else:
            stats["cdrs_without_recording"] += 1  # missing at export time: no dangling key
    try:
        doc = cdrmod.from_dict(raw).to_dict()
    except (PbxError, TypeError, ValueError) as exc:
        detail = ", ".join(f"{k}: {v}" for k, v in getattr(exc, "fields", {}).items()) or str(exc)
        raise ImportFailed(f"cdrs.jsonl line {number}: invalid CDR ({detail})") from exc
    return doc, deleted, rec


def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    """Run the import job into the tenant it names (created here; removed again on failure)."""
    params = job.params
    tid = job.tenant_id
    arch = archive.open_archive(str(params["archive_key"]))
    tgt = Target(
        tenant_id=tid,
        domain=str(params["domain"]),
        name=str(params["name"]),
        plan=str(params["plan"]),
        status=str(params["status"]),
    )
    plan = check(tgt, arch)
    _create_tenant(tgt, plan, arch.config)  # Conflict here: nothing was created
    try:
        result = _write_config(tgt, arch.config)
        recs = _import_recordings(arch, tid, progress)
        stats = _import_cdrs(arch, tid, recs, progress)
        usage = sum(r["bytes"] for r in recs.values())
        store.commit(
            [
                tenants_store.patch(
                    tid,
                    {"status": tgt.status, "recording_usage_bytes": usage, "updated_at": _now()},
                    rev=None,
                    error=lambda: Conflict("the imported tenant changed meanwhile"),
                )
            ],
            bump=tid,  # the config items went in without bumps: edges see them all now
        )
    except BaseException:
        # Only what this job created (the tenant item was new): never a tenant that existed.
        logger.warning("tenant import failed: rolling back", extra={"tenant_id": tid, "job_id": job.job_id})
        try:
            purge(tid)
        except Exception:  # the job still fails with the first error; a delete job can finish
            logger.exception("rollback of a failed import failed", extra={"tenant_id": tid})
        raise
    recordings.settle(tid, clock.now(), levels=True, delete=False)  # quota level and its events
    count("TenantImportCdrs", stats["cdrs"])
    logger.info("tenant imported", extra={"tenant_id": tid, "job_id": job.job_id, **stats})
    return {
        **result,
        **stats,
        "recordings": len(recs),
        "recording_bytes": usage,
        "source_tenant_id": params.get("source_tenant_id"),
        "domain": tgt.domain,
    }
