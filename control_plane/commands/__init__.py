"""Commands from the control plane to the edges; the first is click-to-call (issue 17, CC1).

A tenant user asks for a call (``POST /v1/calls/click-to-call``): the service checks the
caller (the user's own extension), the customer (a contact's number or a number; do-not-call
per contact and the national list) and the tenant's outbound rules (``pbx_core.routing``,
the same code the edge runs), then stores one command and one inbox entry per edge that
serves the tenant. Edges poll ``GET /edge/v1/commands`` (only their inbox; only commands of
tenants they serve, not expired), claim one (``POST /edge/v1/commands/{id}/claim``: one
edge wins, a repeated claim by the winner answers the same) and report how it went
(``POST /edge/v1/commands/{id}/result``). A command expires 60 s after it was made.

Keys (``core.keys``): the command ``CMD#<id>`` / ``CMD``; an edge's inbox
``EDGECMD#<edge_id>`` / ``<id>``; both carry ``ttl``.

Files: ``schemas``, ``store`` (low-level DynamoDB), ``service``, ``routes``.
"""
