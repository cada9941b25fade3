"""Call detail records (F8): idempotent ingest from edges, search and one call for tenant
users (agents: the calls of their own extension), times in the tenant's zone.

``store`` (``CdrItem`` and its id guard; the one writer of the CDR item format, also for
imports), ``service``, ``schemas``, ``routes``. Exports of calls (CSV, Excel) are
``cdr_reports``; a call's recording link is ``recordings``.
"""
