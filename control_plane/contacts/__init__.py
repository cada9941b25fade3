"""Contacts (F13): the people a tenant talks to, gathered from calls and imports.

A contact has a name, a company, an e-mail, several numbers (national form,
``pbx_core.numbers``), an owner (a user of the tenant: the account manager), tags and
segments, notes, consent and do-not-call per channel with the reason, the tenant's own
custom fields (``custom_fields``), and its calls (linked by CDR ingest, ``note_call``).

Keys (``core.keys``): the contact (``T#<t>#CONTACT`` / id); one item per number
(``T#<t>#CNUM#<number>``), which makes the lookup of an incoming caller one GetItem
whatever the number of contacts, and makes a number belong to one contact; one name-index
item per named contact (``T#<t>#CNAME#<xx>`` / given name first), which makes a name search
one Query of a small shard; the contact's calls (``T#<t>#CCALL#<id>``); the national
do-not-call list (``T#<t>#DNC`` / number); imports (``T#<t>#CIMPORT``).

Files: ``names`` (normalisation of names and numbers, masking; pure), ``store`` (items,
raw builders for bulk writes), ``service`` (CRUD, lookup, search, call links, visibility),
``importer`` (CSV/.xlsx parsing, preview, the import job, the do-not-call list), ``exporter``
(segment export to .xlsx/CSV), ``schemas``, ``routes``.
"""
