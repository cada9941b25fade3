"""The ProBox control plane: a Chalice app (``app.py``) over one package per domain.

Layout (every domain package has the same small set of files):

| file | layer | what |
|---|---|---|
| ``routes.py`` | HTTP | the domain's routes (``core.api.Routes``): roles, request parsing, answers |
| ``service.py`` | domain | what the domain decides (checks, derived values, transactions to run) |
| ``schemas.py`` | boundary | pydantic request/response models (also the OpenAPI document) |
| ``store.py`` | storage | the domain's item classes and their reads and writes (PynamoDB) |

Imports go down only: routes -> service -> store -> ``core`` / ``pbx_core`` (a service may
use another domain's service or store, a store another domain's store; never upwards), and
no module imports one that imports it back. ``core`` serves every domain and imports none;
``app.py`` imports every domain's routes and nothing imports it. pyproject.toml's
import-linter contracts check all of it in ``make test``.

Domains: ``meta`` (health, OpenAPI), ``users`` (login, users, API keys, who is calling),
``plans``, ``tenants``, ``tenant_jobs`` (export, import, offboarding), ``branches``,
``extensions``, ``provisioning``, ``devices``, ``trunks``, ``dids`` (numbers), ``blocklist``,
``edges`` (and their snapshots), ``cdrs``, ``cdr_reports`` (CSV and Excel exports),
``recordings``, ``events``, ``live``, ``webhooks``, ``contacts``, ``custom_fields``, ``tickets``,
``security`` (the edge firewall's bans), ``fraud`` (the toll-fraud guard), ``call_notes`` (a
call's wrap-up: disposition and notes), ``queues``, ``agents``, ``queue_events`` and
``queue_reports`` (the call center: queues, agents' statuses, the queue event log, Excel
reports of it). The rule for adding one is in control_plane/README.md.
"""
