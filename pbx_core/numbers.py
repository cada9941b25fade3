"""Vietnamese telephone numbers: normalisation and classification (F2, S4, F10).

Everything the edge compares, blocks, bills or sends to a carrier is first brought to one
form by :func:`parse`:

* national numbers keep the trunk prefix ``0``: mobile ``0`` + 9 digits (``0912345678``),
  fixed ``02`` + 9 digits (``02873001234``, area code included);
* ``+84…``, ``84…`` and ``0084…`` are the same national numbers written internationally;
* service numbers are kept as dialled: toll-free ``1800`` and premium ``1900`` followed by
  4 or 6 digits, emergency ``112``–``115``;
* anything else behind ``+`` or the international prefix ``00`` is international
  (``national`` = ``00`` + country code + number, ``e164`` = ``+`` + the same digits).

Separators that people type or paste (spaces, ``-``, ``.``, ``(``, ``)``) are ignored.
Pure functions, standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MOBILE = "mobile"
FIXED = "fixed"
TOLLFREE = "tollfree"  # 1800
PREMIUM = "premium"  # 1900
EMERGENCY = "emergency"
INTERNATIONAL = "international"
KINDS = (MOBILE, FIXED, TOLLFREE, PREMIUM, EMERGENCY, INTERNATIONAL)

# 112 search and rescue, 113 police, 114 fire, 115 ambulance.
EMERGENCY_NUMBERS = frozenset({"112", "113", "114", "115"})

COUNTRY_CODE = "84"
INTERNATIONAL_PREFIX = "00"

# Mobile: 0 + 3/5/7/8/9 + 8 digits since the 2018 renumbering (allocated today: 032-039,
# 052-059, 070, 076-079, 081-089, 09x; new ranges are not refused here, the carrier decides).
_MOBILE_RE = re.compile(r"0[35789][0-9]{8}")
# Fixed lines since 2017: 02 + area code + subscriber = 11 digits with the leading 0.
_FIXED_RE = re.compile(r"02[0-9]{9}")
_SERVICE_RE = re.compile(r"(1800|1900)(?:[0-9]{4}|[0-9]{6})")
_SEPARATORS = str.maketrans("", "", " -.()\t")


@dataclass(frozen=True)
class PhoneNumber:
    kind: str
    national: str  # the canonical form used everywhere inside ProBox (see module doc)
    e164: str = ""  # "+84…" / "+<cc>…"; "" for service and emergency numbers

    @property
    def is_vietnamese(self) -> bool:
        return self.kind != INTERNATIONAL


def digits_of(text: str) -> str:
    """``text`` without visual separators ("" if anything but digits and a leading +)."""
    s = text.strip().translate(_SEPARATORS)
    body = s[1:] if s.startswith("+") else s
    return s if body.isdigit() and body.isascii() else ""


def _national(sig: str) -> PhoneNumber | None:
    """A number with its trunk prefix 0 (``sig`` starts with 0)."""
    if _MOBILE_RE.fullmatch(sig):
        return PhoneNumber(MOBILE, sig, "+84" + sig[1:])
    if _FIXED_RE.fullmatch(sig):
        return PhoneNumber(FIXED, sig, "+84" + sig[1:])
    return None


def _international(digits: str) -> PhoneNumber | None:
    """Country code + number, without any prefix."""
    if digits.startswith(COUNTRY_CODE):
        return _national("0" + digits[len(COUNTRY_CODE) :])
    if digits.startswith("0") or not 7 <= len(digits) <= 15:
        return None
    return PhoneNumber(INTERNATIONAL, INTERNATIONAL_PREFIX + digits, "+" + digits)


def parse(dialled: str) -> PhoneNumber | None:
    """The number ``dialled`` means, or None when it is not a valid number."""
    s = digits_of(dialled)
    if not s:
        return None
    if s.startswith("+"):
        return _international(s[1:])
    if s in EMERGENCY_NUMBERS:
        return PhoneNumber(EMERGENCY, s)
    m = _SERVICE_RE.fullmatch(s)
    if m:
        return PhoneNumber(TOLLFREE if m.group(1) == "1800" else PREMIUM, s)
    if s.startswith(INTERNATIONAL_PREFIX):
        return _international(s[len(INTERNATIONAL_PREFIX) :])
    if s.startswith("0"):
        return _national(s)
    if s.startswith(COUNTRY_CODE) and len(s) in (11, 12):  # 84 + 9 (mobile) or 10 (fixed) digits
        return _national("0" + s[len(COUNTRY_CODE) :])
    return None


def parse_caller(presented: str) -> PhoneNumber | None:
    """A caller id as carriers present it: like :func:`parse`, and also a national
    number whose leading 0 was dropped (``912345678``), which many carriers send."""
    n = parse(presented)
    if n is None:
        s = digits_of(presented)
        if s and s[0] in "23456789":
            n = _national("0" + s)
    return n


def carrier_format(number: PhoneNumber) -> str:
    """The Request-URI user a Vietnamese carrier expects: the national form
    (``0912345678``, ``02873001234``), service numbers as dialled (``18001234``,
    ``113``), international ``00`` + country code + number."""
    return number.national


def pattern_key(pattern: str) -> tuple[str, bool] | None:
    """A block-list pattern as (normalised text, is_prefix). Exact patterns are numbers
    (any accepted notation); prefixes end with ``*`` and are compared on the national
    form (``+8419*`` and ``019*`` are the same prefix). ``anonymous`` matches callers
    that present no usable number. None = unusable pattern (ignored)."""
    p = pattern.strip()
    if p.lower() == "anonymous":
        return ("anonymous", False)
    if p.endswith("*"):
        head = digits_of(p[:-1])
        if p[:-1].strip() == "":
            return ("", True)  # "*" blocks everything in its direction
        if not head:
            return None
        if head.startswith("+84"):
            head = "0" + head[3:]
        elif head.startswith("+"):
            head = INTERNATIONAL_PREFIX + head[1:]
        elif head.startswith("0084"):
            head = "0" + head[4:]
        return (head, True)
    n = parse(p)
    if n is None:
        return None
    return (n.national, False)


def matches(pattern: str, number: PhoneNumber | None) -> bool:
    """Does a block-list ``pattern`` cover ``number`` (None = anonymous caller)?"""
    key = pattern_key(pattern)
    if key is None:
        return False
    text, prefix = key
    if number is None:
        return text == "anonymous" or (prefix and text == "")
    if prefix:
        return number.national.startswith(text)
    return number.national == text


# --- what tenants may own and block (the control plane's checks) -----------------------------
# A DID is a number the public network can call: fixed, mobile, 1800 or 1900.
DID_KINDS = (FIXED, MOBILE, TOLLFREE, PREMIUM)
_PATTERN_DIGITS_RE = re.compile(r"[0-9]{1,15}")


def did(raw: str) -> PhoneNumber:
    """A DID in national form (``+84``/``84``/``0084`` and separators accepted); ValueError
    with a message a tenant admin understands otherwise."""
    number = parse(raw)
    if number is None or number.kind not in DID_KINDS:
        raise ValueError("a Vietnamese number: 0 + 9-10 digits (fixed 02x, mobile 03/05/07/08/09), 1800x or 1900x")
    return number


def block_pattern(raw: str) -> str:
    """A block rule as stored: a number, or a prefix ending in ``*``, in national form
    (``+84`` becomes ``0``; another ``+<country>`` becomes ``00<country>``, as dialled from
    Vietnam). ValueError with a message otherwise."""
    s = raw.strip()
    star = s.endswith("*")
    body = (s[:-1] if star else s).translate(_SEPARATORS)
    if body.startswith("+84"):
        body = "0" + body[3:]
    elif body.startswith("+"):
        body = INTERNATIONAL_PREFIX + body[1:]
    elif body.startswith(COUNTRY_CODE) and len(body) in (11, 12):
        body = "0" + body[len(COUNTRY_CODE) :]
    if not _PATTERN_DIGITS_RE.fullmatch(body):
        raise ValueError("digits (national form, +84 accepted), optionally ending with '*' for a prefix")
    return body + ("*" if star else "")


def blocks_emergency(pattern: str) -> bool:
    """Would an outbound block rule with this (stored) pattern block an emergency number?"""
    if pattern.endswith("*"):
        prefix = pattern[:-1]
        return any(e.startswith(prefix) for e in EMERGENCY_NUMBERS)
    return pattern in EMERGENCY_NUMBERS
