"""HTTP routes about the API itself (public)."""

from __future__ import annotations

from typing import Any

from control_plane.core.api import ApiRequest, Routes
from control_plane.core.schemas import Health

routes = Routes(__name__)


@routes.route("GET", "/v1/health", summary="Liveness", tag="meta", roles=None, response=Health)
def health(req: ApiRequest) -> Health:
    return Health(ok=True)


@routes.route("GET", "/v1/openapi.json", summary="This API's OpenAPI 3.1 document", tag="meta", roles=None)
def openapi_document(req: ApiRequest) -> dict[str, Any]:
    return req.api.document()
