"""Exports of calls (F9): CSV in the answer (small exports), CSV and Excel files in S3 with a
short-lived link. Reads through ``cdrs`` (its bulk path and filters); no items of its own,
so no ``store.py``: the files live in S3 under the tenant's prefix (``core.s3``).
"""
