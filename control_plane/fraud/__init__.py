"""The toll-fraud guard that learns (issue 14 item 5, S3): per extension and per tenant
baselines learned from the CDRs at ingest (``pbx_core.fraud`` decides), the tenant's
settings (policy, scores, caps), the fraud state of each extension, and the holds that
reach the edges through the snapshot.

A domain of its own rather than part of ``security``: ``security`` stores what the edges'
firewall decided about addresses; this one learns from call records, runs inside CDR
ingest (``cdrs`` calls ``service.observe``) and keeps per-extension state. Both write
their decisions as ``security.*`` events (``events.store``).

``store`` (``FraudStateItem`` per extension and the tenant's, in ``T#<tenant_id>#FRAUD``;
``FraudSettingsItem`` and ``FraudHoldItem`` in the tenant's partition, the hold read by the
snapshot), ``service`` (observe, settings, states, lift, alert e-mails), ``schemas``,
``routes``.
"""
