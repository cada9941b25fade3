"""Excel (.xlsx) reports from iterables of records; no AWS. ``cdr_xlsx`` exports CDRs (F9)
through ``xlsx_stream``, a streaming SpreadsheetML writer (see its docstring for why not
openpyxl, which the tests use to read every file back); ``queue_xlsx`` makes the queue and
agent reports (issue 16) with openpyxl: formatted sheets and a chart."""
