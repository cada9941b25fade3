"""Queue and agent reports (issue 16 item 5): Excel workbooks of a period's queue events
(``reports.queue_xlsx``) in S3 with a short-lived link, like the CDR Excel export. Reads
through ``queue_events`` and ``queues``; no items of its own, so no ``store.py``.
"""
