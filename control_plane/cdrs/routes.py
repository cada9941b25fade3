"""HTTP routes of CDRs: an edge posts them, tenant users search them."""

from __future__ import annotations

from chalice.app import Response

from control_plane.cdrs import service
from control_plane.cdrs.schemas import CdrBatchIn, CdrBatchOut, CdrIn, CdrIngestOut, CdrLocalList, CdrLocalOut, CdrQuery
from control_plane.core.api import EDGE, TENANT_USERS, ApiRequest, Routes
from control_plane.core.http import json_response
from pbx_core.errors import ValidationError

routes = Routes(__name__)


@routes.route(
    "POST", "/edge/v1/cdrs", summary="Post one CDR (idempotent by tenant and call id)", tag="edge", roles=EDGE,
    body=CdrIn, status=201, response=CdrIngestOut,
    description="201 when stored, 200 with status=duplicate for a repeat.",
)  # fmt: skip
def edge_post_cdr(req: ApiRequest) -> Response:
    edge_id = req.principal(*EDGE).require_edge()
    record, created = service.ingest(req.json(), edge_id=edge_id, lambda_context=req.lambda_context)
    answer = CdrIngestOut(call_id=record.call_id, status="created" if created else "duplicate")
    return json_response(answer.model_dump(), 201 if created else 200)


@routes.route(
    "POST", "/edge/v1/cdrs/batch", summary="Post up to 50 CDRs; a result per CDR (idempotent by tenant and call id)",
    tag="edge", roles=EDGE, body=CdrBatchIn, response=CdrBatchOut,
    description="200 with one result per CDR in order: created, duplicate, or error with its code, message and "
    "whether a retry may succeed (`retry`). A refused CDR never fails the others.",
)  # fmt: skip
def edge_post_cdr_batch(req: ApiRequest) -> CdrBatchOut:
    edge_id = req.principal(*EDGE).require_edge()
    body = req.json()
    raws = body.get("cdrs") if isinstance(body, dict) else None
    if not isinstance(raws, list):
        raise ValidationError("a JSON object with a list of CDRs", fields={"cdrs": "required list"})
    return service.ingest_batch(raws, edge_id=edge_id)


@routes.route(
    "GET", "/v1/cdrs", summary="Search calls (time range, extension, number, direction, disposition)",
    tag="cdrs", roles=TENANT_USERS, query=CdrQuery, response=CdrLocalList,
)  # fmt: skip
def list_cdrs(req: ApiRequest) -> CdrLocalList:
    tenant_id, ext = service.scope(req.principal(*TENANT_USERS))
    return service.search(tenant_id, req.query(CdrQuery), extension=ext)


@routes.route(
    "GET", "/v1/cdrs/{call_id}", summary="One call", tag="cdrs", roles=TENANT_USERS, response=CdrLocalOut,
)  # fmt: skip
def get_cdr(req: ApiRequest, call_id: str) -> CdrLocalOut:
    tenant_id, ext = service.scope(req.principal(*TENANT_USERS))
    return service.get(tenant_id, call_id, extension=ext)
