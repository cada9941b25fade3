"""HTTP routes of call-center queues: tenant admins change them, supervisors read them."""

from __future__ import annotations

from control_plane.core.api import ADMIN, EDGE, STAFF, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN
from control_plane.edges import service as edges
from control_plane.queues import prompts, service
from control_plane.queues.schemas import (
    PromptLink,
    PromptOut,
    PromptQuery,
    PromptUpload,
    QueueCreate,
    QueueList,
    QueueOut,
    QueueUpdate,
)
from pbx_core.errors import NotFound

routes = Routes(__name__)
QUEUE_ID = {"queue_id": ID_PATTERN}
PLAN_NOTE = "403 `feature_not_in_plan` when the tenant's plan has no queues (call-center plans CC-5/10/20 have)."


@routes.route("GET", "/v1/queues", summary="List call-center queues", tag="queues", roles=STAFF, response=QueueList)
def list_queues(req: ApiRequest) -> QueueList:
    return service.list_all(req.tenant(*STAFF))


@routes.route(
    "POST", "/v1/queues", summary="Add a call-center queue (number, strategy, members, settings)", tag="queues",
    roles=ADMIN, body=QueueCreate, status=201, response=QueueOut, description=PLAN_NOTE,
)  # fmt: skip
def create_queue(req: ApiRequest) -> QueueOut:
    tenant_id = req.tenant()
    return service.create(tenant_id, req.body(QueueCreate, "invalid queue"))


@routes.route(
    "GET", "/v1/queues/{queue_id}", summary="One queue", tag="queues", roles=STAFF, response=QueueOut,
    patterns=QUEUE_ID,
)  # fmt: skip
def get_queue(req: ApiRequest, queue_id: str) -> QueueOut:
    return service.get(req.tenant(*STAFF), queue_id)


@routes.route(
    "PATCH", "/v1/queues/{queue_id}", summary="Change a queue", tag="queues", roles=ADMIN, body=QueueUpdate,
    response=QueueOut, patterns=QUEUE_ID, description=PLAN_NOTE,
)  # fmt: skip
def update_queue(req: ApiRequest, queue_id: str) -> QueueOut:
    return service.update(req.tenant(), queue_id, req.json())


@routes.route(
    "DELETE", "/v1/queues/{queue_id}", summary="Delete a queue no number routes or overflows to", tag="queues",
    roles=ADMIN, status=204, patterns=QUEUE_ID,
)  # fmt: skip
def delete_queue(req: ApiRequest, queue_id: str) -> None:
    tenant_id = req.tenant()
    prompts.forget_all(tenant_id, service.delete(tenant_id, queue_id))


PROMPT = {**QUEUE_ID, "name": r"^[a-z_]{1,20}$"}


@routes.route(
    "PUT", "/v1/queues/{queue_id}/prompts/{name}",
    summary="Upload the tenant's own recording of a queue prompt (a WAV file, base64)", tag="queues", roles=ADMIN,
    body=PromptUpload, response=PromptOut, patterns=PROMPT, no_store=True,
    description="`name`: welcome (played once when a caller joins), callback (the offer to press 1), callback_ok, "
    "closed, leave_message. A WAV (PCM, 8 or 16 bit, mono or stereo, >= 8 kHz, <= 180 s, <= 4 MiB); 400 "
    "`bad_audio`/`too_long`/`too_big` otherwise. The place in line and the wait stay the product's voice.",
)  # fmt: skip
def upload_queue_prompt(req: ApiRequest, queue_id: str, name: str) -> PromptOut:
    return prompts.upload(req.tenant(), queue_id, name, req.json(max_bytes=prompts.MAX_BODY_BYTES))


@routes.route(
    "DELETE", "/v1/queues/{queue_id}/prompts/{name}",
    summary="Drop the tenant's own recording of a prompt (the product's voice speaks it again)", tag="queues",
    roles=ADMIN, status=204, patterns=PROMPT, query=PromptQuery,
)  # fmt: skip
def delete_queue_prompt(req: ApiRequest, queue_id: str, name: str) -> None:
    prompts.delete(req.tenant(), queue_id, name, req.query(PromptQuery).language)


@routes.route(
    "GET", "/edge/v1/queue-prompts/{tenant_id}/{queue_id}/{language}/{name}",
    summary="A link to a tenant's own prompt recording (for an edge serving the tenant)", tag="edge", roles=EDGE,
    response=PromptLink, patterns={**PROMPT, "tenant_id": ID_PATTERN, "language": r"^(vi|en)$"}, no_store=True,
    description="A presigned GET link (5 minutes) and the file's SHA-256; 404 for a tenant the edge does not serve.",
)  # fmt: skip
def edge_queue_prompt(req: ApiRequest, tenant_id: str, queue_id: str, language: str, name: str) -> PromptLink:
    edge_id = req.principal(*EDGE).require_edge()
    if not edges.serves(edge_id, tenant_id):
        raise NotFound("no such queue")
    return PromptLink(**prompts.edge_url(tenant_id, queue_id, language, name))
