"""Pure helpers of contacts: name keys for the search index, numbers, masking."""

from __future__ import annotations

import re
import unicodedata

from pbx_core import numbers

_NOT_WORD = re.compile(r"[^a-z0-9]+")
SHARD_CHARS = 2  # name-index shards: the first 2 characters of the key
MAX_KEY = 120


def fold(text: str) -> str:
    """Lower case, Vietnamese diacritics removed (đ -> d), anything but letters and digits a
    single space: "Nguyễn Thị Ánh" -> "nguyen thi anh"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NOT_WORD.sub(" ", plain).strip()


def name_key(name: str) -> str:
    """The index key of a name: the given name (last word, as Vietnamese names are written)
    first, then the others: "Nguyễn Văn An" -> "an nguyen van". "" for a name without
    letters or digits."""
    words = fold(name).split()
    if not words:
        return ""
    return " ".join([words[-1], *words[:-1]])[:MAX_KEY]


def shard(key: str) -> str:
    """The shard of a name key (or of a search prefix of at least SHARD_CHARS characters)."""
    return key[:SHARD_CHARS].ljust(SHARD_CHARS, "_").replace(" ", "_")


def national(raw: str) -> str | None:
    """A contact number in national form, or None. Numbers as callers present them too
    (a national number without its 0); emergency numbers are no contact's."""
    n = numbers.parse_caller(raw)
    if n is None or n.kind == numbers.EMERGENCY:
        return None
    return n.national


def mask(number: str) -> str:
    """What an agent without the right to see numbers sees: the first 3 and the last 3
    digits ("0912345678" -> "091****678"); short numbers are all stars but the last 2."""
    if len(number) <= 6:
        return "*" * max(0, len(number) - 2) + number[-2:]
    return number[:3] + "*" * (len(number) - 6) + number[-3:]
