"""Call notes (issue 17, CC3): the agent's wrap-up of a call, its disposition (a code of the
tenant's list) and notes, keyed by the call id, linked to a contact and a ticket.

``routes`` (``PUT``/``GET /v1/calls/{call_id}/wrapup``, ``GET``/``PUT /v1/dispositions``),
``service`` (who may write a call's note, validation, the summaries CDR search and contact
history show), ``schemas``, ``store``.
"""
