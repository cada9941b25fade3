"""HTTP routes of call-center queues: tenant admins change them, supervisors read them."""

from __future__ import annotations

from control_plane.core.api import ADMIN, STAFF, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN
from control_plane.queues import service
from control_plane.queues.schemas import QueueCreate, QueueList, QueueOut, QueueUpdate

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
    service.delete(req.tenant(), queue_id)
