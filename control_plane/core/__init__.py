"""What every domain of the control plane shares, and no domain owns.

| module | what |
|---|---|
| ``api`` | route declarations (``Routes``), the request a view gets (``ApiRequest``), mounting on the app |
| ``http`` | domain errors -> HTTP status by error class; JSON answers; the request body parser |
| ``errors`` | the control plane's own error classes (429, 413) |
| ``openapi`` | the OpenAPI 3.1 document, built from the mounted routes and their pydantic models |
| ``schemas`` | base classes of request/response models, shared field types, ``parse`` |
| ``store`` | the DynamoDB single table: base item, connection, transactions, generic reads, snapshot versions |
| ``keys`` | every partition and sort key of the table (the table layout) |
| ``auth`` | API tokens (JWT), roles and the ``Principal`` |
| ``ids`` | random ids, signed cursors, hashing |
| ``crypto`` | encryption of stored secrets (KMS envelope or Fernet) |
| ``ratelimit`` | per-tenant and per-caller request budgets |
| ``s3`` | the S3 client and the tenant's key prefix |
| ``settings``, ``clock``, ``log``, ``metrics`` | environment, time, JSON logs, EMF metrics |

Nothing here imports a domain package (the import-linter contracts in pyproject.toml check it).
"""
