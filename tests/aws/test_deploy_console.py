"""infra/deploy_console.py against moto: the built console lands in its bucket with the right
types and caching, assets before the page that names them, and CloudFront is invalidated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra import deploy_console

pytestmark = pytest.mark.aws


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    d = tmp_path / "dist"
    (d / "assets").mkdir(parents=True)
    (d / "index.html").write_text('<script type="module" src="/assets/index-abc123.js"></script>')
    (d / "favicon.svg").write_text("<svg/>")
    (d / "assets" / "index-abc123.js").write_text("console.log(1)")
    (d / "assets" / "index-def456.css").write_text("body{}")
    return d


@pytest.fixture
def clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any, str]]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="ap-southeast-1")
        s3.create_bucket(Bucket="console", CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        cf = boto3.client("cloudfront", region_name="us-east-1")
        origin = {
            "Id": "console",
            "DomainName": "console.s3.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
        }
        dist = cf.create_distribution(
            DistributionConfig={
                "CallerReference": "t",
                "Origins": {"Quantity": 1, "Items": [origin]},
                "DefaultCacheBehavior": {"TargetOriginId": "console", "ViewerProtocolPolicy": "redirect-to-https"},
                "Comment": "",
                "Enabled": True,
            }
        )
        yield s3, cf, dist["Distribution"]["Id"]


def test_plan_puts_hashed_assets_first_and_the_page_last(dist: Path) -> None:
    order = [u.key for u in deploy_console.plan(dist)]
    assert order == ["assets/index-abc123.js", "assets/index-def456.css", "favicon.svg", "index.html"]


def test_deploy_uploads_with_types_and_caching_then_invalidates(dist: Path, clients: tuple[Any, Any, str]) -> None:
    s3, cf, distribution = clients
    result = deploy_console.deploy(s3, cf, "console", distribution, dist)
    head = {k: s3.head_object(Bucket="console", Key=k) for k in result["uploaded"]}
    assert head["index.html"]["ContentType"] == "text/html; charset=utf-8"
    assert head["index.html"]["CacheControl"] == "no-cache"
    assert head["assets/index-abc123.js"]["ContentType"] == "text/javascript; charset=utf-8"
    assert head["assets/index-abc123.js"]["CacheControl"] == "public, max-age=31536000, immutable"
    assert head["assets/index-def456.css"]["ContentType"] == "text/css; charset=utf-8"
    assert result["invalidated"] == ["/", "/favicon.svg", "/index.html"]
    invalidations = cf.list_invalidations(DistributionId=distribution)["InvalidationList"]
    assert invalidations["Quantity"] == 1


def test_deploy_refuses_an_unbuilt_console(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make web"):
        deploy_console.plan(tmp_path)
