"""Issue 13, item 6 (the API's half): values that reach SIP headers, trunks pointed into the
provider's own network, and numbers claimed without the provider's say. Each test performs
the attack through the HTTP API; the edge's half (KEMI cleans what reaches a header) is in
tests/integration/test_edge_trust.py."""

from __future__ import annotations

import pytest

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws

PAI_INJECTION = "acct\r\nP-Asserted-Identity: <sip:113@carrier.vn>"


# --- header injection ------------------------------------------------------------------------
def test_a_crlf_in_a_trunk_username_never_reaches_the_store(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    body = {"name": "VNPT", "host": "sip.vnpt.vn", "auth": "register", "username": PAI_INJECTION, "password": "p"}
    r = api.post("/v1/trunks", token=admin, body=body)
    assert r.status == 400 and "username" in r.json["error"]["fields"], r.text
    for bad in ("acct@evil.vn", "acct;transport=tcp", "a c", "acct>", "acct\x00"):
        r = api.post("/v1/trunks", token=admin, body={**body, "username": bad})
        assert r.status == 400 and "username" in r.json["error"]["fields"], (bad, r.text)
    ok = api.post("/v1/trunks", token=admin, body={**body, "username": "+842873001234"})
    assert ok.status == 201, ok.text
    r = api.request("PATCH", f"/v1/trunks/{ok.json['id']}", token=admin, body={"username": PAI_INJECTION})
    assert r.status == 400 and "username" in r.json["error"]["fields"], r.text
    assert [t["username"] for t in api.get("/v1/trunks", token=admin).json["items"]] == ["+842873001234"]


@pytest.mark.parametrize("bad", ["Lan\r\nX-PBX-Trunk: tr_000000000000", "Lan\nVia: x", "Lan\x7f", "Lan\u2028x"])
def test_control_characters_in_a_name_are_refused(api: Api, bad: str) -> None:
    """A display name goes into From/P-Asserted-Identity of every call the extension makes."""
    _, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/extensions", token=admin, body={"number": "101", "display_name": bad})
    assert r.status == 400 and r.json["error"]["fields"] == {"display_name": "no control characters"}, r.text
    assert (
        api.post("/v1/extensions", token=admin, body={"number": "101", "display_name": "Nguyễn Văn Lân"}).status == 201
    )
    r = api.request("PATCH", "/v1/extensions/101", token=admin, body={"display_name": bad})
    assert r.status == 400, r.text
    assert api.get("/v1/extensions/101", token=admin).json["display_name"] == "Nguyễn Văn Lân"


# --- trunks pointed into the provider's network ----------------------------------------------
@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "169.254.169.254", "10.0.0.1", "192.168.1.1", "localhost", "127.1", "metadata.google.internal"],
)
def test_a_trunk_cannot_point_at_the_edges_own_network(api: Api, host: str) -> None:
    _, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/trunks", token=admin, body={"name": "T", "host": host, "ips": ["203.0.113.9"]})
    assert r.status == 400 and "host" in r.json["error"]["fields"], r.text
    assert "provider" in r.json["error"]["fields"]["host"]
    assert api.get("/v1/trunks", token=admin).json["items"] == []


def test_an_ip_trunk_cannot_claim_the_edges_own_addresses_as_the_carrier(api: Api) -> None:
    """An IP-auth trunk whose source is 127.0.0.1 would make the workers' calls the carrier's."""
    _, admin = api.tenant("acme.probox.vn")
    r = api.post("/v1/trunks", token=admin, body={"name": "T", "host": "sip.t.vn", "ips": ["203.0.113.9", "127.0.0.1"]})
    assert r.status == 400 and "ips.1" in r.json["error"]["fields"], r.text
    tr = api.post("/v1/trunks", token=admin, body={"name": "T", "host": "sip.t.vn", "ips": ["203.0.113.9"]})
    assert tr.status == 201
    r = api.request("PATCH", f"/v1/trunks/{tr.json['id']}", token=admin, body={"ips": ["10.1.2.3"]})
    assert r.status == 400 and "ips.0" in r.json["error"]["fields"], r.text
    r = api.request("PATCH", f"/v1/trunks/{tr.json['id']}", token=admin, body={"host": "127.0.0.1"})
    assert r.status == 400 and "host" in r.json["error"]["fields"], r.text
    assert api.get(f"/v1/trunks/{tr.json['id']}", token=admin).json["host"] == "sip.t.vn"


