"""HTTP routes of recordings: a call's playback link (whoever may see the call), the
tenant's storage usage."""

from __future__ import annotations

from control_plane.cdrs import service as cdrs
from control_plane.core import clock
from control_plane.core.api import STAFF, TENANT_USERS, ApiRequest, Routes
from control_plane.recordings import service
from control_plane.recordings.schemas import RecordingLinkOut, RecordingUsage

routes = Routes(__name__)


@routes.route(
    "GET", "/v1/cdrs/{call_id}/recording", summary="A 5-minute download link of the call's recording",
    tag="recordings", roles=TENANT_USERS, response=RecordingLinkOut, no_store=True,
    description="A presigned S3 GET (audio/ogg for opus, audio/wav for wav). 404 `not_found` when the call is "
    "not visible to the caller, 404 `recording_not_found` when it has no recording (never made, or deleted).",
)  # fmt: skip
def get_cdr_recording(req: ApiRequest, call_id: str) -> RecordingLinkOut:
    tenant_id, ext = cdrs.scope(req.principal(*TENANT_USERS))
    return service.link(tenant_id, cdrs.visible(tenant_id, call_id, ext), clock.now())


@routes.route(
    "GET", "/v1/recordings/usage", summary="Recording storage used, quota, level and full-quota policy",
    tag="recordings", roles=STAFF, response=RecordingUsage,
)  # fmt: skip
def recording_usage(req: ApiRequest) -> RecordingUsage:
    return service.usage(req.tenant(*STAFF))
