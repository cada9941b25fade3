"""Vietnamese phone numbers, the minimum the API needs to validate DIDs and block rules.

Private to the control plane on purpose: ``pbx_core/numbers.py`` (shared normalisation
for the edge) is written elsewhere; when it lands this module should delegate to it.

National form: fixed lines ``02`` + 9 digits (11 digits), mobiles ``0[35789]`` + 8 digits
(10 digits), toll-free ``1800`` and premium ``1900`` + 4 or 6 digits. ``+84``/``84`` and
separators (space, dot, dash, parentheses) are accepted on input and removed.
"""

from __future__ import annotations

import re

EMERGENCY = ("112", "113", "114", "115")  # always reachable (S4); never blockable outbound

_SEPARATORS = re.compile(r"[ .()\-]")
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mobile", re.compile(r"^0[35789][0-9]{8}$")),
    ("fixed", re.compile(r"^02[0-9]{9}$")),
    ("tollfree", re.compile(r"^1800(?:[0-9]{4}|[0-9]{6})$")),
    ("premium", re.compile(r"^1900(?:[0-9]{4}|[0-9]{6})$")),
)
_PATTERN_RE = re.compile(r"^[0-9]{1,15}\*?$")


def national(raw: str) -> str:
    """Strip separators and turn +84/84 into the leading 0 (no validation)."""
    s = _SEPARATORS.sub("", raw.strip())
    if s.startswith("+84"):
        return "0" + s[3:]
    if s.startswith("84") and len(s) in (11, 12):
        return "0" + s[2:]
    return s


def kind(number: str) -> str | None:
    """fixed | mobile | tollfree | premium for a national number, None if it is none of them."""
    for name, rx in _KINDS:
        if rx.match(number):
            return name
    return None


def did(raw: str) -> tuple[str, str]:
    """(national number, kind) of a DID; ValueError with a readable message otherwise."""
    number = national(raw)
    k = kind(number)
    if k is None:
        raise ValueError("a Vietnamese number: 0 + 9-10 digits (fixed 02x, mobile 03/05/07/08/09), 1800x or 1900x")
    return number, k


def block_pattern(raw: str) -> str:
    """A block rule: a number, or a prefix ending in '*', in national form."""
    s = raw.strip()
    star = s.endswith("*")
    body = national(s[:-1] if star else s)
    if s.startswith("+") and not s.startswith("+84"):
        body = "00" + body.lstrip("+")  # an international number as dialled from Vietnam
    if not _PATTERN_RE.match(body + ("*" if star else "")) or not body:
        raise ValueError("digits (national form, +84 accepted), optionally ending with '*' for a prefix")
    return body + ("*" if star else "")


def blocks_emergency(pattern: str) -> bool:
    """True when an outbound rule with this pattern would block an emergency number."""
    if pattern.endswith("*"):
        prefix = pattern[:-1]
        return any(e.startswith(prefix) for e in EMERGENCY)
    return pattern in EMERGENCY
