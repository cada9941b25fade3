"""infra/moto_server.py deletes what has expired, as DynamoDB's TTL does (issue 18): stock moto
keeps every live event, once-only guard and session of a busy local day in memory forever."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra import moto_server
from infra.procs import LOCALHOST, ManagedProcess, free_port
from tests.aws.conftest import create_pk_sk_table

pytestmark = pytest.mark.aws

TABLE = "ttl-test"
ROOT = Path(__file__).resolve().parents[2]


def _create(client: Any, *, ttl: bool = True) -> None:
    create_pk_sk_table(client, TABLE)
    if ttl:
        client.update_time_to_live(TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"})


@pytest.fixture
def ddb(env: None) -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("dynamodb", region_name="ap-southeast-1")


def _put(client: Any, sk: str, **attrs: dict[str, str]) -> None:
    client.put_item(TableName=TABLE, Item={"pk": {"S": "T#1#LIVEEV"}, "sk": {"S": sk}, **attrs})


def _left(client: Any) -> list[str]:
    values = {":p": {"S": "T#1#LIVEEV"}}
    r = client.query(TableName=TABLE, KeyConditionExpression="pk = :p", ExpressionAttributeValues=values)
    return [i["sk"]["S"] for i in r["Items"]]


def test_expired_items_are_deleted_and_nothing_else(ddb: Any) -> None:
    _create(ddb)
    now = time.time()
    _put(ddb, "a-expired", ttl={"N": str(int(now) - 10)})
    _put(ddb, "b-expires-now", ttl={"N": str(int(now))})
    _put(ddb, "c-later", ttl={"N": str(int(now) + 3600)})
    _put(ddb, "d-no-ttl")
    _put(ddb, "e-ttl-as-text", ttl={"S": "1"})
    _put(ddb, "f-ten-years-ago", ttl={"N": str(int(now) - 10 * 365 * 86400)})  # DynamoDB ignores these
    assert moto_server.sweep_expired(now) == 2
    assert _left(ddb) == ["c-later", "d-no-ttl", "e-ttl-as-text", "f-ten-years-ago"]
    assert moto_server.sweep_expired(now) == 0


def test_a_table_without_ttl_keeps_everything(ddb: Any) -> None:
    _create(ddb, ttl=False)
    _put(ddb, "a", ttl={"N": "1000000000"})
    _put(ddb, "b", ttl={"N": str(int(time.time()) - 1)})
    assert moto_server.sweep_expired(time.time()) == 0
    assert _left(ddb) == ["a", "b"]


def test_the_server_sweeps_while_clients_read_and_write(tmp_path: Path) -> None:
    """The real local server (``--ttl-sweep-s``): expired items go while another client keeps
    querying and writing the same partition, and no request fails meanwhile."""
    port = free_port("tcp")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    ready = tmp_path / "ready"
    argv = [sys.executable, "-m", "infra.moto_server", "--port", str(port), "--ready", str(ready)]
    argv += ["--ttl-sweep-s", "0.5"]
    with ManagedProcess("moto", argv, tmp_path / "moto.log", env=env, cwd=ROOT) as moto:
        moto.wait_until(ready.exists, timeout=60, what="the ready file")
        client = boto3.client(
            "dynamodb",
            endpoint_url=f"http://{LOCALHOST}:{port}",
            region_name="ap-southeast-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        _create(client)
        soon = {"N": str(int(time.time()) + 2)}
        for start in range(0, 400, 25):
            reqs = [
                {"PutRequest": {"Item": {"pk": {"S": "T#1#LIVEEV"}, "sk": {"S": f"old-{i:04d}"}, "ttl": soon}}}
                for i in range(start, start + 25)
            ]
            client.batch_write_item(RequestItems={TABLE: reqs})
        errors: list[BaseException] = []
        stop = threading.Event()

        def busy() -> None:
            n = 0
            while not stop.is_set():
                try:
                    _put(client, f"new-{n:05d}", ttl={"N": str(int(time.time()) + 3600)})
                    _left(client)
                    n += 1
                except BaseException as exc:  # reported by the test below
                    errors.append(exc)
                    return

        reader = threading.Thread(target=busy)
        reader.start()
        try:
            deadline = time.monotonic() + 20
            left = _left(client)
            while time.monotonic() < deadline and any(sk.startswith("old-") for sk in left):
                time.sleep(0.3)
                left = _left(client)
        finally:
            stop.set()
            reader.join(10)
        assert not errors, errors
        assert left and not [sk for sk in left if sk.startswith("old-")], "expired items still there"
        assert all(sk.startswith("new-") for sk in left)
        assert "expired items deleted" in moto.tail()
