"""Runtime settings, read from the environment at the time of use (never at import).

| variable | meaning | default |
|---|---|---|
| PROBOX_TABLE | DynamoDB single table | probox |
| PROBOX_RECORDINGS_BUCKET | S3 bucket of call recordings | probox-recordings |
| AWS_ENDPOINT_URL | moto (or other) endpoint; PynamoDB and boto3 use it when set | unset |
| AWS_DEFAULT_REGION | AWS region | ap-southeast-1 |
| PROBOX_SECRETS_ID | Secrets Manager secret (JSON: jwt_secret, secret_key), read at run time | unset: env |
| PROBOX_JWT_SECRET | HS256 secret of API tokens, at least 32 characters (without PROBOX_SECRETS_ID) | required |
| PROBOX_SECRET_KEY | Fernet key: encrypts stored secrets without KMS, decrypts older ones | required without KMS |
| PROBOX_KMS_KEY_ID | KMS key (id, ARN or alias) for envelope encryption of stored secrets | unset (Fernet) |
| PROBOX_RATE_LIMIT_WINDOW_S | length of a rate-limit window, seconds | 60 |
| PROBOX_RATE_LIMIT_TENANT | requests per window per tenant (and for the provider scope); 0 = off | 1200 |
| PROBOX_RATE_LIMIT_PRINCIPAL | requests per window per user, token subject or API key; 0 = off | 600 |
| PROBOX_SIP_PROXY | host:port phones should use, put into provisioning payloads | unset |
| PROBOX_PUBLIC_URL | base URL of the API as phones reach it (provisioning URLs, QR codes) | from the request |
| PROBOX_JOBS_FUNCTION | Lambda function running tenant export/import/delete jobs (async) | unset: in the request |
| PROBOX_WS_ENDPOINT | the WebSocket API's management API (locally infra/live_ws.py) | unset: no push |
| PROBOX_LIVE_URL | where browsers open the WebSocket (``wss://...`` or a path of the console's origin) | ``/ws`` |
| PROBOX_WEBHOOK_QUEUE_URL | SQS FIFO queue of webhook deliveries | unset: webhooks are not sent |
| PROBOX_WEBHOOKS_ALLOW_PRIVATE | ``1``: webhook URLs may be http:// and loopback/private hosts (local stacks) | 0 |
| PROBOX_WEBHOOK_MAX_ATTEMPTS | attempts of one delivery before it is marked failed | 8 |
| PROBOX_WEBHOOK_BACKOFF_S | first retry delay; it doubles per attempt (at most 1 hour) | 10 |
| PROBOX_WEBHOOK_TIMEOUT_S | time a receiver has to answer one attempt | 10 |
| PROBOX_ALERT_FROM | sender of alert e-mails to tenant admins (SES identity) | ``ProBox <alerts@probox.vn>`` |

Reading the environment is cheap, so nothing of it is cached: tests and tools may change it.
Deployed, the two secrets are not in the environment (a function's environment is readable
by anyone who may read its configuration): ``PROBOX_SECRETS_ID`` names a Secrets Manager
secret, read at run time and kept ``SECRETS_TTL_S`` in the process (a warm Lambda does not
call Secrets Manager per request; a rotated secret is seen within that time).
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

MIN_JWT_SECRET_LEN = 32
SECRETS_TTL_S = 300.0


class ConfigError(RuntimeError):
    """The deployment is misconfigured (a server error, never the client's fault)."""


@dataclass(frozen=True)
class AwsSettings:
    table: str
    recordings_bucket: str
    endpoint_url: str | None
    region: str


def _opt(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _required(name: str) -> str:
    value = _opt(name)
    if value is None:
        raise ConfigError(f"environment variable {name} is not set")
    return value


def aws() -> AwsSettings:
    return AwsSettings(
        table=_opt("PROBOX_TABLE") or "probox",
        recordings_bucket=_opt("PROBOX_RECORDINGS_BUCKET") or "probox-recordings",
        endpoint_url=_opt("AWS_ENDPOINT_URL"),
        region=_opt("AWS_DEFAULT_REGION") or "ap-southeast-1",
    )


# The secret read from Secrets Manager, per secret id: (values, when read). Process-wide on
# purpose: a warm Lambda reuses it across requests.
_secrets_lock = threading.Lock()
_secrets_cache: dict[str, tuple[dict[str, Any], float]] = {}


def _managed(name: str) -> str | None:
    """``name`` of the Secrets Manager secret PROBOX_SECRETS_ID, None when it is not set."""
    secret_id = _opt("PROBOX_SECRETS_ID")
    if secret_id is None:
        return None
    now = time.monotonic()
    with _secrets_lock:
        hit = _secrets_cache.get(secret_id)
    if hit is None or now - hit[1] > SECRETS_TTL_S:
        import boto3  # lazily: only deployments (and the tests of this path) read it

        s = aws()
        client = boto3.client("secretsmanager", region_name=s.region, endpoint_url=s.endpoint_url)
        try:
            values = json.loads(client.get_secret_value(SecretId=secret_id)["SecretString"])
        except Exception as exc:
            raise ConfigError(f"secret {secret_id} cannot be read") from exc
        if not isinstance(values, dict):
            raise ConfigError(f"secret {secret_id} is not a JSON object")
        hit = (values, now)
        with _secrets_lock:
            _secrets_cache[secret_id] = hit
    value = hit[0].get(name)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"secret {secret_id} has no {name}")
    return value


def jwt_secret() -> str:
    secret = _managed("jwt_secret") or _required("PROBOX_JWT_SECRET")
    if len(secret) < MIN_JWT_SECRET_LEN:
        raise ConfigError(f"PROBOX_JWT_SECRET must be at least {MIN_JWT_SECRET_LEN} characters")
    return secret


def origin_verify() -> str | None:
    """What CloudFront adds to requests it sends to the API (X-ProBox-Origin-Verify): the app
    secret's ``origin_verify``, or PROBOX_ORIGIN_VERIFY. None: no CloudFront in front of the
    API, and no viewer address header is believed."""
    local = _opt("PROBOX_ORIGIN_VERIFY")
    if local is not None:
        return local
    if _opt("PROBOX_SECRETS_ID") is None:
        return None
    try:
        return _managed("origin_verify")
    except ConfigError:  # a secret made before the key existed: the direct address only
        return None


def secret_key() -> str:
    return _managed("secret_key") or _required("PROBOX_SECRET_KEY")


def kms_key_id() -> str | None:
    return _opt("PROBOX_KMS_KEY_ID")


@dataclass(frozen=True)
class RateLimits:
    window_s: int
    tenant: int  # per window; 0 = no tenant limit
    principal: int  # per window; 0 = no per-caller limit

    @property
    def enabled(self) -> bool:
        return self.tenant > 0 or self.principal > 0


def _int(name: str, default: int, lo: int, hi: int) -> int:
    raw = _opt(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer") from exc
    if not lo <= value <= hi:
        raise ConfigError(f"{name} must be from {lo} to {hi}")
    return value


def rate_limits() -> RateLimits:
    return RateLimits(
        window_s=_int("PROBOX_RATE_LIMIT_WINDOW_S", 60, 1, 3600),
        tenant=_int("PROBOX_RATE_LIMIT_TENANT", 1200, 0, 10_000_000),
        principal=_int("PROBOX_RATE_LIMIT_PRINCIPAL", 600, 0, 10_000_000),
    )


def sip_proxy() -> str | None:
    return _opt("PROBOX_SIP_PROXY")


def public_url() -> str | None:
    value = _opt("PROBOX_PUBLIC_URL")
    return value.rstrip("/") if value else None


def jobs_function() -> str | None:
    """The Lambda function that runs tenant jobs; None: they run in the request (local mode)."""
    return _opt("PROBOX_JOBS_FUNCTION")


# --- live events and webhooks (control_plane/live, control_plane/webhooks) ---------------------
def ws_endpoint() -> str | None:
    """The WebSocket API's management endpoint (post_to_connection); None: no push."""
    value = _opt("PROBOX_WS_ENDPOINT")
    return value.rstrip("/") if value else None


def live_url() -> str:
    return _opt("PROBOX_LIVE_URL") or "/ws"


def webhook_queue_url() -> str | None:
    return _opt("PROBOX_WEBHOOK_QUEUE_URL")


def webhooks_allow_private() -> bool:
    return (_opt("PROBOX_WEBHOOKS_ALLOW_PRIVATE") or "0").lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class WebhookDelivery:
    max_attempts: int
    backoff_s: int  # first retry; doubles per attempt
    timeout_s: int


def webhook_delivery() -> WebhookDelivery:
    return WebhookDelivery(
        max_attempts=_int("PROBOX_WEBHOOK_MAX_ATTEMPTS", 8, 1, 50),
        backoff_s=_int("PROBOX_WEBHOOK_BACKOFF_S", 10, 0, 3600),
        timeout_s=_int("PROBOX_WEBHOOK_TIMEOUT_S", 10, 1, 60),
    )


# --- alerts to tenant admins (control_plane/fraud) -------------------------------------------
def alert_sender() -> str:
    """The From of alert e-mails (SES: a verified address or domain)."""
    return _opt("PROBOX_ALERT_FROM") or "ProBox <alerts@probox.vn>"
