"""HTTP routes of webhooks (tenant admins): CRUD, secret rotation, a test ping, the delivery log."""

from __future__ import annotations

from control_plane.core.api import ADMIN, ApiRequest, Routes
from control_plane.core.schemas import ID_PATTERN
from control_plane.webhooks import service
from control_plane.webhooks.schemas import (
    DeliveryList,
    DeliveryQuery,
    PingOut,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookOut,
    WebhookSecretOut,
    WebhookUpdate,
)

routes = Routes(__name__)
WEBHOOK_ID = {"webhook_id": ID_PATTERN}


@routes.route("GET", "/v1/webhooks", summary="List webhooks", tag="webhooks", roles=ADMIN, response=WebhookList)
def list_webhooks(req: ApiRequest) -> WebhookList:
    return service.list_all(req.tenant())


@routes.route(
    "POST", "/v1/webhooks", summary="Add a webhook (https URL, event kinds; its signing secret shown once)",
    tag="webhooks", roles=ADMIN, body=WebhookCreate, status=201, response=WebhookCreated, no_store=True,
)  # fmt: skip
def create_webhook(req: ApiRequest) -> WebhookCreated:
    return service.create(req.tenant(), req.json())


@routes.route(
    "GET", "/v1/webhooks/{webhook_id}", summary="One webhook", tag="webhooks", roles=ADMIN, response=WebhookOut,
    patterns=WEBHOOK_ID,
)  # fmt: skip
def get_webhook(req: ApiRequest, webhook_id: str) -> WebhookOut:
    return service.get(req.tenant(), webhook_id)


@routes.route(
    "PATCH", "/v1/webhooks/{webhook_id}", summary="Change a webhook (URL, event kinds, description, on/off)",
    tag="webhooks", roles=ADMIN, body=WebhookUpdate, response=WebhookOut, patterns=WEBHOOK_ID,
)  # fmt: skip
def update_webhook(req: ApiRequest, webhook_id: str) -> WebhookOut:
    return service.update(req.tenant(), webhook_id, req.json())


@routes.route(
    "DELETE", "/v1/webhooks/{webhook_id}", summary="Delete a webhook (queued deliveries are cancelled)",
    tag="webhooks", roles=ADMIN, status=204, patterns=WEBHOOK_ID,
)  # fmt: skip
def delete_webhook(req: ApiRequest, webhook_id: str) -> None:
    service.delete(req.tenant(), webhook_id)


@routes.route(
    "POST", "/v1/webhooks/{webhook_id}/rotate-secret", summary="A new signing secret (shown once; the old one stops)",
    tag="webhooks", roles=ADMIN, status=201, response=WebhookSecretOut, patterns=WEBHOOK_ID, no_store=True,
)  # fmt: skip
def rotate_webhook_secret(req: ApiRequest, webhook_id: str) -> WebhookSecretOut:
    return service.rotate_secret(req.tenant(), webhook_id)


@routes.route(
    "POST", "/v1/webhooks/{webhook_id}/ping", summary="Send a signed webhook.ping to the webhook (a test)",
    tag="webhooks", roles=ADMIN, status=202, response=PingOut, patterns=WEBHOOK_ID,
)  # fmt: skip
def ping_webhook(req: ApiRequest, webhook_id: str) -> PingOut:
    return service.ping(req.tenant(), webhook_id)


@routes.route(
    "GET", "/v1/webhooks/{webhook_id}/deliveries", summary="The webhook's delivery log, newest first (30 days)",
    tag="webhooks", roles=ADMIN, query=DeliveryQuery, response=DeliveryList, patterns=WEBHOOK_ID,
)  # fmt: skip
def list_deliveries(req: ApiRequest, webhook_id: str) -> DeliveryList:
    q = req.query(DeliveryQuery)
    return service.deliveries(req.tenant(), webhook_id, limit=q.limit, cursor=q.cursor)
