"""The control plane's structured logger (JSON to stdout; CloudWatch on Lambda).

Per-request keys (tenant_id, role, request id) are added by the app's middleware with
the thread-safe key API and cleared after each request: ``chalice local`` serves requests
on threads, and a warm Lambda reuses the process, so nothing may leak into the next one.
Never log tokens, passwords, HA1 or ciphertexts.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

SERVICE = "probox-control-plane"

logger = Logger(service=SERVICE)
