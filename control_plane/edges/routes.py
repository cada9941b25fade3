"""HTTP routes of edge nodes: the provider registers them and rotates their credentials; an
edge exchanges its credential for access tokens, registers its sealing key and pulls its
own snapshot (ETag / If-None-Match)."""

from __future__ import annotations

from chalice.app import Response

from control_plane.core.api import EDGE, NO_STORE, PROVIDER, ApiRequest, Routes
from control_plane.core.http import empty_response, json_response
from control_plane.core.schemas import EDGE_PATTERN
from control_plane.edges import service
from control_plane.edges.schemas import (
    EdgeCreate,
    EdgeCreated,
    EdgeCredentialOut,
    EdgeList,
    EdgeOut,
    EdgeTokenOut,
    EdgeUpdate,
    SealKeyIn,
)

routes = Routes(__name__)
EDGE_ID = {"edge_id": EDGE_PATTERN}


@routes.route(
    "POST", "/v1/edges", summary="Register an edge node (credential shown once; serves no tenant until listed)",
    tag="edges", roles=PROVIDER,
    body=EdgeCreate, status=201, response=EdgeCreated, no_store=True,
)  # fmt: skip
def create_edge(req: ApiRequest) -> EdgeCreated:
    req.principal(*PROVIDER)
    return service.create(req.json())


@routes.route("GET", "/v1/edges", summary="List edge nodes", tag="edges", roles=PROVIDER, response=EdgeList)
def list_edges(req: ApiRequest) -> EdgeList:
    req.principal(*PROVIDER)
    return service.list_all()


@routes.route(
    "GET", "/v1/edges/{edge_id}", summary="One edge node", tag="edges", roles=PROVIDER, response=EdgeOut,
    patterns=EDGE_ID,
)  # fmt: skip
def get_edge(req: ApiRequest, edge_id: str) -> EdgeOut:
    req.principal(*PROVIDER)
    return service.get(edge_id)


@routes.route(
    "PATCH", "/v1/edges/{edge_id}", summary="Change the tenants an edge serves ([] = none, null = all)", tag="edges",
    roles=PROVIDER, body=EdgeUpdate, response=EdgeOut, patterns=EDGE_ID,
)  # fmt: skip
def update_edge(req: ApiRequest, edge_id: str) -> EdgeOut:
    req.principal(*PROVIDER)
    return service.update(edge_id, req.json())


@routes.route(
    "DELETE", "/v1/edges/{edge_id}", summary="Delete an edge node (its token stops working)", tag="edges",
    roles=PROVIDER, status=204, patterns=EDGE_ID,
)  # fmt: skip
def delete_edge(req: ApiRequest, edge_id: str) -> None:
    req.principal(*PROVIDER)
    service.delete(edge_id)


@routes.route(
    "POST", "/v1/edges/{edge_id}/token",
    summary="Rotate an edge's credential (the old one and its access tokens stop at once)", tag="edges",
    roles=PROVIDER, status=201, response=EdgeCredentialOut, patterns=EDGE_ID, no_store=True,
)  # fmt: skip
def rotate_edge_credential(req: ApiRequest, edge_id: str) -> EdgeCredentialOut:
    req.principal(*PROVIDER)
    return service.rotate_credential(edge_id)


@routes.route(
    "POST", "/edge/v1/token", summary="An access token (1 hour) for the edge's credential (Bearer pbxe_...)",
    tag="edge", roles=None, status=201, response=EdgeTokenOut, errors=(401,), no_store=True,
)  # fmt: skip
def edge_access_token(req: ApiRequest) -> EdgeTokenOut:
    return service.exchange(req.header("authorization"))


@routes.route(
    "POST", "/edge/v1/credential", summary="The edge's own new credential (valid from its first use)",
    tag="edge", roles=EDGE, status=201, response=EdgeCredentialOut, no_store=True,
)  # fmt: skip
def edge_new_credential(req: ApiRequest) -> EdgeCredentialOut:
    return service.request_credential(req.principal(*EDGE).require_edge())


@routes.route(
    "PUT", "/edge/v1/seal-key", summary="The edge's X25519 public key (its trunk passwords are sealed to it)",
    tag="edge", roles=EDGE, body=SealKeyIn, response=EdgeOut,
)  # fmt: skip
def edge_seal_key(req: ApiRequest) -> EdgeOut:
    edge_id = req.principal(*EDGE).require_edge()
    return service.set_seal_key(edge_id, req.body(SealKeyIn, "invalid key"))


@routes.route(
    "GET", "/edge/v1/snapshot", summary="The edge's configuration snapshot (ETag / If-None-Match)", tag="edge",
    roles=EDGE, errors=(304, 409),
)  # fmt: skip
def edge_snapshot(req: ApiRequest) -> Response:
    edge_id = req.principal(*EDGE).require_edge()
    version = service.current_version(edge_id)  # per edge: only its tenants' changes count
    headers = {"ETag": service.etag(version), **NO_STORE}
    if service.etag_matches(req.header("if-none-match"), version):
        return empty_response(304, headers)
    return json_response(service.build_snapshot(edge_id, version).to_dict(), 200, headers)
