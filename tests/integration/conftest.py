"""Fixtures that start the real ProBox stack (moto, chalice local, agent, Kamailio,
pjsua2 worker) on free loopback ports, once per test session, and stop it afterwards,
also when tests fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local_stack import Stack, StackConfig, Tenant
from tests.harness.dnsserver import TestDns, dns_server
from tests.integration.phones import Phone


@pytest.fixture(scope="session")
def carrier_dns() -> Iterator[TestDns]:
    """The name server the stack's agent resolves carrier names with (issue 13): tests set
    the answers, a rebinding included; the agent asks again every second."""
    with dns_server({}) as server:
        yield server


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, carrier_dns: TestDns) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("stack")
    s = Stack(StackConfig.free_ports(root, ring_timeout_s=8.0, dns_servers=carrier_dns.spec, dns_refresh_s=1.0))
    s.start()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="session")
def demo(stack: Stack) -> Tenant:
    t = stack.create_tenant("Demo Co", "demo.probox.test", ["101", "102", "103"])
    stack.wait_tenant_on_edge(t)
    return t


@pytest.fixture(scope="session")
def other(stack: Stack) -> Tenant:
    t = stack.create_tenant("Other Co", "other.probox.test", ["101", "102"])
    stack.wait_tenant_on_edge(t)
    return t


@pytest.fixture
def phones(tmp_path: Path, stack: Stack) -> Iterator[list[Phone]]:
    """A list to which tests add started phones; all are stopped at teardown."""
    started: list[Phone] = []
    yield started
    for p in started:
        p.stop()


def new_phone(
    phones: list[Phone],
    tmp_path: Path,
    stack: Stack,
    tenant: Tenant,
    number: str,
    tone: float,
    password: str | None = None,
    answermode: str = "auto",
) -> Phone:
    p = Phone(
        tmp_path,
        number,
        tenant.domain,
        password or tenant.password(number),
        (stack.cfg.host, stack.cfg.sip_port),
        tone,
        answermode,
    )
    phones.append(p)
    return p.start()
