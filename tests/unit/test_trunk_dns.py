"""Issue 13 (DNS rebinding): the edge agent resolves carrier names itself, pins an address
the tenant may use, resolves again every round, and keeps the last checked address through
a resolver outage (edge_node.trunk_dns, the agent's snapshot sync)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edge_node import trunk_dns
from edge_node.agent import Agent, AgentSettings
from pbx_core import routing
from pbx_core import snapshot as snapmod
from tests.harness.dnsserver import dns_server


def _snap(host: str = "sip.carrier.example", *, private: bool = False, version: int = 1) -> snapmod.Snapshot:
    trunk = snapmod.TrunkConfig("vt", "Carrier", host, 5080, ips=("203.0.113.50",))
    reg = snapmod.TrunkConfig("rg", "Reg", "reg.carrier.example", auth="register", username="u", password="p")
    tenant = snapmod.TenantConfig(
        id="t1", domain="a.test", trunks={"vt": trunk, "rg": reg}, allow_private_trunk_hosts=private
    )
    return snapmod.build(version, [tenant])


class FakeResolver:
    def __init__(self, answers: dict[str, list[str] | OSError]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, name: str) -> list[str]:
        self.asked.append(name)
        answer = self.answers.get(name, [])
        if isinstance(answer, OSError):
            raise answer
        return list(answer)


def _addresses(snap: snapmod.Snapshot) -> dict[str, str]:
    return {k: t.address for k, t in snap.tenants["t1"].trunks.items()}


def test_names_are_pinned_to_an_allowed_address_and_private_answers_refused() -> None:
    dns = FakeResolver({"sip.carrier.example": ["127.0.0.1", "198.51.100.7"], "reg.carrier.example": ["10.0.0.5"]})
    pinned = trunk_dns.TrunkPinner(dns).pin(_snap())
    assert _addresses(pinned) == {"vt": "198.51.100.7", "rg": ""}  # the loopback answer never used
    tenant = pinned.tenants["t1"]
    assert routing.trunk_address(tenant, tenant.trunks["rg"]) is None  # no REGISTER, no call
    assert routing.trunk_registrations(pinned) == []
    # the provider allowed this tenant private hosts: the private answer is used
    allowed = trunk_dns.TrunkPinner(dns).pin(_snap(private=True))
    assert _addresses(allowed) == {"vt": "127.0.0.1", "rg": "10.0.0.5"}
    assert sorted(set(dns.asked)) == ["reg.carrier.example", "sip.carrier.example"]


def test_a_name_that_rebinds_to_a_private_address_stops_carrying_calls_at_the_next_round() -> None:
    dns = FakeResolver({"sip.carrier.example": ["198.51.100.7"]})
    pinner = trunk_dns.TrunkPinner(dns, refresh_s=300)
    first = pinner.pin(_snap())
    assert _addresses(first)["vt"] == "198.51.100.7"
    assert not pinner.due()
    dns.answers["sip.carrier.example"] = ["169.254.169.254"]  # the metadata service
    second = pinner.pin(first)  # the address the file carries is not trusted: asked again
    assert _addresses(second)["vt"] == ""
    out = routing.invite_from_worker(second, "t1", "0912345678", "a.test", "")
    assert out == routing.TRUNK_UNRESOLVED


def test_a_resolver_outage_keeps_the_last_checked_address_until_it_is_stale() -> None:
    dns = FakeResolver({"sip.carrier.example": ["198.51.100.7"]})
    pinner = trunk_dns.TrunkPinner(dns, stale_s=3600)
    pinner.pin(_snap())
    dns.answers["sip.carrier.example"] = OSError("timed out")
    assert _addresses(pinner.pin(_snap()))["vt"] == "198.51.100.7"
    pinner.stale_s = 0.0  # an hour later
    assert _addresses(pinner.pin(_snap()))["vt"] == ""
    # never resolved at all: nothing to keep
    assert _addresses(trunk_dns.TrunkPinner(dns).pin(_snap()))["vt"] == ""


def test_address_literals_are_checked_against_the_tenants_permission() -> None:
    dns = FakeResolver({})
    assert _addresses(trunk_dns.TrunkPinner(dns).pin(_snap("127.0.0.1")))["vt"] == ""
    assert _addresses(trunk_dns.TrunkPinner(dns).pin(_snap("127.0.0.1", private=True)))["vt"] == "127.0.0.1"
    assert _addresses(trunk_dns.TrunkPinner(dns).pin(_snap("198.51.100.7")))["vt"] == "198.51.100.7"
    assert "127.0.0.1" not in dns.asked


def test_the_pinned_address_survives_the_snapshot_file() -> None:
    pinned = trunk_dns.TrunkPinner(FakeResolver({"sip.carrier.example": ["198.51.100.7"]})).pin(_snap())
    again = snapmod.from_json(pinned.to_json())
    assert again.tenants["t1"].trunks["vt"].address == "198.51.100.7"
    assert again.tenants["t1"].allow_private_trunk_hosts is False
    assert snapmod.from_json(_snap(private=True).to_json()).tenants["t1"].allow_private_trunk_hosts is True


def test_parse_servers() -> None:
    assert trunk_dns.parse_servers("127.0.0.1:5353, 192.0.2.1") == [("127.0.0.1", 5353), ("192.0.2.1", 53)]
    assert trunk_dns.parse_servers("[::1]:5300,::1") == [("::1", 5300), ("::1", 53)]
    with pytest.raises(ValueError):
        trunk_dns.parse_servers("dns.example:53")
    with pytest.raises(ValueError):
        trunk_dns.parse_servers(" , ")


def test_the_nameserver_resolver_asks_the_named_server_every_time() -> None:
    with dns_server({"sip.carrier.example": ["198.51.100.7", "2600:1f18::7"]}) as server:
        resolve = trunk_dns.nameserver_resolver(trunk_dns.parse_servers(server.spec), timeout_s=2)
        assert resolve("sip.carrier.example") == ["198.51.100.7", "2600:1f18::7"]
        server.set("sip.carrier.example", ["127.0.0.9"])
        assert resolve("sip.carrier.example") == ["127.0.0.9"]  # no cache between rounds
        assert resolve("nothing.example") == []
    with pytest.raises(OSError):  # the server is gone: an outage, not "no such name"
        trunk_dns.nameserver_resolver([("127.0.0.1", server.port)], timeout_s=0.5)("sip.carrier.example")


class _Answer:
    def __init__(self, body: dict[str, object]) -> None:
        self.status_code = 200
        self.headers = {"ETag": '"7"'}
        self._body = body

    def json(self) -> dict[str, object]:
        return self._body


def test_the_agent_writes_pinned_addresses_and_repins_when_due(tmp_path: Path) -> None:
    agent = Agent(
        AgentSettings(
            api_url="http://127.0.0.1:9",
            credential_path=tmp_path / "edge.credential",
            snapshot_path=tmp_path / "snapshot.json",
            spool=tmp_path / "spool",
            bucket="b",
            dns_refresh_s=0.0,
        )
    )
    dns = FakeResolver({"sip.carrier.example": ["198.51.100.7"], "reg.carrier.example": ["198.51.100.8"]})
    agent._pinner = trunk_dns.TrunkPinner(dns, refresh_s=0.0)
    agent.key_registered = True
    body = _snap().to_dict()

    class Http:
        def get(self, path: str, headers: dict[str, str]) -> _Answer:
            return _Answer(body)

    agent._http = Http()  # type: ignore[assignment]
    assert agent.sync_snapshot()
    on_disk = json.loads((tmp_path / "snapshot.json").read_text())
    assert {k["id"]: k["address"] for k in on_disk["tenants"][0]["trunks"]} == {
        "rg": "198.51.100.8",
        "vt": "198.51.100.7",
    }
    assert (tmp_path / "snapshot.json").stat().st_mode & 0o777 == 0o600
    assert not agent.repin_trunks()  # same answers: the file is left alone
    dns.answers["sip.carrier.example"] = ["127.0.0.1"]  # rebinding
    assert agent.repin_trunks()
    on_disk = json.loads((tmp_path / "snapshot.json").read_text())
    assert {k["id"]: k["address"] for k in on_disk["tenants"][0]["trunks"]}["vt"] == ""
