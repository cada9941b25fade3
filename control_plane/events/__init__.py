"""Tenant events (recording quota thresholds, security and fraud decisions, contact.* and
ticket.*: also sent to the tenant's webhooks, ``webhooks.service.publish``), newest first.

``store`` (``EventItem``, written by other domains in their own transactions, e.g. the
recording usage change that crosses a threshold), ``service`` (the page a tenant reads),
``routes``, ``schemas``.
"""
