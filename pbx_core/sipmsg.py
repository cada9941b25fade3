"""Reading a SIP message's header fields the way SIP parsers do (RFC 3261 §7.3).

pjsua2 hands the worker the raw text of a request (``SipRxData.wholeMsg``), not pjsip's
parsed headers. Splitting that text on line breaks reads a folded continuation line
(``Subject: x`` then `` X-PBX-Trunk: y``) as a header of its own, which neither Kamailio
nor pjsip does: a phone could then set a header the edge never saw. Here a line starting
with a space or a tab continues the previous header's value, compact names (``i``, ``f``,
``r``...) are expanded, and names compare case-insensitively. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

# RFC 3261 §7.3.3 and the RFCs of the extensions pjsip knows: compact form -> full name.
COMPACT = {
    "i": "call-id",
    "m": "contact",
    "e": "content-encoding",
    "l": "content-length",
    "c": "content-type",
    "f": "from",
    "s": "subject",
    "k": "supported",
    "t": "to",
    "v": "via",
    "r": "refer-to",
    "b": "referred-by",
    "o": "event",
    "u": "allow-events",
    "x": "session-expires",
}


@dataclass(frozen=True)
class SipHead:
    """The start line and the header fields (lower-case full names, values trimmed, in
    message order) of a SIP message."""

    start_line: str
    fields: tuple[tuple[str, str], ...]

    def all(self, name: str) -> list[str]:
        key = name.lower()
        key = COMPACT.get(key, key)
        return [v for k, v in self.fields if k == key]

    def get(self, name: str) -> str:
        """The first value of ``name`` ("" = absent)."""
        values = self.all(name)
        return values[0] if values else ""

    @property
    def request_uri(self) -> str:
        parts = self.start_line.split()
        return parts[1] if len(parts) >= 3 and not self.start_line.startswith("SIP/") else ""


def parse_head(message: str) -> SipHead:
    """The header section of a SIP message's text (the body is not read)."""
    end = message.find("\r\n\r\n")
    if end < 0:
        end = message.find("\n\n")
    head = message if end < 0 else message[:end]
    lines = head.replace("\r\n", "\n").split("\n")
    fields: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t"):
            if fields:  # folded: the value goes on (RFC 3261 §7.3.1, LWS = one space)
                name, value = fields[-1]
                fields[-1] = (name, f"{value} {line.strip()}".strip())
            continue
        name, sep, value = line.partition(":")
        name = name.strip().lower()
        if not sep or not name or any(c in name for c in " \t"):
            continue  # not a header field line; pjsip would have refused the message
        fields.append((COMPACT.get(name, name), value.strip()))
    return SipHead(lines[0].strip(), tuple(fields))
