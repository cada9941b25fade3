"""Devices (desk phones) of a tenant: vendor, model, MAC, the extension they carry, and the
per-device provisioning URL that serves the vendor's config file (``templates``).

``store`` (``DeviceItem``, the token lookup ``DeviceTokenItem``), ``service``, ``schemas``,
``routes``.
"""
