"""The live WebSocket's handlers: connect, a message, disconnect. They take the event API
Gateway gives a WebSocket route's function (``requestContext.connectionId``, the query string
of the connect request, the message ``body``) and answer ``{"statusCode": ...}``; ``app.py``
wires them as Chalice's ``on_ws_connect`` / ``on_ws_message`` / ``on_ws_disconnect``, and
the local stack's server (``infra/live_ws.py``) calls the same functions.

- Connect: ``?ticket=<one-time ticket>`` (``POST /v1/live/tickets``) or 401. The connection
  is stored under the ticket's tenant with the user's role, session and (agents) extension.
- Messages (JSON): ``{"action": "resume", "after": <seq>}`` sends again the stored events
  numbered above ``after`` that the user may see (from a little before it: events of one
  tenant may be numbered and pushed slightly out of order), then ``{"type": "resumed",
  "seq": <newest>}``; when they are no longer all kept it answers ``{"type": "resync"}``
  and the browser loads the REST snapshot again. ``{"action": "ping"}`` answers
  ``{"type": "pong", "seq": <newest>}``. Every message checks the login session again:
  a logged-out or disabled user's connection is closed.
- Disconnect: the connection is forgotten.
"""

from __future__ import annotations

import json
import re
from typing import Any

from control_plane.core import auth, clock, ids
from control_plane.core.log import logger
from control_plane.core.metrics import count
from control_plane.live import fanout
from control_plane.live import service as live
from control_plane.live import store as live_store
from control_plane.tenants import store as tenants_store
from control_plane.users import service as users
from pbx_core.errors import Unauthorized

REPLAY_OVERLAP = 64  # events sent again below the browser's number (pushes may overtake)
REPLAY_MAX = 500  # more missed events than this: the browser reloads the snapshot
_TICKET_RE = re.compile(r"^wst_[A-Za-z0-9_-]{20,64}$")
OK = {"statusCode": 200}


def _connection_id(event: dict[str, Any]) -> str:
    return str(event["requestContext"]["connectionId"])


def _refuse(status: int, reason: str) -> dict[str, Any]:
    count("LiveConnectRefused")
    logger.info("websocket refused", extra={"reason": reason})
    return {"statusCode": status, "body": reason}


def connect(event: dict[str, Any]) -> dict[str, Any]:
    """$connect: redeem the ticket, remember who is connected."""
    params = event.get("queryStringParameters") or {}
    ticket = params.get("ticket") if isinstance(params, dict) else None
    if not isinstance(ticket, str) or not _TICKET_RE.match(ticket):
        return _refuse(401, "a ticket is required (POST /v1/live/tickets)")
    now = clock.now().timestamp()
    fields = live_store.redeem_ticket(ids.sha256(ticket), now=now)
    if fields is None:
        return _refuse(401, "ticket unknown, used or expired")
    tenant_id = fields["tenant_id"]
    if not tenants_store.exists(tenant_id):
        return _refuse(401, "tenant not found")
    conn = live_store.Connection(
        connection_id=_connection_id(event),
        tenant_id=tenant_id,
        role=fields["role"],
        sub=fields["sub"],
        sid=fields.get("sid", ""),
        extension=fields.get("extension", ""),
        expires_at=int(now) + live.CONNECTION_MAX_S,
    )
    live_store.put_connection(conn)
    count("LiveConnected")
    logger.info("websocket connected", extra={"tenant_id": tenant_id, "role": conn.role})
    return OK


def disconnect(event: dict[str, Any]) -> dict[str, Any]:
    connection_id = _connection_id(event)
    tenant_id = live_store.connection_tenant(connection_id)
    if tenant_id is not None:
        live_store.delete_connection(tenant_id, connection_id)
        logger.info("websocket disconnected", extra={"tenant_id": tenant_id})
    return OK


def _send(connection_id: str, doc: dict[str, Any]) -> bool:
    return fanout.post(connection_id, fanout.encode(doc))


def _still_allowed(conn: live_store.Connection) -> bool:
    """The login session behind the connection still holds (API keys: until the 2-hour end)."""
    if conn.expires_at <= clock.now().timestamp():
        return False
    if not conn.sid:
        return True
    principal = auth.Principal(sub=conn.sub, role=conn.role, tenant_id=conn.tenant_id, sid=conn.sid)
    try:
        users.check_session(principal)
    except Unauthorized:
        return False
    return True


def message(event: dict[str, Any]) -> dict[str, Any]:
    """$default: resume or ping (see the module's docstring)."""
    connection_id = _connection_id(event)
    tenant_id = live_store.connection_tenant(connection_id)
    conn = live_store.get_connection(tenant_id, connection_id) if tenant_id else None
    if conn is None:
        return OK
    if not _still_allowed(conn):
        _send(connection_id, {"type": "error", "code": "session_ended"})
        live_store.delete_connection(conn.tenant_id, connection_id)
        fanout.close(connection_id)
        logger.info("websocket closed: session ended", extra={"tenant_id": conn.tenant_id})
        return OK
    try:
        doc = json.loads(event.get("body") or "")
    except ValueError:
        doc = None
    action = doc.get("action") if isinstance(doc, dict) else None
    if action == "ping":
        _send(connection_id, {"type": "pong", "seq": live_store.current_seq(conn.tenant_id)})
    elif action == "resume" and isinstance(doc, dict):
        after = doc.get("after")
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            _send(connection_id, {"type": "error", "code": "bad_message", "message": "after: a sequence number"})
        else:
            resume(conn, after)
    else:
        _send(connection_id, {"type": "error", "code": "bad_message", "message": "action: resume or ping"})
    return OK


def resume(conn: live_store.Connection, after: int) -> str:
    """Send the events the browser missed since ``after``: "resumed" or "resync"."""
    now = clock.now().timestamp()
    current = live_store.current_seq(conn.tenant_id)
    start = max(0, after - REPLAY_OVERLAP)
    stored = live_store.events_after(conn.tenant_id, start, limit=REPLAY_MAX + REPLAY_OVERLAP + 1, now=now)
    missed = [e for e in stored if e.seq > after]
    complete = after <= current and len(stored) <= REPLAY_MAX + REPLAY_OVERLAP
    if missed and missed[0].seq > after + 1:
        complete = False  # the next ones expired (or are still being stored): start again from the snapshot
    if not complete:
        count("LiveResync")
        _send(conn.connection_id, {"type": "resync", "seq": current})
        return "resync"
    view = live.Viewer(conn.tenant_id, conn.extension if conn.role == auth.AGENT else "")
    visible = [live.message(e.seq, e.event, e.call) for e in stored if view.sees(live.parties_of(e.event))]
    messages = live.batches(visible)
    messages.append(fanout.encode({"type": "resumed", "seq": current}))
    fanout.push([(conn.connection_id, messages)], on_gone=lambda cid: live_store.delete_connection(conn.tenant_id, cid))
    count("LiveResumed")
    return "resumed"
