"""The S3 client of the control plane (one per endpoint and region, built on first use) and
the rule that a tenant's objects live under ``tenants/<tenant_id>/``."""

from __future__ import annotations

import functools
from typing import Any

import boto3

from control_plane.core import settings
from control_plane.core.log import logger


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


def incoming_prefix(edge_id: str) -> str:
    """Where an edge uploads recordings (its AWS identity may write nothing else, issue 13);
    the control plane moves each to the tenant's prefix when it accepts the call's CDR."""
    return f"incoming/{edge_id}/"


def size(key: str) -> int | None:
    """The stored object's size in bytes, None when there is no such object."""
    from botocore.exceptions import ClientError

    try:
        head = client().head_object(Bucket=bucket(), Key=key)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in ("404", "NoSuchKey", "NotFound"):
            return None
        if code in ("403", "AccessDenied"):  # S3 says 403 for a missing key without s3:ListBucket
            logger.warning("no such object, or no right to see it", extra={"key": key})
            return None
        raise
    return int(head["ContentLength"])


def place(source: str, target: str) -> bool:
    """Write ``source``'s object at ``target`` only where there is none yet (S3's conditional
    write, If-None-Match: *): an existing object is never replaced. True when written.
    Content type and metadata are kept. (CopyObject has no such condition, so the bytes pass
    through here: recordings are small, ~16 kbit/s of call.)"""
    from botocore.exceptions import ClientError

    got = client().get_object(Bucket=bucket(), Key=source)
    try:
        client().put_object(
            Bucket=bucket(),
            Key=target,
            Body=got["Body"].read(),
            ContentType=got.get("ContentType") or "application/octet-stream",
            Metadata=got.get("Metadata") or {},
            IfNoneMatch="*",
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
            return False
        raise
    return True


def delete(key: str) -> None:
    client().delete_object(Bucket=bucket(), Key=key)


def owned(tenant_id: str, key: str) -> bool:
    """A key under the tenant's own prefix (anything else is never signed or deleted)."""
    return key.startswith(tenant_prefix(tenant_id)) and ".." not in key.split("/")
