"""Contact routes for the edges (issue 17 item 4, routing by owner; issue 16, VIP first).

An incoming call from a known contact rings the contact's owner first, and a VIP contact
goes first in a call-center queue. The edge decides that with no network call in the call
path: its agent keeps a local SQLite index (``edge_node.contact_routes``) in sync with
``GET /edge/v1/contact-routes``: the tenant's whole list first, then the changes since a
cursor.

The rule (``pbx_core.contact_routes``): a number of a contact has a route when the contact
has an owner or a tag ``vip`` (any case). The contacts domain writes the route items and a
change-log item per changed number in the same transaction as the contact (create, PATCH,
delete, an import's merge), by batch in an import (route items first, then the log; an
import of more than ``store.LOG_MAX_IMPORT`` route changes writes a reset mark instead of
the log, and every edge re-reads the tenant's list), and the tenant's purge deletes them.

Keys (``core.keys``): the route ``T#<t>#CROUTE`` / ``<number>``; the change log
``T#<t>#CRLOG`` / ``<at µs>#<random>`` (TTL 1 day); the reset mark ``T#<t>`` /
``CROUTESRESET``.

Files: ``schemas``, ``store`` (PynamoDB items, low-level reads), ``service``, ``routes``;
``backfill`` (``python -m control_plane.contact_routes.backfill``: routes of contacts made
before they existed, or a repair).
"""
