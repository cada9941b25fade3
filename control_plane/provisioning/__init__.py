"""Provisioning: the one-time link that hands an extension's SIP credentials to a phone or
app (S3: the only way a SIP password leaves the control plane; desk phones use their
per-device URL, ``devices``). ``store`` (``ProvisioningItem``), ``service``, ``schemas``,
``routes``.
"""
