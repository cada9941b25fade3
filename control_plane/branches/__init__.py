"""Branches (F6): offices of one tenant; extensions belong to one, and other branches reach
them by the branch's short-dial prefix (``pbx_core.dialplan`` keeps every short number
reachable). ``store`` (``BranchItem``), ``service``, ``schemas``, ``routes``.
"""
