"""Call-center agents (issue 16): a user with an extension sets its own status (ready,
paused with a reason, logged out), supervisors see and set everyone's; every change is in
the edge snapshot at once (a new version) and in the queue event log."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api, provider_token

pytestmark = pytest.mark.aws

PASSWORD = "a-long-login-password"


def login_user(api: Api, admin: str, email: str, role: str, **extra: object) -> str:
    r = api.post("/v1/users", token=admin, body={"email": email, "role": role, "password": PASSWORD, **extra})
    assert r.status == 201, r.text
    t = api.post("/v1/auth/login", body={"email": email, "password": PASSWORD})
    assert t.status == 200, t.text
    return str(t.json["token"])


def setup(api: Api, domain: str = "cc.probox.vn") -> tuple[str, str, str, str]:
    """(tenant, admin, agent token (extension 101), supervisor token)."""
    tid, admin = api.tenant(domain, plan="CC-10")
    api.extension(admin, "101", "Lan")
    api.extension(admin, "102", "Minh")
    agent = login_user(api, admin, f"lan@{domain}", "agent", extension="101", name="Lan Nguyen")
    sup = login_user(api, admin, f"sup@{domain}", "supervisor")
    return tid, admin, agent, sup


def status(api: Api, token: str, body: dict[str, Any], path: str = "/v1/agents/me/status") -> dict[str, Any]:
    r = api.request("PUT", path, token=token, body=body)
    assert r.status == 200, r.text
    out: dict[str, Any] = r.json
    return out


def test_agent_sets_its_own_status(api: Api) -> None:
    _, _, agent, sup = setup(api)
    me = api.get("/v1/agents/me", token=agent)
    assert me.status == 200, me.text
    assert me.json["extension"] == "101" and me.json["status"] == "logged_out" and me.json["since"] == 0
    assert me.json["name"] == "Lan Nguyen"
    ready = status(api, agent, {"status": "ready"})
    assert ready["status"] == "ready" and ready["since"] > 0 and ready["since_iso"].endswith("Z")
    paused = status(api, agent, {"status": "paused", "reason": " Ăn trưa "})
    assert paused["status"] == "paused" and paused["reason"] == "Ăn trưa"
    assert api.get("/v1/agents/me", token=agent).json["reason"] == "Ăn trưa"
    out = status(api, agent, {"status": "logged_out", "reason": "ignored"})
    assert out["status"] == "logged_out" and out["reason"] == ""
    agents = api.get("/v1/agents", token=sup).json["items"]
    assert [(a["extension"], a["status"]) for a in agents] == [("101", "logged_out")]
    kinds = [e["kind"] for e in api.get("/v1/queue-events", token=sup).json["items"]]
    assert kinds == ["login", "pause", "logout"]
    events = api.get("/v1/queue-events", token=sup).json["items"]
    assert events[1]["agent"] == "101" and events[1]["reason"] == "Ăn trưa" and events[1]["queue_id"] == ""


def test_transitions_write_the_right_events(api: Api) -> None:
    _, _, agent, sup = setup(api)
    status(api, agent, {"status": "paused", "reason": "training"})  # login + pause
    status(api, agent, {"status": "paused", "reason": "training"})  # nothing changes
    status(api, agent, {"status": "paused", "reason": "lunch"})  # another reason
    status(api, agent, {"status": "ready"})  # unpause
    status(api, agent, {"status": "ready"})  # nothing
    items = api.get("/v1/queue-events", token=sup).json["items"]
    assert [(e["kind"], e["reason"]) for e in items] == [
        ("login", ""), ("pause", "training"), ("pause", "lunch"), ("unpause", ""),
    ]  # fmt: skip


def test_validation_and_roles(api: Api) -> None:
    _, admin, agent, sup = setup(api)
    for body, field in (
        ({"status": "busy"}, "status"),
        ({"status": "paused", "reason": "x" * 65}, "reason"),
        ({"status": "paused", "reason": "a\r\nb"}, "reason"),
        ({}, "status"),
        ({"status": "ready", "extra": 1}, "extra"),
    ):
        r = api.request("PUT", "/v1/agents/me/status", token=agent, body=body)
        assert r.status == 400 and field in r.json["error"]["fields"], (body, r.text)
    # without an extension, no agent: 403 no_extension (a supervisor, an API key)
    for token in (sup, api.post("/v1/api-keys", token=admin, body={"name": "k"}).json["key"]):
        r = api.get("/v1/agents/me", token=token)
        assert r.status == 403 and r.json["error"]["code"] == "no_extension", r.text
        r = api.request("PUT", "/v1/agents/me/status", token=token, body={"status": "ready"})
        assert r.status == 403 and r.json["error"]["code"] == "no_extension"
    # only supervisors and admins list agents and set another's status
    assert api.get("/v1/agents", token=agent).status == 403
    assert api.request("PUT", "/v1/agents/102/status", token=agent, body={"status": "ready"}).status == 403
    assert api.get("/v1/agents", token=provider_token()).status == 403
    assert api.request("PUT", "/v1/agents/199/status", token=sup, body={"status": "ready"}).status == 404


def test_supervisor_sets_any_agent_and_the_snapshot_follows(api: Api) -> None:
    tid, admin, agent, sup = setup(api)
    edge = api.edge("edge-a", [tid])
    v0 = api.get("/edge/v1/snapshot", token=edge).json["version"]
    status(api, sup, {"status": "paused", "reason": "coaching"}, "/v1/agents/101/status")
    snap = api.get("/edge/v1/snapshot", token=edge).json
    assert snap["version"] > v0
    (agent_101,) = snap["tenants"][0]["agents"]
    assert agent_101["extension"] == "101" and agent_101["status"] == "paused"
    assert agent_101["reason"] == "coaching" and agent_101["since"] > 0 and agent_101["user_id"].startswith("usr_")
    # an extension without a user can be set by a supervisor too (e.g. a shared desk phone)
    status(api, admin, {"status": "ready"}, "/v1/agents/102/status")
    v1 = api.get("/edge/v1/snapshot", token=edge).json["version"]
    assert v1 > snap["version"]
    by_ext = {a["extension"]: a for a in api.get("/v1/agents", token=sup).json["items"]}
    assert by_ext["101"]["status"] == "paused" and by_ext["102"]["status"] == "ready"
    assert by_ext["102"]["user_id"] == "" and by_ext["102"]["name"] == "Minh"
    # no change, no new version (a pause with the same reason); "ready" again is "ready now":
    # a new version (test_ready_again_is_ready_now)
    status(api, sup, {"status": "paused", "reason": "coaching"}, "/v1/agents/101/status")
    assert api.get("/edge/v1/snapshot", token=edge).json["version"] == v1
    # the agent sees what the supervisor set
    assert api.get("/v1/agents/me", token=agent).json["reason"] == "coaching"


def test_ready_again_is_ready_now(api: Api) -> None:
    """An agent already ready who says "ready" again (the console's "ready now" after a call):
    no queue event, but a newer status the edges get, which ends the agent's wrap-up there
    (pbx_core.acd.configure)."""
    tid, _, agent, sup = setup(api)
    edge = api.edge("edge-1", [tid])
    status(api, agent, {"status": "ready"})
    before = api.get("/edge/v1/snapshot", token=edge).json["version"]
    again = status(api, agent, {"status": "ready"})
    assert again["status"] == "ready"
    assert api.get("/edge/v1/snapshot", token=edge).json["version"] > before
    kinds = [e["kind"] for e in api.get("/v1/queue-events", token=sup).json["items"]]
    assert kinds == ["login"]


def test_a_tenant_list_of_pause_reasons(api: Api) -> None:
    _, admin, agent, sup = setup(api)
    assert api.get("/v1/agents/pause-reasons", token=agent).json == {"reasons": []}
    r = api.request("PUT", "/v1/agents/pause-reasons", token=admin, body={"reasons": ["Ăn trưa", "Họp", "Họp"]})
    assert r.status == 200 and r.json == {"reasons": ["Ăn trưa", "Họp"]}, r.text
    assert api.get("/v1/agents/pause-reasons", token=agent).json == {"reasons": ["Ăn trưa", "Họp"]}
    r = api.request("PUT", "/v1/agents/me/status", token=agent, body={"status": "paused", "reason": "Ngủ"})
    assert r.status == 400 and r.json["error"]["fields"] == {"reason": "not one of the pause reasons"}
    assert status(api, agent, {"status": "paused", "reason": "Họp"})["reason"] == "Họp"
    assert status(api, agent, {"status": "ready", "reason": "anything"})["status"] == "ready"  # no reason needed
    for body in ({"reasons": [""]}, {"reasons": ["x" * 65]}, {"reasons": ["a"] * 21}, {"reasons": "Họp"}):
        assert api.request("PUT", "/v1/agents/pause-reasons", token=admin, body=body).status == 400, body
    assert api.request("PUT", "/v1/agents/pause-reasons", token=sup, body={"reasons": []}).status == 403
    assert api.request("PUT", "/v1/agents/pause-reasons", token=admin, body={"reasons": []}).json == {"reasons": []}
    assert status(api, agent, {"status": "paused", "reason": "Ngủ"})["reason"] == "Ngủ"  # free again
