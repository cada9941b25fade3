"""The edge firewall's decisions as a tenant sees them (issue 14, S2): its security events
(bans, holds, refusals from abroad) and the bans and holds that concern it, which a tenant
admin lifts when they are its own (a held account, or a ban of one of its learned networks).

``store`` (``BanItem`` in the tenant's partition: ``T#<tenant_id>`` / ``FWBAN#<key>``;
the events themselves are ``events.store.EventItem``\\ s of type ``security.<kind>``),
``service`` (ingest from the edges, list, lift), ``schemas``, ``routes``. A lift reaches
the edges through the tenant's snapshot (``lifted_bans``); the edge removes the ban and its
strikes (kemi_scripts/firewall.py, the ``firewall`` rtimer).
"""
