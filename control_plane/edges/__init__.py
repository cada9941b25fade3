"""Edge nodes (provider): registration, token rotation, the tenants each serves, and the
configuration snapshot they pull (``snapshot``: one tenant's routing data from its items).

``store`` (``EdgeItem`` and the edge registry), ``service`` (CRUD, tokens, per-edge snapshot
versions), ``snapshot``, ``schemas``, ``routes`` (the provider's CRUD and the edge's own
``GET /edge/v1/snapshot``).
"""
