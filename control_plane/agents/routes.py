"""HTTP routes of call-center agents: supervisors see every agent's status and set it; an
agent (a user with an extension) reads and sets its own."""

from __future__ import annotations

from control_plane.agents import service
from control_plane.agents.schemas import AgentList, AgentOut, AgentStatusIn, PauseReasonsIn, PauseReasonsOut
from control_plane.core.api import ADMIN, STAFF, TENANT_USERS, ApiRequest, Routes
from control_plane.core.schemas import EXT_PATTERN

routes = Routes(__name__)
STATUS_NOTE = (
    "ready, paused (with a reason up to 64 characters) or logged_out. The edges receive it with the snapshot; "
    "login, logout, pause and unpause are written to the queue event log."
)


@routes.route(
    "GET", "/v1/agents", summary="Every agent (a user with an extension) with its status, reason and since",
    tag="agents", roles=STAFF, response=AgentList,
)  # fmt: skip
def list_agents(req: ApiRequest) -> AgentList:
    return service.list_all(req.tenant(*STAFF))


@routes.route(
    "GET", "/v1/agents/me", summary="The calling user's agent status (403 no_extension without an extension)",
    tag="agents", roles=TENANT_USERS, response=AgentOut,
)  # fmt: skip
def get_my_agent(req: ApiRequest) -> AgentOut:
    tenant_id, extension = service.own_extension(req.principal(*TENANT_USERS))
    return service.get(tenant_id, extension)


@routes.route(
    "PUT", "/v1/agents/me/status", summary="Set the calling user's agent status", tag="agents", roles=TENANT_USERS,
    body=AgentStatusIn, response=AgentOut, errors=(409,), description=STATUS_NOTE,
)  # fmt: skip
def set_my_status(req: ApiRequest) -> AgentOut:
    principal = req.principal(*TENANT_USERS)
    tenant_id, extension = service.own_extension(principal)
    return service.set_status(tenant_id, extension, req.body(AgentStatusIn, "invalid status"), by=principal.sub)


@routes.route(
    "PUT", "/v1/agents/{extension}/status", summary="Set the status of an extension's agent (supervisors, admins)",
    tag="agents", roles=STAFF, body=AgentStatusIn, response=AgentOut, errors=(409,),
    patterns={"extension": EXT_PATTERN}, description=STATUS_NOTE,
)  # fmt: skip
def set_agent_status(req: ApiRequest, extension: str) -> AgentOut:
    principal = req.principal(*STAFF)
    tenant_id = req.tenant(*STAFF)
    return service.set_status(tenant_id, extension, req.body(AgentStatusIn, "invalid status"), by=principal.sub)


@routes.route(
    "GET", "/v1/agents/pause-reasons", summary="The tenant's pause reasons ([] = agents type their own)",
    tag="agents", roles=TENANT_USERS, response=PauseReasonsOut,
)  # fmt: skip
def get_pause_reasons(req: ApiRequest) -> PauseReasonsOut:
    return service.get_pause_reasons(req.tenant(*TENANT_USERS))


@routes.route(
    "PUT", "/v1/agents/pause-reasons", summary="Set the tenant's pause reasons (at most 20, 64 characters each)",
    tag="agents", roles=ADMIN, body=PauseReasonsIn, response=PauseReasonsOut,
    description="With a list, a pause must give one of its reasons (400 otherwise); [] allows any reason.",
)  # fmt: skip
def set_pause_reasons(req: ApiRequest) -> PauseReasonsOut:
    tenant_id = req.tenant()
    return service.set_pause_reasons(tenant_id, req.body(PauseReasonsIn, "invalid pause reasons"))
