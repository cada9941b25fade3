"""Tenant events (today: recording quota thresholds 80/90/100 %), newest first.

``store`` (``EventItem``, written by other domains in their own transactions, e.g. the
recording usage change that crosses a threshold), ``service`` (the page a tenant reads),
``routes``, ``schemas``.
"""
