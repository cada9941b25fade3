"""Users, roles, login sessions and API keys; and who is calling (``service.resolve``: the
bearer token checked against the table, used by the app's authorizer and by every view).

``store`` (``UserItem``, ``ApiKeyItem`` and its lookup, ``SessionItem``, ``ThrottleItem``),
``passwords`` (scrypt), ``service``, ``schemas``, ``routes`` (login, logout, me, users, API
keys).
"""
