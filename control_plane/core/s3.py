"""The S3 client of the control plane (one per endpoint and region, built on first use) and
the rule that a tenant's objects live under ``tenants/<tenant_id>/``."""

from __future__ import annotations

import functools
from typing import Any

import boto3

from control_plane.core import settings


@functools.cache
def _s3(endpoint: str | None, region: str) -> Any:
    from botocore.config import Config

    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path" if endpoint else "virtual"},
        connect_timeout=2,
        read_timeout=20,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    # Without an endpoint (AWS): the regional one, so presigned URLs are signed for it.
    url = endpoint or f"https://s3.{region}.amazonaws.com"
    return boto3.client("s3", region_name=region, endpoint_url=url, config=config)


def client() -> Any:
    s = settings.aws()
    return _s3(s.endpoint_url, s.region)


def bucket() -> str:
    return settings.aws().recordings_bucket


def tenant_prefix(tenant_id: str) -> str:
    return f"tenants/{tenant_id}/"


def owned(tenant_id: str, key: str) -> bool:
    """A key under the tenant's own prefix (anything else is never signed or deleted)."""
    return key.startswith(tenant_prefix(tenant_id)) and ".." not in key.split("/")
