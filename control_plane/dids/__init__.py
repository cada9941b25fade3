"""Numbers / DIDs (F2): fixed-line, mobile, 1800 and 1900 numbers a tenant owns, each on a
trunk and routed to an extension. A number belongs to one tenant across the whole service
(a claim item), so inbound calls have exactly one owner. ``store`` (``NumberItem``;
``refs`` counts the extensions and the tenant using it as caller id), ``service``,
``schemas``, ``routes``.

The package is ``dids``, not ``numbers``: ``numbers`` is a standard-library module, which
a package of that name would shadow where the project folder is on ``sys.path``
(``chalice local`` puts it first).
"""
