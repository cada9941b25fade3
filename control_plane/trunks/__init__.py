"""Carrier SIP trunks (F2): registration or IP-authenticated. The carrier password is stored
encrypted, never returned (``has_password`` only), and decrypted only into the edge
snapshot. ``store`` (``TrunkItem``; ``refs`` counts its numbers), ``service``, ``schemas``,
``routes``.
"""
