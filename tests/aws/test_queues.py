"""Call-center queues (issue 16): CRUD, validation (400 with the field), the dial plan
(409), the plan's feature (403 feature_not_in_plan), references (members, overflow, DIDs
routed to a queue) and the edge snapshot."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws


def cc_tenant(api: Api, domain: str = "cc.probox.vn") -> tuple[str, str]:
    tid, admin = api.tenant(domain, plan="CC-10")
    for n in ("101", "102", "103"):
        api.extension(admin, n, f"Agent {n}")
    return tid, admin


def queue(api: Api, token: str, **body: Any) -> dict[str, Any]:
    doc = {"name": "Sales", "number": "600", "members": [{"extension": "101"}, {"extension": "102", "penalty": 1}]}
    r = api.post("/v1/queues", token=token, body={**doc, **body})
    assert r.status == 201, r.text
    out: dict[str, Any] = r.json
    return out


def test_queue_crud_and_defaults(api: Api) -> None:
    _, admin = cc_tenant(api)
    q = queue(api, admin, strategy="longest_idle", overflow="message")
    assert q["id"].startswith("que_") and q["number"] == "600" and q["strategy"] == "longest_idle"
    assert q["members"] == [{"extension": "101", "penalty": 0}, {"extension": "102", "penalty": 1}]
    assert (q["ring_timeout_s"], q["wrapup_s"], q["language"], q["callback"], q["references"]) == (
        15,
        10,
        "vi",
        True,
        0,
    )
    assert api.get(f"/v1/queues/{q['id']}", token=admin).json == q
    assert [x["id"] for x in api.get("/v1/queues", token=admin).json["items"]] == [q["id"]]
    r = api.request(
        "PATCH", f"/v1/queues/{q['id']}", token=admin,
        body={"members": [{"extension": "103", "penalty": 2}], "max_len": 10, "language": "en", "join_empty": True},
    )  # fmt: skip
    assert r.status == 200, r.text
    assert r.json["members"] == [{"extension": "103", "penalty": 2}] and r.json["max_len"] == 10
    assert r.json["language"] == "en" and r.json["join_empty"] is True and r.json["strategy"] == "longest_idle"
    # members are references: 103 cannot be deleted, 101 (no longer a member) can
    assert api.delete("/v1/extensions/103", token=admin).status == 409
    assert api.delete("/v1/extensions/101", token=admin).status == 204
    assert api.delete(f"/v1/queues/{q['id']}", token=admin).status == 204
    assert api.get(f"/v1/queues/{q['id']}", token=admin).status == 404
    assert api.delete("/v1/extensions/103", token=admin).status == 204  # released with the queue


def test_validation_is_400_with_the_field(api: Api) -> None:
    _, admin = cc_tenant(api)
    cases = [
        ({"strategy": "loudest"}, "strategy"),
        ({"number": "112"}, "number"),
        ({"number": "*8"}, "number"),
        ({"ring_timeout_s": 1}, "ring_timeout_s"),
        ({"max_wait_s": -1}, "max_wait_s"),
        ({"wrapup_s": "10"}, "wrapup_s"),
        ({"overflow": "voicemail"}, "overflow"),
        ({"overflow": "queue:nope"}, "overflow"),
        ({"members": [{"extension": "101", "penalty": 10}]}, "members.0.penalty"),
        ({"members": [{"extension": "101"}, {"extension": "101"}]}, "members.1.extension"),
        ({"members": [{"extension": "199"}]}, "members"),
        ({"overflow": "extension:199"}, "overflow"),
        ({"overflow": "queue:que_000000000000"}, "overflow"),
        ({"name": "a\nb"}, "name"),
        ({"language": "fr"}, "language"),
        ({"colour": "red"}, "colour"),
    ]
    for body, field in cases:
        r = api.post("/v1/queues", token=admin, body={"name": "Q", "number": "600", **body})
        assert r.status == 400, (body, r.text)
        assert r.json["error"]["code"] == "validation_failed", body
        assert field in r.json["error"]["fields"], (body, r.json)
    assert api.get("/v1/queues", token=admin).json["items"] == []
    q = queue(api, admin)
    r = api.request("PATCH", f"/v1/queues/{q['id']}", token=admin, body={"overflow": f"queue:{q['id']}"})
    assert r.status == 400 and "overflow" in r.json["error"]["fields"], r.text


def test_numbers_do_not_collide(api: Api) -> None:
    _, admin = cc_tenant(api)
    branch = api.post("/v1/branches", token=admin, body={"name": "HN", "prefix": "8"}).json["id"]
    assert api.request("PATCH", "/v1/extensions/101", token=admin, body={"branch_id": branch}).status == 200
    for number, why in (("101", "extension"), ("8", "prefix"), ("8101", "short number")):
        r = api.post("/v1/queues", token=admin, body={"name": "Q", "number": number})
        if number == "8":  # one digit is no extension-shaped number at all
            assert r.status == 400, r.text
            continue
        assert r.status == 409, (number, r.text)
        assert why in r.json["error"]["fields"]["number"]
    q = queue(api, admin)
    r = api.post("/v1/queues", token=admin, body={"name": "Other", "number": "600"})
    assert r.status == 409 and "queue" in r.json["error"]["fields"]["number"]
    other = queue(api, admin, name="Support", number="601", members=[])
    r = api.request("PATCH", f"/v1/queues/{other['id']}", token=admin, body={"number": "600"})
    assert r.status == 409
    # an extension cannot take a queue's number
    r = api.post("/v1/extensions", token=admin, body={"number": "600"})
    assert r.status == 409 and r.json["error"]["fields"] == {"number": "a queue's number"}
    assert api.get(f"/v1/queues/{q['id']}", token=admin).status == 200
    # nor a branch prefix, nor a branch short number (prefix + extension) once queues exist
    r = api.post("/v1/branches", token=admin, body={"name": "HCM", "prefix": "600"})
    assert r.status == 409 and r.json["error"]["fields"] == {"prefix": "a queue's number"}, r.text
    api.extension(admin, "20")
    hcm = api.post("/v1/branches", token=admin, body={"name": "HCM", "prefix": "6"}).json["id"]
    r = api.request("PATCH", "/v1/extensions/20", token=admin, body={"branch_id": hcm})  # 6 + 20 = 620: free
    assert r.status == 200, r.text
    r = api.request("PATCH", "/v1/extensions/102", token=admin, body={"branch_id": hcm})
    assert r.status == 200, r.text  # 6 + 102 = 6102: free
    queue(api, admin, name="Short", number="6103", members=[])
    r = api.request("PATCH", "/v1/extensions/103", token=admin, body={"branch_id": hcm})
    assert r.status == 409 and r.json["error"]["fields"] == {"branch_id": "a queue's number"}, r.text
    r = api.request("PATCH", f"/v1/branches/{hcm}", token=admin, body={"prefix": "61"})
    assert r.status == 200, r.text  # 61 + 102 = 61102, 61 + 20 = 6120: free
    queue(api, admin, name="Seven", number="7102", members=[])
    r = api.request("PATCH", f"/v1/branches/{hcm}", token=admin, body={"prefix": "7"})
    assert r.status == 409 and r.json["error"]["fields"] == {"prefix": "a queue's number"}  # 7 + 102
    r = api.request("PATCH", f"/v1/branches/{hcm}", token=admin, body={"prefix": "610"})
    assert r.status == 200, r.text
    r = api.post("/v1/queues", token=admin, body={"name": "X", "number": "610102"})
    assert r.status == 409 and "short number" in r.json["error"]["fields"]["number"]  # 610 + 102


def test_a_pbx_plan_has_no_queues(api: Api) -> None:
    tid, admin = api.tenant("pbx.probox.vn", plan="PBX-10")
    api.extension(admin, "101")
    r = api.post("/v1/queues", token=admin, body={"name": "Q", "number": "600"})
    assert r.status == 403 and r.json["error"]["code"] == "feature_not_in_plan", r.text
    assert api.get("/v1/queues", token=admin).json["items"] == []
    # moved to a call-center plan, it may; moved back, it still reads and deletes them
    assert api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"plan": "CC-5"}).status == 200
    q = queue(api, admin, members=[{"extension": "101"}])
    assert api.request("PATCH", f"/v1/tenants/{tid}", token=provider_token(), body={"plan": "PBX-10"}).status == 200
    r = api.request("PATCH", f"/v1/queues/{q['id']}", token=admin, body={"name": "New"})
    assert r.status == 403 and r.json["error"]["code"] == "feature_not_in_plan"
    assert api.get(f"/v1/queues/{q['id']}", token=admin).status == 200
    assert api.delete(f"/v1/queues/{q['id']}", token=admin).status == 204


def test_overflow_and_dids_are_references(api: Api) -> None:
    tid, admin = cc_tenant(api)
    sales = queue(api, admin)
    support = queue(api, admin, name="Support", number="601", overflow=f"queue:{sales['id']}")
    assert api.get(f"/v1/queues/{sales['id']}", token=admin).json["references"] == 1
    assert api.delete(f"/v1/queues/{sales['id']}", token=admin).status == 409
    trunk = api.post("/v1/trunks", token=admin, body={"name": "T", "host": "sip.carrier.vn", "ips": ["203.0.113.9"]})
    api.assign(tid, "02838221234")
    r = api.post(
        "/v1/numbers", token=admin, body={"number": "02838221234", "trunk_id": trunk.json["id"], "route_to": "601"}
    )
    assert r.status == 201 and r.json["route_to"] == "601", r.text
    assert api.get(f"/v1/queues/{support['id']}", token=admin).json["references"] == 1
    assert api.delete(f"/v1/queues/{support['id']}", token=admin).status == 409
    r = api.request("PATCH", f"/v1/queues/{support['id']}", token=admin, body={"number": "602"})
    assert r.status == 409 and r.json["error"]["fields"] == {"number": "in use"}
    # a route to nothing is still refused
    r = api.request("PATCH", "/v1/numbers/02838221234", token=admin, body={"route_to": "699"})
    assert r.status == 400 and r.json["error"]["fields"] == {"route_to": "not found"}
    # moving the number to an extension releases the queue
    assert api.request("PATCH", "/v1/numbers/02838221234", token=admin, body={"route_to": "102"}).status == 200
    assert api.request("PATCH", f"/v1/queues/{support['id']}", token=admin, body={"overflow": ""}).status == 200
    assert api.delete(f"/v1/queues/{sales['id']}", token=admin).status == 204
    assert api.delete(f"/v1/queues/{support['id']}", token=admin).status == 204
    # overflow to an extension is a reference to it
    q = queue(api, admin, number="602", members=[], overflow="extension:103")
    assert api.delete("/v1/extensions/103", token=admin).status == 409
    assert api.delete(f"/v1/queues/{q['id']}", token=admin).status == 204
    assert api.delete("/v1/extensions/103", token=admin).status == 204


def test_roles(api: Api) -> None:
    _, admin = cc_tenant(api)
    q = queue(api, admin)
    sup = api.post("/v1/api-keys", token=admin, body={"name": "wall", "role": "supervisor"}).json["key"]
    agent = api.post("/v1/api-keys", token=admin, body={"name": "agent"}).json["key"]
    assert api.get("/v1/queues", token=sup).status == 200
    assert api.get(f"/v1/queues/{q['id']}", token=sup).status == 200
    assert api.post("/v1/queues", token=sup, body={"name": "Q", "number": "601"}).status == 403
    assert api.request("PATCH", f"/v1/queues/{q['id']}", token=sup, body={"name": "x"}).status == 403
    assert api.delete(f"/v1/queues/{q['id']}", token=sup).status == 403
    assert api.get("/v1/queues", token=agent).status == 403
    assert api.get("/v1/queues", token=provider_token()).status == 403


def test_snapshot_carries_the_queues(api: Api) -> None:
    tid, admin = cc_tenant(api)
    edge = api.edge("edge-q", [tid])
    v0 = api.get("/edge/v1/snapshot", token=edge).json["version"]
    q = queue(api, admin, overflow="extension:103", wrapup_s=30)
    snap = api.get("/edge/v1/snapshot", token=edge).json
    assert snap["version"] > v0
    (tenant,) = snap["tenants"]
    (sq,) = tenant["queues"]
    assert sq["id"] == q["id"] and sq["number"] == "600" and sq["overflow"] == "extension:103"
    assert sq["members"] == [{"extension": "101", "penalty": 0}, {"extension": "102", "penalty": 1}]
    assert sq["wrapup_s"] == 30 and sq["strategy"] == "ringall"
    from pbx_core import snapshot

    parsed = snapshot.from_dict(snap).tenants[tid]
    assert parsed.queue_by_number("600") is not None and parsed.queues[q["id"]].wrapup_s == 30


def test_a_member_may_also_be_the_overflow(api: Api) -> None:
    """One extension counted twice (member and overflow) is one change of its count."""
    _, admin = cc_tenant(api)
    q = queue(api, admin, members=[{"extension": "102"}], overflow="extension:102")
    ext = "/v1/extensions/102"
    r = api.request("PATCH", f"/v1/queues/{q['id']}", token=admin, body={"members": [], "overflow": "extension:102"})
    assert r.status == 200, r.text
    assert api.delete(ext, token=admin).status == 409  # still the overflow
    r = api.request("PATCH", f"/v1/queues/{q['id']}", token=admin, body={"members": [{"extension": "102"}]})
    assert r.status == 200, r.text
    assert api.delete(f"/v1/queues/{q['id']}", token=admin).status == 204
    assert api.delete(ext, token=admin).status == 204  # both references released


def test_export_and_import_keep_the_queues(api: Api, s3: Any) -> None:
    """Tenant export (S6) carries the queues; the import recreates them with their references
    (members, overflow, a DID routed to a queue number). Agents' statuses are not exported."""
    tid, admin = cc_tenant(api)
    sales = queue(api, admin, strategy="linear", wrapup_s=45, join_empty=True)
    support = queue(api, admin, name="Support", number="601", members=[], overflow=f"queue:{sales['id']}")
    trunk = api.post("/v1/trunks", token=admin, body={"name": "T", "host": "sip.carrier.vn", "ips": ["203.0.113.9"]})
    api.assign(tid, "02838221234")
    did = {"number": "02838221234", "trunk_id": trunk.json["id"], "route_to": "601"}
    assert api.post("/v1/numbers", token=admin, body=did).status == 201
    assert api.request("PUT", "/v1/agents/101/status", token=admin, body={"status": "ready"}).status == 200
    job = api.post(f"/v1/tenants/{tid}/export", token=provider_token())
    assert job.status == 202 and job.json["status"] == "done", job.text
    assert job.json["result"]["counts"]["queues"] == 2
    # the number moves with the archive: the source gives it up first
    assert api.delete("/v1/numbers/02838221234", token=admin).status == 204
    assert api.delete(f"/v1/tenants/{tid}/numbers/02838221234", token=provider_token()).status == 204
    imp = api.post(
        "/v1/tenants/import", token=provider_token(),
        body={"archive_key": job.json["result"]["archive_key"], "domain": "moved.probox.vn"},
    )  # fmt: skip
    assert imp.status == 202 and imp.json["status"] == "done", imp.text
    new = imp.json["tenant_id"]
    token = api.post(f"/v1/tenants/{new}/admin-tokens", token=provider_token()).json["token"]
    got = {q["number"]: q for q in api.get("/v1/queues", token=token).json["items"]}

    def same(q: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in q.items() if k not in ("created_at", "updated_at", "references")}

    assert same(got["600"]) == same(api.get(f"/v1/queues/{sales['id']}", token=admin).json)
    assert same(got["601"]) == same(api.get(f"/v1/queues/{support['id']}", token=admin).json)
    assert got["600"]["references"] == 1 and got["601"]["references"] == 1  # the overflow, the DID
    assert api.get("/v1/numbers/02838221234", token=token).json["route_to"] == "601"
    assert api.delete(f"/v1/queues/{sales['id']}", token=token).status == 409
    assert api.delete("/v1/extensions/101", token=token).status == 409  # a member
    assert [a["status"] for a in api.get("/v1/agents", token=token).json["items"]] == []
