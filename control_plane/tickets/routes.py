"""HTTP routes of tickets, their comments and calls, saved views and ticket settings.

Tenant users work tickets (agents: those assigned to them or made by them); supervisors and
admins also delete and export them; admins change the settings (business hours, holidays,
SLA targets)."""

from __future__ import annotations

from control_plane.contacts import service as contacts
from control_plane.core.api import ADMIN, STAFF, TENANT_USERS, ApiRequest, Routes
from control_plane.tickets import service
from control_plane.tickets.schemas import (
    TICKET_ID_PATTERN,
    VIEW_ID_PATTERN,
    CallLinkIn,
    CommentCreate,
    CommentList,
    CommentOut,
    TicketCreate,
    TicketExportLink,
    TicketExportQuery,
    TicketList,
    TicketOut,
    TicketQuery,
    TicketSettingsOut,
    TicketSettingsUpdate,
    TicketUpdate,
    ViewCreate,
    ViewList,
    ViewOut,
)

routes = Routes(__name__)
TICKET_ID = {"ticket_id": TICKET_ID_PATTERN}
VIEW_ID = {"view_id": VIEW_ID_PATTERN}


def _viewer(req: ApiRequest, *roles: str) -> contacts.Viewer:
    return contacts.viewer(req.principal(*(roles or TENANT_USERS)))


@routes.route(
    "GET", "/v1/tickets", summary="Search tickets (text, status, priority, assignee, team, contact, saved view)",
    tag="tickets", roles=TENANT_USERS, query=TicketQuery, response=TicketList,
    description="Newest first. Agents see the tickets assigned to them or made by them.",
)  # fmt: skip
def list_tickets(req: ApiRequest) -> TicketList:
    return service.search(_viewer(req), req.query(TicketQuery))


@routes.route(
    "POST", "/v1/tickets", summary="Open a ticket (by hand, from a call or a contact)", tag="tickets",
    roles=TENANT_USERS, body=TicketCreate, status=201, response=TicketOut,
)  # fmt: skip
def create_ticket(req: ApiRequest) -> TicketOut:
    v = _viewer(req)
    return service.create(v, req.body(TicketCreate, "invalid ticket"))


@routes.route(
    "GET", "/v1/tickets/settings", summary="Business hours, holidays and SLA targets of tickets", tag="tickets",
    roles=TENANT_USERS, response=TicketSettingsOut,
)  # fmt: skip
def get_ticket_settings(req: ApiRequest) -> TicketSettingsOut:
    return service.get_settings(req.tenant(*TENANT_USERS))


@routes.route(
    "PATCH", "/v1/tickets/settings", summary="Change business hours, holidays or SLA targets", tag="tickets",
    roles=ADMIN, body=TicketSettingsUpdate, response=TicketSettingsOut,
)  # fmt: skip
def update_ticket_settings(req: ApiRequest) -> TicketSettingsOut:
    return service.update_settings(req.tenant(), req.json())


@routes.route(
    "POST", "/v1/tickets/export", summary="Export matching tickets as an Excel workbook: a 5-minute link",
    tag="tickets", roles=STAFF, query=TicketExportQuery, status=201, response=TicketExportLink, no_store=True,
    while_suspended=True,
)  # fmt: skip
def export_tickets(req: ApiRequest) -> TicketExportLink:
    return service.export(_viewer(req, *STAFF), req.query(TicketExportQuery))


@routes.route(
    "GET", "/v1/tickets/{ticket_id}", summary="One ticket (SLA state, calls, callback task)", tag="tickets",
    roles=TENANT_USERS, response=TicketOut, patterns=TICKET_ID,
)  # fmt: skip
def get_ticket(req: ApiRequest, ticket_id: str) -> TicketOut:
    return service.get(_viewer(req), ticket_id)


@routes.route(
    "PATCH", "/v1/tickets/{ticket_id}", summary="Change a ticket (status, priority, assignee, team, ...)",
    tag="tickets", roles=TENANT_USERS, body=TicketUpdate, response=TicketOut, patterns=TICKET_ID,
)  # fmt: skip
def update_ticket(req: ApiRequest, ticket_id: str) -> TicketOut:
    return service.update(_viewer(req), ticket_id, req.json())


@routes.route(
    "DELETE", "/v1/tickets/{ticket_id}", summary="Delete a ticket and its comments", tag="tickets", roles=STAFF,
    status=204, patterns=TICKET_ID,
)  # fmt: skip
def delete_ticket(req: ApiRequest, ticket_id: str) -> None:
    service.delete(_viewer(req, *STAFF), ticket_id)


@routes.route(
    "GET", "/v1/tickets/{ticket_id}/comments", summary="A ticket's comments, oldest first", tag="tickets",
    roles=TENANT_USERS, response=CommentList, patterns=TICKET_ID,
)  # fmt: skip
def list_ticket_comments(req: ApiRequest, ticket_id: str) -> CommentList:
    return service.comments(_viewer(req), ticket_id)


@routes.route(
    "POST", "/v1/tickets/{ticket_id}/comments", summary="Comment on a ticket (@e-mail notifies a colleague)",
    tag="tickets", roles=TENANT_USERS, body=CommentCreate, status=201, response=CommentOut, patterns=TICKET_ID,
)  # fmt: skip
def create_ticket_comment(req: ApiRequest, ticket_id: str) -> CommentOut:
    v = _viewer(req)
    service.require(v, ticket_id)
    return service.add_comment(v, ticket_id, req.body(CommentCreate, "invalid comment"))


@routes.route(
    "POST", "/v1/tickets/{ticket_id}/calls", summary="Link a call (and its recording) to a ticket", tag="tickets",
    roles=TENANT_USERS, body=CallLinkIn, response=TicketOut, patterns=TICKET_ID,
)  # fmt: skip
def link_ticket_call(req: ApiRequest, ticket_id: str) -> TicketOut:
    v = _viewer(req)
    service.require(v, ticket_id)
    return service.link_call(v, ticket_id, req.body(CallLinkIn, "invalid call").call_id)


@routes.route(
    "GET", "/v1/ticket-views", summary="Saved ticket views (the caller's and the shared ones)", tag="tickets",
    roles=TENANT_USERS, response=ViewList,
)  # fmt: skip
def list_ticket_views(req: ApiRequest) -> ViewList:
    return service.list_views(_viewer(req))


@routes.route(
    "POST", "/v1/ticket-views", summary="Save a ticket view (filters under a name)", tag="tickets",
    roles=TENANT_USERS, body=ViewCreate, status=201, response=ViewOut,
)  # fmt: skip
def create_ticket_view(req: ApiRequest) -> ViewOut:
    v = _viewer(req)
    return service.create_view(v, req.body(ViewCreate, "invalid view"))


@routes.route(
    "DELETE", "/v1/ticket-views/{view_id}", summary="Delete a saved view", tag="tickets", roles=TENANT_USERS,
    status=204, patterns=VIEW_ID,
)  # fmt: skip
def delete_ticket_view(req: ApiRequest, view_id: str) -> None:
    service.delete_view(_viewer(req), view_id)
