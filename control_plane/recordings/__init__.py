"""Call recordings (F7): exact per-tenant usage, quota levels and their events, the
full-quota policy, retention (``housekeeping``, scheduled), and presigned playback links.

``store`` (``RecordingItem``; the usage change written in the same transaction as the
recording items it counts), ``service``, ``schemas``, ``routes`` (a call's recording link,
the tenant's usage).
"""