def test_only_the_provider_allows_private_trunk_hosts(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    assert api.get(f"/v1/tenants/{tid}", token=admin).json["allow_private_trunk_hosts"] is False
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=admin, body={"allow_private_trunk_hosts": True})
    assert r.status == 403, r.text
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"allow_private_trunk_hosts": True})
    assert r.status == 200 and r.json["allow_private_trunk_hosts"] is True, r.text
    vpn = {"name": "VPN carrier", "host": "10.20.0.5", "ips": ["10.20.0.5"]}
    assert api.post("/v1/trunks", token=admin, body=vpn).status == 201
    # taking the permission back while a trunk needs it would silently break that trunk
    r = api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"allow_private_trunk_hosts": False})
    assert r.status == 409 and "VPN carrier" in r.json["error"]["message"], r.text


# --- numbers only from the provider ----------------------------------------------------------
def _trunk(api: Api, admin: str) -> str:
    r = api.post("/v1/trunks", token=admin, body={"name": "T", "host": "sip.t.vn", "ips": ["203.0.113.9"]})
    assert r.status == 201, r.text
    return str(r.json["id"])


def test_a_tenant_cannot_claim_a_number_the_provider_did_not_assign(api: Api) -> None:
    """First come, first served let any tenant take a number another company is about to port in."""
    tid_a, admin_a = api.tenant("acme.probox.vn")
    tid_b, admin_b = api.tenant("beta.probox.vn")
    trunk_a, trunk_b = _trunk(api, admin_a), _trunk(api, admin_b)
    r = api.post("/v1/numbers", token=admin_a, body={"number": "028 7300 1234", "trunk_id": trunk_a})
    assert r.status == 403 and r.json["error"]["code"] == "number_not_assigned", r.text
    assert "provider" in r.json["error"]["message"]

    r = api.post(f"/v1/tenants/{tid_a}/numbers", token=admin_a, body={"numbers": ["02873001234"]})
    assert r.status == 403, r.text  # a tenant admin does not assign numbers to itself
    r = api.post(f"/v1/tenants/{tid_a}/numbers", token=provider_token(), body={"numbers": ["+84 28 7300 1234"]})
    assert r.status == 201 and [n["number"] for n in r.json["items"]] == ["02873001234"], r.text
    assigned = api.get("/v1/assigned-numbers", token=admin_a).json["items"]
    assert [(n["number"], n["in_use"]) for n in assigned] == [("02873001234", False)]
    assert api.get("/v1/assigned-numbers", token=admin_b).json["items"] == []

    # another tenant can neither take it nor have it assigned as well
    r = api.post("/v1/numbers", token=admin_b, body={"number": "02873001234", "trunk_id": trunk_b})
    assert r.status == 403 and r.json["error"]["code"] == "number_not_assigned", r.text
    r = api.post(f"/v1/tenants/{tid_b}/numbers", token=provider_token(), body={"numbers": ["02873001234"]})
    assert r.status == 409 and r.json["error"]["fields"] == {"numbers.0": "assigned to another tenant"}, r.text

    assert api.post("/v1/numbers", token=admin_a, body={"number": "02873001234", "trunk_id": trunk_a}).status == 201
    listed = api.get(f"/v1/tenants/{tid_a}/numbers", token=provider_token()).json["items"]
    assert [(n["number"], n["in_use"]) for n in listed] == [("02873001234", True)]
    r = api.delete(f"/v1/tenants/{tid_a}/numbers/02873001234", token=provider_token())
    assert r.status == 409, r.text  # the tenant still routes it

    # the tenant removes it from its configuration: it stays the tenant's until the provider takes it
    assert api.delete("/v1/numbers/02873001234", token=admin_a).status == 204
    r = api.post(f"/v1/tenants/{tid_b}/numbers", token=provider_token(), body={"numbers": ["02873001234"]})
    assert r.status == 409, r.text
    assert api.delete(f"/v1/tenants/{tid_a}/numbers/02873001234", token=provider_token()).status == 204
    r = api.post("/v1/numbers", token=admin_a, body={"number": "02873001234", "trunk_id": trunk_a})
    assert r.status == 403, r.text
    r = api.post(f"/v1/tenants/{tid_b}/numbers", token=provider_token(), body={"numbers": ["02873001234"]})
    assert r.status == 201, r.text
    assert api.post("/v1/numbers", token=admin_b, body={"number": "02873001234", "trunk_id": trunk_b}).status == 201
