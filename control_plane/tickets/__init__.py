"""Tickets (F12): requests a team works on, made from a call, a contact or by hand.

Status new/open/pending/solved/closed, priority, assignee and team, comments with
@mentions (notifications are tenant events, ``events``), the calls linked to the ticket
(with their recordings), SLA timers (first response, resolution) counted in business time
on the tenant's calendar with Vietnam's public holidays (``sla``, the ``holidays``
library: lunar Tết included), search, filters, saved views, export to .xlsx (openpyxl).
A missed or abandoned inbound call opens a ticket with a callback task (``note_call``,
called by CDR ingest).

Files: ``sla`` (the business calendar; pure), ``store`` (tickets, comments, views,
settings, the ticket counter), ``service``, ``schemas``, ``routes``.
"""
