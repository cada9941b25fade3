"""The edges' contact routes: a tenant's whole list, then the changes since a cursor.

A cursor is ``r1.<epoch µs>``: when the answer's reading began. Changes are read from the
change log from the cursor less ``OVERLAP_US`` (a write stamped a little before it, by a
skewed clock or a slow transaction, is still seen); a number read again is harmless because
the answer gives each changed number's **current** route (one BatchGetItem per 100
numbers), never the logged copy, so changes read out of order cannot leave an old route.
A cursor older than the log keeps (``store.KEEP_S`` less an hour), or older than the
tenant's reset mark (a large import, written after its routes) less ``RESET_MARGIN_US``
(clocks), gets the whole list again.

Pages: at most ``PAGE`` numbers, and ``next`` (signed for the tenant) continues the same
answer. Pages of a whole list say ``full`` on the first page only and carry an empty
cursor until the last, so an edge that stops half-way starts over; pages of changes carry
the cursor they started from until the last.
"""

from __future__ import annotations

from control_plane.contact_routes import store as routes_store
from control_plane.contact_routes.schemas import ContactRouteList, ContactRouteOut, ContactRoutesQuery
from control_plane.core import ids, keys, store
from control_plane.core.log import logger
from control_plane.edges import service as edges
from control_plane.tenants import store as tenants_store
from pbx_core import contact_routes
from pbx_core.contact_routes import Route
from pbx_core.errors import NotFound, ValidationError

PAGE = 1000
OVERLAP_US = 10_000_000  # changes are read again from 10 s before the cursor
RESET_MARGIN_US = 2_000_000  # a whole list read this soon before a reset mark may have missed its last rows
FULL_AFTER_US = (routes_store.KEEP_S - 3600) * 1_000_000  # the log keeps a day: after 23 h, the whole list
NEXT = "contact-routes-next"
CURSOR_PREFIX = "r1."


def cursor_of(at_us: int) -> str:
    return f"{CURSOR_PREFIX}{at_us}"


def _cursor_us(cursor: str) -> int | None:
    return int(cursor.removeprefix(CURSOR_PREFIX)) if cursor.startswith(CURSOR_PREFIX) else None


def _next(tenant_id: str, mode: str, final_us: int, since_us: int, after: str) -> str:
    return ids.encode_cursor(NEXT, tenant_id, f"{mode}|{final_us}|{since_us}|{after}")


def _parse_next(tenant_id: str, token: str) -> tuple[str, int, int, str]:
    value = ids.decode_cursor(NEXT, tenant_id, token)
    parts = value.split("|", 3)
    if len(parts) != 4:
        raise ValidationError("invalid next token", fields={"next": "invalid or not issued for this tenant"})
    mode, final, since, after = parts
    if mode not in ("full", "changes") or not final.isdigit() or not since.isdigit() or not after:
        raise ValidationError("invalid next token", fields={"next": "invalid or not issued for this tenant"})
    return mode, int(final), int(since), after


def _out(items: list[tuple[str, Route]]) -> list[ContactRouteOut]:
    return [ContactRouteOut(number=n, owner=r[0], vip=r[1]) for n, r in items]


def sync(edge_id: str, q: ContactRoutesQuery) -> ContactRouteList:
    """One page for the edge: 403 for a tenant it does not serve, 404 for no such tenant."""
    tenant_id = q.tenant_id
    edges.require_served(edge_id, tenant_id)
    if tenants_store.get(tenant_id) is None:
        raise NotFound("tenant not found")
    if q.next:
        mode, final_us, since_us, after = _parse_next(tenant_id, q.next)
        if mode == "full":
            return _full(tenant_id, after=after, final_us=final_us)
        return _changes(tenant_id, since_us=since_us, after=after, final_us=final_us)
    now = routes_store.now_us()
    since = _cursor_us(q.cursor)
    if since is None or since < now - FULL_AFTER_US or since - RESET_MARGIN_US < routes_store.reset_at(tenant_id):
        logger.info("contact routes: whole list", extra={"tenant_id": tenant_id, "edge_id": edge_id})
        return _full(tenant_id, after=None, final_us=now)
    return _changes(tenant_id, since_us=since, after=None, final_us=now)


def _full(tenant_id: str, *, after: str | None, final_us: int) -> ContactRouteList:
    items, last = routes_store.routes_page(tenant_id, after=after, limit=PAGE)
    return ContactRouteList(
        routes=_out(items),
        removed=[],
        cursor="" if last else cursor_of(final_us),
        full=after is None,
        next=_next(tenant_id, "full", final_us, 0, last) if last else None,
    )


def _changes(tenant_id: str, *, since_us: int, after: str | None, final_us: int) -> ContactRouteList:
    numbers, last = routes_store.changed_page(tenant_id, since_us=since_us - OVERLAP_US, after=after, limit=PAGE)
    unique = list(dict.fromkeys(numbers))
    now_routes = routes_store.current(tenant_id, unique) if unique else {}
    return ContactRouteList(
        routes=_out([(n, now_routes[n]) for n in unique if n in now_routes]),
        removed=[n for n in unique if n not in now_routes],
        cursor=cursor_of(since_us) if last else cursor_of(final_us),
        full=False,
        next=_next(tenant_id, "changes", final_us, since_us, last) if last else None,
    )


# --- rebuild (contacts made before routes existed; a repair) -------------------------------------
def rebuild(tenant_id: str) -> dict[str, int]:
    """Make the tenant's route items match its contacts: one read of the contacts' numbers,
    owners and tags, one of the routes, the differences written by batch, then a reset mark
    (every edge re-reads the tenant's whole list). Run it when the tenant is quiet: a contact
    changed during the read may be written back as it was read (run it again to repair)."""
    want: dict[str, Route] = {}
    for raw in store.query_raw(keys.contact_pk(tenant_id), projection="numbers, #o, tags", names={"#o": "owner"}):
        numbers = [str(n["S"]) for n in raw.get("numbers", {}).get("L", [])]
        tags = [str(t["S"]) for t in raw.get("tags", {}).get("L", [])]
        want.update(contact_routes.routes(numbers, raw.get("owner", {}).get("S", ""), tags))
    changes = contact_routes.changes(routes_store.all_routes(tenant_id), want)
    store.batch_write_raw(routes_store.route_requests(tenant_id, changes))
    routes_store.mark_reset(tenant_id)
    logger.info("contact routes rebuilt", extra={"tenant_id": tenant_id, "routes": len(want), "changes": len(changes)})
    return {"routes": len(want), "changes": len(changes)}
