"""Branches, extension settings, trunks, numbers (DIDs), block lists: CRUD, references,
validation, and what reaches the edge snapshot."""

from __future__ import annotations

from typing import Any

import pytest

from pbx_core import snapshot as snapmod

from .conftest import Api, sealed_edge, trunk_password

pytestmark = pytest.mark.aws


def snap(api: Api, tid: str) -> snapmod.TenantConfig:
    s = snapmod.from_dict(api.get("/edge/v1/snapshot", token=api.edge(f"e{len(api.bodies)}")).json)
    return s.tenants[tid]


def trunk(api: Api, admin: str, **extra: Any) -> str:
    body = {"name": "Viettel", "host": "sip.viettel.vn", "ips": ["203.113.1.1"], **extra}
    r = api.post("/v1/trunks", token=admin, body=body)
    assert r.status == 201, r.text
    return str(r.json["id"])


def test_branches_and_extension_settings(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    hn = api.post("/v1/branches", token=admin, body={"name": "Ha Noi", "prefix": "8"}).json
    hcm = api.post("/v1/branches", token=admin, body={"name": "HCM", "prefix": "9"}).json
    clash = api.post("/v1/branches", token=admin, body={"name": "X", "prefix": "81"})
    assert clash.status == 409 and clash.json["error"]["fields"] == {"prefix": "clashes with another branch"}
    assert api.post("/v1/branches", token=admin, body={"name": "X", "prefix": "0"}).status == 400
    r = api.post(
        "/v1/extensions",
        token=admin,
        body={
            "number": "101",
            "display_name": "Lan",
            "branch_id": hn["id"],
            "pickup_group": "sales",
            "outbound": "internal_only",
        },
    )
    assert r.status == 201, r.text
    assert api.get(f"/v1/branches/{hn['id']}", token=admin).json["extension_count"] == 1
    in_use = api.delete(f"/v1/branches/{hn['id']}", token=admin)
    assert in_use.status == 409
    moved = api.request(
        "PATCH", "/v1/extensions/101", token=admin, body={"branch_id": hcm["id"], "outbound": "national"}
    )
    assert moved.status == 200 and moved.json["branch_id"] == hcm["id"]
    assert api.get(f"/v1/branches/{hn['id']}", token=admin).json["extension_count"] == 0
    t = snap(api, tid)
    assert t.branches[hcm["id"]] == snapmod.BranchConfig(id=hcm["id"], name="HCM", prefix="9")
    ext = t.extensions["101"]
    assert (ext.branch_id, ext.pickup_group, ext.outbound, ext.display_name) == (hcm["id"], "sales", "national", "Lan")
    assert api.delete(f"/v1/branches/{hn['id']}", token=admin).status == 204
    assert api.get(f"/v1/branches/{hn['id']}", token=admin).status == 404
    r = api.request("PATCH", "/v1/extensions/101", token=admin, body={"branch_id": "br_000000000000"})
    assert r.status == 400 and r.json["error"]["fields"] == {"branch_id": "not found"}
    r = api.request("PATCH", "/v1/extensions/101", token=admin, body={"outbound": "international", "number": "102"})
    assert r.status == 400 and set(r.json["error"]["fields"]) == {"outbound", "number"}


def test_trunk_password_is_write_only_but_reaches_the_edge(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    missing = api.post("/v1/trunks", token=admin, body={"name": "V", "host": "sip.v.vn", "auth": "register"})
    assert missing.status == 400 and set(missing.json["error"]["fields"]) == {"username", "password"}
    no_ips = api.post("/v1/trunks", token=admin, body={"name": "V", "host": "sip.v.vn"})
    assert no_ips.status == 400 and "ips" in no_ips.json["error"]["fields"]
    tk = trunk(api, admin, auth="register", username="842838", password="s3cret-carrier", codecs=["PCMA", "G722"])
    got = api.get(f"/v1/trunks/{tk}", token=admin)
    assert got.json["has_password"] is True and "password" not in got.json
    assert b"s3cret-carrier" not in got.raw and b"s3cret-carrier" not in api.get("/v1/trunks", token=admin).raw
    t = snap(api, tid).trunks[tk]
    assert (t.auth, t.username, t.password, t.codecs) == ("register", "842838", "", ("PCMA", "G722"))
    assert t.password_sealed == ""  # an edge without a sealing key gets no carrier password
    edge, private = sealed_edge(api, "sealed-1")
    raw = api.get("/edge/v1/snapshot", token=edge)
    assert b"s3cret-carrier" not in raw.raw
    assert trunk_password(raw.json, private, tid, tk) == "s3cret-carrier"
    r = api.request("PATCH", f"/v1/trunks/{tk}", token=admin, body={"password": "rotated-pass", "channels": 60})
    assert r.status == 200 and r.json["channels"] == 60
    assert trunk_password(api.get("/edge/v1/snapshot", token=edge).json, private, tid, tk) == "rotated-pass"
    assert api.request("PATCH", f"/v1/trunks/{tk}", token=admin, body={"port": 70000}).status == 400


def test_numbers_kinds_routes_and_references(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    tk = trunk(api, admin)
    cases = {
        "024 3826 1234": ("02438261234", "fixed"),
        "+84912345678": ("0912345678", "mobile"),
        "18001234": ("18001234", "tollfree"),
        "1900 123456": ("1900123456", "premium"),
    }
    api.assign(tid, *cases)
    for raw, (national, kind) in cases.items():
        r = api.post("/v1/numbers", token=admin, body={"number": raw, "trunk_id": tk, "route_to": "101"})
        assert r.status == 201, r.text
        assert (r.json["number"], r.json["kind"]) == (national, kind)
    for bad in ("12345", "0112345678", "+1 202 555 0100", "1800123"):
        r = api.post("/v1/numbers", token=admin, body={"number": bad, "trunk_id": tk})
        assert r.status == 400 and "number" in r.json["error"]["fields"], bad
    assert api.post("/v1/numbers", token=admin, body={"number": "0912345678", "trunk_id": tk}).status == 409
    assert api.get("/v1/trunks/" + tk, token=admin).json["number_count"] == 4
    assert api.delete(f"/v1/trunks/{tk}", token=admin).status == 409
    assert api.delete("/v1/extensions/101", token=admin).status == 409  # DIDs route to it
    t = snap(api, tid)
    assert t.numbers["1900123456"] == snapmod.NumberConfig("1900123456", "premium", tk, "101")
    assert api.get("/v1/numbers/+84912345678", token=admin).json["number"] == "0912345678"
    r = api.request("PATCH", "/v1/numbers/0912345678", token=admin, body={"route_to": "", "label": "sales"})
    assert r.status == 200 and r.json["route_to"] == ""
    api.request("PATCH", "/v1/extensions/101", token=admin, body={"caller_id": "0912345678"})
    assert snap(api, tid).extensions["101"].caller_id == "0912345678"
    assert api.delete("/v1/numbers/0912345678", token=admin).status == 409  # caller id of 101
    api.request("PATCH", "/v1/extensions/101", token=admin, body={"caller_id": ""})
    for n in cases.values():
        assert api.delete(f"/v1/numbers/{n[0]}", token=admin).status == 204
    assert api.delete(f"/v1/trunks/{tk}", token=admin).status == 204
    assert api.delete("/v1/extensions/101", token=admin).status == 204


def test_blocklist(api: Api) -> None:
    tid, admin = api.tenant("acme.probox.vn")
    api.extension(admin, "101")
    r = api.post("/v1/blocklist", token=admin, body={"pattern": "+84 912 345 678", "direction": "in", "note": "spam"})
    assert r.status == 201 and r.json["pattern"] == "0912345678"
    rule = r.json["id"]
    assert api.post("/v1/blocklist", token=admin, body={"pattern": "0912345678", "direction": "in"}).status == 409
    prem = api.post("/v1/blocklist", token=admin, body={"pattern": "1900*", "direction": "out", "extension": "101"})
    assert prem.status == 201
    for pattern in ("113", "11*", "1*"):
        r = api.post("/v1/blocklist", token=admin, body={"pattern": pattern, "direction": "both"})
        assert r.status == 400 and "emergency" in r.json["error"]["fields"]["pattern"], pattern
    assert api.post("/v1/blocklist", token=admin, body={"pattern": "113", "direction": "in"}).status == 201
    assert api.post("/v1/blocklist", token=admin, body={"pattern": "abc"}).status == 400
    assert api.post("/v1/blocklist", token=admin, body={"pattern": "0900000000", "direction": "sideways"}).status == 400
    only_ext = api.get("/v1/blocklist?extension=101", token=admin).json["items"]
    assert [b["pattern"] for b in only_ext] == ["1900*"]
    assert len(api.get("/v1/blocklist?direction=in", token=admin).json["items"]) == 2
    assert api.get("/v1/blocklist?bogus=1", token=admin).status == 400
    rules = snap(api, tid).blocklist
    assert snapmod.BlockRule("1900*", "out", "101") in rules and snapmod.BlockRule("0912345678", "in", "") in rules
    assert api.delete("/v1/extensions/101", token=admin).status == 409  # a rule names it
    r = api.request("PATCH", f"/v1/blocklist/{rule}", token=admin, body={"direction": "both"})
    assert r.status == 200 and r.json["direction"] == "both"
    assert api.delete(f"/v1/blocklist/{rule}", token=admin).status == 204
    assert api.get(f"/v1/blocklist/{rule}", token=admin).status == 404


def test_every_change_bumps_the_snapshot_version(api: Api) -> None:
    _, admin = api.tenant("acme.probox.vn")
    edge = api.edge("v-edge")

    def version() -> int:
        return int(api.get("/edge/v1/snapshot", token=edge).json["version"])

    v = version()
    steps = [
        ("POST", "/v1/branches", {"name": "HQ", "prefix": "8"}),
        ("POST", "/v1/extensions", {"number": "101"}),
        ("PATCH", "/v1/extensions/101", {"pickup_group": "g1"}),
        ("POST", "/v1/trunks", {"name": "T", "host": "sip.t.vn", "ips": ["203.0.113.9"]}),
        ("POST", "/v1/blocklist", {"pattern": "0900*", "direction": "in"}),
        ("POST", "/v1/extensions/101/rotate-password", None),
    ]
    for method, path, body in steps:
        r = api.request(method, path, token=admin, body=body)
        assert r.status in (200, 201), (path, r.text)
        now = version()
        assert now > v, path
        v = now
    # Devices, users and keys are not edge data: no new version.
    api.post(
        "/v1/devices", token=admin, body={"extension": "101", "vendor": "fanvil", "model": "X3", "mac": "0c383e112233"}
    )
    api.post("/v1/api-keys", token=admin, body={"name": "k"})
    assert version() == v
