"""Block lists (F10): numbers or prefixes blocked inbound, outbound or both, for the whole
tenant or one extension; emergency numbers can never be blocked outbound (S4). The edge
applies them (``pbx_core.routing``) from the snapshot. ``store`` (``BlockItem``),
``service``, ``schemas``, ``routes``.
"""
