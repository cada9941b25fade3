"""Property-based API test: schemathesis against ``chalice local`` + ``moto_server``.

Both run as processes on free loopback ports (``infra.procs.ManagedProcess``, stopped by
pid). Every operation of ``/v1/openapi.json`` is exercised with a bounded number of
generated requests, valid and invalid, each with a token of a role the operation allows;
no 5xx is allowed, and answers must match the documented status codes, content types
and schemas. Deterministic (derandomized) and bounded to stay well under 90 s.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from infra.procs import LOCALHOST, ManagedProcess, free_port, tcp_open

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POSITIVE_EXAMPLES = 10
NEGATIVE_EXAMPLES = 5
BUDGET_S = 180.0  # ~70 s on a quiet 2-core machine for 80+ operations; room for a loaded CI runner
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Tokens:
    provider: str
    tenant_admin: str
    edge: str
    edge_credential: str  # what POST /edge/v1/token takes (public route, its own bearer)

    def for_roles(self, roles: list[str], label: str = "") -> str | None:
        if label == "POST /edge/v1/token":
            return self.edge_credential
        if not roles:
            return None
        if "tenant_admin" in roles:
            return self.tenant_admin
        if "provider_admin" in roles:
            return self.provider
        return self.edge


@dataclass
class ApiStack:
    base: str
    tokens: Tokens


@pytest.fixture(scope="module")
def api_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiStack]:
    root = tmp_path_factory.mktemp("schemathesis")
    moto_port, api_port = free_port("tcp"), free_port("tcp")
    jwt_secret = secrets.token_urlsafe(32)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="ap-southeast-1",
        AWS_ENDPOINT_URL=f"http://{LOCALHOST}:{moto_port}",
        PROBOX_TABLE="probox-schemathesis",
        PROBOX_JWT_SECRET=jwt_secret,
        PROBOX_SECRET_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        PROBOX_SIP_PROXY=f"{LOCALHOST}:5060",
        # Rate limits off: ~1,000 requests a minute with one token, and moto's conditional
        # UpdateItem (~25 ms here) would eat the time budget; tests/aws covers the limiter.
        PROBOX_RATE_LIMIT_TENANT="0",
        PROBOX_RATE_LIMIT_PRINCIPAL="0",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
    )
    moto = ManagedProcess(
        "moto", [str(BIN / "moto_server"), "-H", LOCALHOST, "-p", str(moto_port)], root / "moto.log", env=env
    )
    api = ManagedProcess(
        "chalice",
        [str(BIN / "chalice"), "local", "--host", LOCALHOST, "--port", str(api_port), "--no-autoreload"],
        root / "chalice.log",
        env=env,
        cwd=REPO / "control_plane",
    )
    with moto:
        moto.wait_until(lambda: tcp_open(LOCALHOST, moto_port), what="listening")
        code = (  # the table, and the bucket the Excel export writes to
            "import boto3; from control_plane.core import settings, store; store.create_table(); s = settings.aws();"
            "boto3.client('s3').create_bucket(Bucket=s.recordings_bucket,"
            " CreateBucketConfiguration={'LocationConstraint': s.region})"
        )
        setup = ManagedProcess("create-table", [sys.executable, "-c", code], root / "setup.log", env=env).start()
        assert setup.wait(60) == 0, setup.tail()
        with api:
            base = f"http://{LOCALHOST}:{api_port}"
            api.wait_until(lambda: httpx.get(f"{base}/v1/health", timeout=1).status_code == 200, timeout=30)
            token = ManagedProcess(
                "provider-token",
                [sys.executable, "-m", "infra.provider_token", "--sub", "schemathesis"],
                root / "token.log",
                env=env,
            ).start()
            assert token.wait(60) == 0, token.tail()
            yield ApiStack(base, _seed(base, (root / "token.log").read_text().strip().splitlines()[-1]))


def _seed(base: str, provider: str) -> Tokens:
    """A tenant with a little of everything, so generated ids sometimes hit real items."""
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {provider}"}, timeout=15) as p:
        tid = (
            p.post("/v1/tenants", json={"name": "Fuzz Co", "domain": "fuzz.probox.test"})
            .raise_for_status()
            .json()["id"]
        )
        admin = p.post(f"/v1/tenants/{tid}/admin-tokens").raise_for_status().json()["token"]
        created = p.post("/v1/edges", json={"id": "fuzz-edge", "tenants": [tid]}).raise_for_status().json()
        edge, edge_credential = created["token"], created["credential"]
        p.post(f"/v1/tenants/{tid}/numbers", json={"numbers": ["0901234567"]}).raise_for_status()
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {admin}"}, timeout=15) as a:
        a.post("/v1/branches", json={"name": "HQ", "prefix": "8"}).raise_for_status()
        a.post("/v1/extensions", json={"number": "101"}).raise_for_status()
        trunk = a.post("/v1/trunks", json={"name": "T", "host": "sip.t.vn", "ips": ["203.0.113.1"]})
        trunk.raise_for_status()
        a.post("/v1/numbers", json={"number": "0901234567", "trunk_id": trunk.json()["id"], "route_to": "101"})
    return Tokens(provider=provider, tenant_admin=admin, edge=edge, edge_credential=edge_credential)


def _fuzz(op: Any, mode: GenerationMode, examples: int, base: str, token: str | None, seen: set[int]) -> None:
    """Run ``examples`` generated requests of one operation and mode; raise on a failure."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.headers = {**(case.headers or {}), **headers}
        response = case.call_and_validate(base_url=base, checks=CHECKS, timeout=15)
        seen.add(response.status_code)

    run()


def test_api_fuzz_no_server_errors(api_stack: ApiStack) -> None:
    schema = schemathesis.openapi.from_url(f"{api_stack.base}/v1/openapi.json")
    deadline = time.monotonic() + BUDGET_S
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    # Revoking every issued token ends the fuzzer's own tokens: that operation goes last.
    operations.sort(key=lambda op: op.label == "POST /v1/tokens/revoke-all")
    for op in operations:
        token = api_stack.tokens.for_roles(op.definition.raw.get("x-roles", []), op.label)
        seen = statuses.setdefault(op.label, set())
        for mode, examples in (
            (GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
            (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        ):
            if time.monotonic() > deadline:
                failures.append(f"time budget of {BUDGET_S}s exhausted at {op.label}")
                break
            try:
                _fuzz(op, mode, examples, api_stack.base, token, seen)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, op.label  # nothing to make invalid (no input)
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{op.label} [{mode.value}]: {str(exc)[:1500]}")
    print({label: sorted(codes) for label, codes in statuses.items()})
    assert not failures, "\n\n".join(failures)
    assert len(statuses) >= 50
    # The generated requests reached real logic, not only the authorizer or the validator.
    succeeded = sorted(label for label, codes in statuses.items() if any(200 <= c < 300 for c in codes))
    assert len(succeeded) >= 25, (len(succeeded), statuses)
    assert not [label for label, codes in statuses.items() if codes == {401}], statuses
