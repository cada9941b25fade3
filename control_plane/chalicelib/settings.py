"""Runtime settings, read from the environment at the time of use (never at import).

| variable | meaning | default |
|---|---|---|
| PROBOX_TABLE | DynamoDB single table | probox |
| PROBOX_RECORDINGS_BUCKET | S3 bucket of call recordings | probox-recordings |
| AWS_ENDPOINT_URL | moto (or other) endpoint; PynamoDB and boto3 use it when set | unset |
| AWS_DEFAULT_REGION | AWS region | ap-southeast-1 |
| PROBOX_JWT_SECRET | HS256 secret of API tokens, at least 32 characters | required |
| PROBOX_SECRET_KEY | Fernet key that encrypts stored secrets (SIP passwords) | required |
| PROBOX_SIP_PROXY | host:port phones should use, put into provisioning payloads | unset |
| PROBOX_PUBLIC_URL | base URL of the API as phones reach it (provisioning URLs, QR codes) | from the request |

Reading the environment is cheap, so nothing is cached: tests and tools may change it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MIN_JWT_SECRET_LEN = 32


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


def jwt_secret() -> str:
    secret = _required("PROBOX_JWT_SECRET")
    if len(secret) < MIN_JWT_SECRET_LEN:
        raise ConfigError(f"PROBOX_JWT_SECRET must be at least {MIN_JWT_SECRET_LEN} characters")
    return secret


def secret_key() -> str:
    return _required("PROBOX_SECRET_KEY")


def sip_proxy() -> str | None:
    return _opt("PROBOX_SIP_PROXY")


def public_url() -> str | None:
    value = _opt("PROBOX_PUBLIC_URL")
    return value.rstrip("/") if value else None
