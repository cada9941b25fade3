"""Small validators shared by the API and the edge."""

from __future__ import annotations

import re

from pbx_core.errors import ValidationError

_EXT_RE = re.compile(r"^[1-9][0-9]{1,5}$")
# A SIP domain per tenant: DNS-like labels, lowercase.
_DOMAIN_RE = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")


def extension_number(value: object) -> str:
    """Extensions are 2–6 digits and do not start with 0 (0 starts national numbers)."""
    if not isinstance(value, str) or not _EXT_RE.match(value):
        raise ValidationError(
            "extension number must be 2-6 digits not starting with 0",
            fields={"number": "2-6 digits, first digit 1-9"},
        )
    return value


def sip_domain(value: object) -> str:
    if not isinstance(value, str) or not _DOMAIN_RE.match(value.lower()):
        raise ValidationError("invalid SIP domain", fields={"domain": "a DNS name like acme.probox.vn"})
    return value.lower()


def text(value: object, field: str, *, max_len: int = 200, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > max_len:
        raise ValidationError(
            f"{field} must be a non-empty string of at most {max_len} characters", fields={field: "required string"}
        )
    return value.strip()
