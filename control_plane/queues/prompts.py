"""A tenant's own recordings of a queue's prompts (issue 16 item 1: "a tenant can upload its
own"): the welcome a caller hears on joining, the callback offer and its thank-you, the
"closed" sentence and the message prompt, per language. The place in line and the expected
wait stay the product's synthesised sentences (one per number, see ``edge_node.prompts``).

The file is checked here (a WAV the Python ``wave`` module reads: PCM, 8 or 16 bit, mono or
stereo, 8 kHz or more, three minutes at most) and stored as it came under the tenant's prefix,
named by its SHA-256; the queue item lists it, so the snapshot carries ("<lang>/<name>",
sha256) and the edge agent fetches it (``edge_url``: a presigned link, only for an edge that
serves the tenant), converts it to the worker's 8 kHz mono and keeps it beside the product's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import wave
from typing import Any

from control_plane.core import clock, s3, store
from control_plane.core.log import logger
from control_plane.core.schemas import parse
from control_plane.queues import service
from control_plane.queues import store as queues_store
from control_plane.queues.schemas import (
    MAX_PROMPT_BYTES,
    MAX_PROMPT_S,
    PromptName,
    PromptOut,
    PromptUpload,
)
from pbx_core.errors import NotFound, ValidationError

NAMES: tuple[str, ...] = PromptName.__args__  # type: ignore[attr-defined]
URL_TTL_S = 300
MAX_BODY_BYTES = 6_000_000  # a 4 MiB file in base64 and its JSON (other bodies stop at 64 KiB)


def check_name(name: str) -> str:
    if name not in NAMES:
        raise NotFound(f"no prompt {name!r}; a queue's prompts are {', '.join(NAMES)}")
    return name


def audio_seconds(data: bytes) -> float:
    """The length of a WAV file the worker can play once converted; 400 ``bad_audio``
    (a clear reason) for anything else."""
    try:
        with wave.open(io.BytesIO(data)) as w:
            channels, width, rate, frames = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            w.readframes(min(frames, rate))  # the data is really there
    except (wave.Error, EOFError) as exc:
        raise ValidationError(
            f"not a WAV file the PBX can play ({exc}); record or export it as WAV (PCM)",
            fields={"content_base64": "bad_audio"},
        ) from exc
    if channels not in (1, 2) or width not in (1, 2) or rate < 8000 or frames == 0:
        raise ValidationError(
            f"a WAV of {channels} channel(s), {8 * width} bit, {rate} Hz: mono or stereo, 8 or 16 bit, 8 kHz or more",
            fields={"content_base64": "bad_audio"},
        )
    seconds = float(frames) / float(rate)
    if seconds > MAX_PROMPT_S:
        raise ValidationError(
            f"the recording lasts {seconds:.0f} s; a prompt is at most {MAX_PROMPT_S} s",
            fields={"content_base64": "too_long"},
        )
    return seconds


def upload(tenant_id: str, queue_id: str, name: str, body: dict[str, Any]) -> PromptOut:
    """Store the tenant's recording of prompt ``name`` in the body's language (replacing an
    earlier one: its file is deleted once the queue no longer lists it)."""
    item = service.require(tenant_id, queue_id)
    check_name(name)
    req = parse(PromptUpload, body, "invalid prompt")
    try:
        data = base64.b64decode(req.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("content_base64 is not base64", fields={"content_base64": "not base64"}) from exc
    if len(data) > MAX_PROMPT_BYTES:
        raise ValidationError(
            f"the file has {len(data)} bytes; at most {MAX_PROMPT_BYTES}", fields={"content_base64": "too_big"}
        )
    seconds = audio_seconds(data)
    service.require_feature(tenant_id)
    sha = hashlib.sha256(data).hexdigest()
    key = queues_store.prompt_key(tenant_id, queue_id, req.language, name, sha)
    s3.client().put_object(Bucket=s3.bucket(), Key=key, Body=data, ContentType="audio/wav")
    now = clock.now()
    docs = queues_store.prompts(item)
    old = docs.get(f"{req.language}/{name}")
    doc = {"sha256": sha, "seconds": round(seconds, 3), "bytes": len(data), "uploaded_at": store.ts(now)}
    docs[f"{req.language}/{name}"] = doc
    store.save_changes(item, {"prompts": _dump(docs)}, what="queue", bump=tenant_id, now=now)
    if old is not None and old["sha256"] != sha:
        _forget(tenant_id, queue_id, req.language, name, str(old["sha256"]))
    logger.info("queue prompt uploaded", extra={"queue_id": queue_id, "prompt": name, "language": req.language})
    return service.prompt_out(name, req.language, doc)


def delete(tenant_id: str, queue_id: str, name: str, language: str) -> None:
    """The product's voice speaks prompt ``name`` again in ``language``."""
    item = service.require(tenant_id, queue_id)
    check_name(name)
    docs = queues_store.prompts(item)
    old = docs.pop(f"{language}/{name}", None)
    if old is None:
        raise NotFound(f"queue has no own {name!r} prompt in {language!r}")
    store.save_changes(item, {"prompts": _dump(docs)}, what="queue", bump=tenant_id, now=clock.now())
    _forget(tenant_id, queue_id, language, name, str(old["sha256"]))


def forget_all(tenant_id: str, item: queues_store.QueueItem) -> None:
    """The files of a deleted queue."""
    for key, doc in queues_store.prompts(item).items():
        language, _, name = key.partition("/")
        _forget(tenant_id, item.queue_id, language, name, str(doc["sha256"]))


def _forget(tenant_id: str, queue_id: str, language: str, name: str, sha: str) -> None:
    try:
        s3.delete(queues_store.prompt_key(tenant_id, queue_id, language, name, sha))
    except Exception:  # an orphan file costs storage, never a caller's prompt
        logger.exception("old prompt file not deleted", extra={"queue_id": queue_id, "prompt": name})


def _dump(docs: dict[str, Any]) -> str:
    return json.dumps(docs, sort_keys=True, separators=(",", ":"))


def edge_url(tenant_id: str, queue_id: str, language: str, name: str) -> dict[str, str]:
    """A short-lived link to the uploaded file for an edge serving the tenant (the caller
    checks that); 404 when the queue lists no such prompt."""
    item = service.require(tenant_id, queue_id)
    doc = queues_store.prompts(item).get(f"{language}/{check_name(name)}")
    if doc is None:
        raise NotFound(f"queue has no own {name!r} prompt in {language!r}")
    key = queues_store.prompt_key(tenant_id, queue_id, language, name, str(doc["sha256"]))
    url = s3.client().generate_presigned_url(
        "get_object", Params={"Bucket": s3.bucket(), "Key": key}, ExpiresIn=URL_TTL_S
    )
    return {"url": str(url), "sha256": str(doc["sha256"])}
