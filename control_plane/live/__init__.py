"""Live calls (S5, CC3): the edges' call events, the calls now, and their delivery to
browsers over a WebSocket (and, through ``webhooks``, to tenants' own software).

``routes`` (``POST /edge/v1/events``, ``GET /v1/calls/live``, ``POST /v1/live/tickets``,
``GET /v1/live/edges``), ``service`` (ingest, who sees what, the snapshot, tickets),
``sockets`` (the WebSocket's connect / message / disconnect handlers), ``fanout`` (pushing
through the API Gateway management API), ``schemas``, ``store`` (the items and their
layout). The event schema itself is ``pbx_core.events``.
"""
