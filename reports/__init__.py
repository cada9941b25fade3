"""Excel (.xlsx) reports from iterables of records (openpyxl); no AWS. Filled by the
reporting work (F9)."""
