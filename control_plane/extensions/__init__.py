"""Extensions (SIP users) of one tenant, their SIP passwords and the rotation of them (S3).

``store`` (``ExtensionItem``: HA1 for the edge, the password encrypted for provisioning),
``service`` (CRUD with the dial-plan checks, rotation, the scheduled ``rotate_due``),
``schemas``, ``routes``. One-time provisioning links are ``provisioning``; desk phones
``devices``.
"""
