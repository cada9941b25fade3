"""Upload the built web console (web/dist, ``make web``) to its bucket and refresh CloudFront.

    python -m infra.deploy_console --stack probox-prod            # bucket and distribution from the stack's outputs
    python -m infra.deploy_console --bucket B --distribution D    # or named directly

Hashed assets (``assets/*``) go first, cached for a year (their names change with their
content); then ``index.html`` and the other top-level files with ``no-cache``, so a browser
never gets a page that names assets not uploaded yet. Older assets stay (a page loaded
before the upload keeps working; the bucket expires old versions, not old names). Last, an
invalidation of the top-level files.
"""

from __future__ import annotations

import argparse
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / "web" / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".woff2": "font/woff2",
}


@dataclass(frozen=True)
class Upload:
    key: str
    path: Path
    content_type: str
    cache_control: str


def plan(dist: Path) -> list[Upload]:
    """What to upload, in order: hashed assets first, the files that name them last."""
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist}/index.html is missing: build the console first (make web)")
    uploads = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        key = path.relative_to(dist).as_posix()
        ctype = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        immutable = key.startswith("assets/")
        uploads.append(Upload(key, path, ctype, IMMUTABLE if immutable else REVALIDATE))
    uploads.sort(key=lambda u: (u.cache_control != IMMUTABLE, u.key == "index.html", u.key))
    return uploads


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    [found] = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}


def deploy(s3: Any, cloudfront: Any, bucket: str, distribution: str, dist: Path = DIST) -> dict[str, Any]:
    uploads = plan(dist)
    for u in uploads:
        s3.put_object(
            Bucket=bucket, Key=u.key, Body=u.path.read_bytes(), ContentType=u.content_type, CacheControl=u.cache_control
        )
    paths = ["/", *sorted(f"/{u.key}" for u in uploads if u.cache_control == REVALIDATE)]
    inv = cloudfront.create_invalidation(
        DistributionId=distribution,
        InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": str(time.time_ns())},
    )
    return {"uploaded": [u.key for u in uploads], "invalidated": paths, "invalidation": inv["Invalidation"]["Id"]}


def main(argv: list[str] | None = None) -> int:
    import boto3

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stack", help="the CloudFormation stack (its ConsoleBucketName and ConsoleDistributionId)")
    ap.add_argument("--bucket")
    ap.add_argument("--distribution")
    ap.add_argument("--region")
    ap.add_argument("--dist", type=Path, default=DIST)
    a = ap.parse_args(argv)
    bucket, distribution = a.bucket, a.distribution
    if a.stack:
        out = stack_outputs(boto3.client("cloudformation", region_name=a.region), a.stack)
        bucket = bucket or out["ConsoleBucketName"]
        distribution = distribution or out["ConsoleDistributionId"]
    if not bucket or not distribution:
        ap.error("give --stack, or --bucket and --distribution")
    result = deploy(boto3.client("s3", region_name=a.region), boto3.client("cloudfront"), bucket, distribution, a.dist)
    print(f"uploaded {len(result['uploaded'])} files to s3://{bucket}; invalidation {result['invalidation']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
