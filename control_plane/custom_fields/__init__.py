"""Custom fields of the contact form, per tenant (issue 17): a tenant admin defines them
(key, label, type, options, required), the contact form and the import show them, and
contacts carry their values (``contacts``). ``store`` (``FieldItem`` in the tenant's
partition, ``CFIELD#<key>``), ``service`` (CRUD and the checking of values), ``schemas``,
``routes``.
"""
