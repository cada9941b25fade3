"""Which hosts and source addresses a tenant's trunk may name (issue 13, item 6)."""

from __future__ import annotations

import pytest

from pbx_core import netpolicy


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("169.254.169.254", "metadata"),
        ("10.0.0.5", "private"),
        ("172.20.1.1", "private"),
        ("192.168.1.10", "private"),
        ("100.64.0.1", "private"),
        ("0.0.0.0", "private"),
        ("224.0.0.1", "private"),
        ("255.255.255.255", "private"),
        ("localhost", "local name"),
        ("LOCALHOST.", "local name"),
        ("pbx.localhost", "local name"),
        ("metadata.google.internal", "local name"),
        ("printer.local", "local name"),
        ("sbc", "fully qualified"),
        ("127.1", "number"),
        ("2130706433", "fully qualified"),
        ("0x7f.0x1", "number"),
        ("1.2.3.4.5", "number"),
        ("::1", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("fd00:ec2::254", "private"),
        ("fe80::1", "link-local"),
    ],
)
def test_local_and_private_hosts_are_refused(host: str, reason: str) -> None:
    refusal = netpolicy.host_refusal(host)
    assert refusal is not None and reason in refusal


@pytest.mark.parametrize(
    "host", ["sip.viettel.vn", "SIP.VNPT.VN", "203.0.113.9", "198.51.100.7", "8.8.8.8", "trunk1.carrier.example"]
)
def test_public_hosts_and_documentation_ranges_are_allowed(host: str) -> None:
    assert netpolicy.host_refusal(host) is None


@pytest.mark.parametrize(("address", "ok"), [("203.113.1.1", True), ("127.0.0.1", False), ("10.1.2.3", False)])
def test_source_addresses(address: str, ok: bool) -> None:
    assert (netpolicy.address_refusal(address) is None) is ok


def test_pick_address_keeps_the_first_allowed_address_of_a_name() -> None:
    """A carrier name that answers a private address beside a public one (a rebinding
    attempt, or a split-horizon mistake) is pinned to the public one; only private ones:
    nothing, unless the tenant may use private hosts."""
    pick = netpolicy.pick_address
    assert pick(["203.0.113.9"], False) == ("203.0.113.9", {})
    assert pick(["127.0.0.1", "203.0.113.9"], False) == ("203.0.113.9", {"127.0.0.1": "a loopback address"})
    assert pick(["169.254.169.254"], False) == (None, {"169.254.169.254": "a link-local address (cloud metadata)"})
    assert pick(["10.1.2.3"], True) == ("10.1.2.3", {})
    assert pick(["::ffff:127.0.0.1"], False)[0] is None
    assert pick(["2600:1f18::1"], False) == ("2600:1f18::1", {})
    assert pick(["junk", "192.0.2.1"], True) == ("192.0.2.1", {"junk": "not an IP address"})
    assert pick([], False) == (None, {})


def test_address_refusal_for_a_tenant() -> None:
    assert netpolicy.address_refusal_for("127.0.0.1", False) == "a loopback address"
    assert netpolicy.address_refusal_for("127.0.0.1", True) is None  # the provider's exception
    assert netpolicy.address_refusal_for("sip.carrier.example", True) == "not an IP address"
    assert netpolicy.is_address("[2600:1f18::1]") and not netpolicy.is_address("sip.carrier.example")
