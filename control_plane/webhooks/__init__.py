"""Signed webhooks per tenant (B2): a tenant's own software receives its call events.

``routes`` (CRUD, secret rotation, ping, the delivery log; tenant admins), ``service``
(CRUD, ``enqueue``: the events a webhook wants become deliveries on the SQS FIFO queue),
``delivery`` (the queue's consumer: sign, send, retry with backoff, log), ``sender`` (one
HTTP attempt; the URL and the receiver's resolved addresses checked against SSRF),
``schemas``, ``store``. The signature scheme is ``pbx_core.webhooksig``.
"""
