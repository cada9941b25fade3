"""The country file of an edge (S4: extensions are not used from abroad), made from a real
public country database and refreshed by a timer (infra/systemd/probox-country-db.timer).

    python -m edge_node.country_db --out /var/lib/probox/countries.txt \\
        [--source /usr/share/tor/geoip --source /usr/share/tor/geoip6] [--source URL] [--min-ranges 200]

Sources (pbx_core.countries reads them all): Debian's ``tor-geoipdb`` (the default: the
IPFire Location database, CC BY-SA 4.0, updated with Debian's security updates), a DB-IP
Lite country CSV, or an RIR's delegated statistics (APNIC's for Vietnam), as files or
https URLs given at deploy. The result keeps Vietnam's ranges only; it is written
atomically and only when it has at least ``--min-ranges`` of them, so a broken download
never replaces a good file (which would refuse every phone). Kamailio re-reads the file
within a minute of a change (kemi_scripts/firewall.py, ``PROBOX_COUNTRY_FILE``).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from pbx_core import countries

DEFAULT_SOURCES = ("/usr/share/tor/geoip", "/usr/share/tor/geoip6")
MIN_RANGES = 200  # Vietnam has ~1,400 IPv4 ranges in the IPFire data; far fewer = a broken source


def read_source(source: str, timeout: float = 60.0) -> str:
    if source.startswith("https://"):
        with urllib.request.urlopen(source, timeout=timeout) as r:  # noqa: S310 - https only, set at deploy
            data: bytes = r.read()
        return data.decode("utf-8", "replace")
    return Path(source).read_text(encoding="utf-8", errors="replace")


def build(sources: Sequence[str], home: str = countries.HOME) -> tuple[str, int]:
    """The country file's text from ``sources`` and how many home ranges it has."""
    spans = [s for src in sources for s in countries.parse(read_source(src))]
    text = countries.compile_file(
        spans,
        home=home,
        source=" + ".join(sources),
        generated=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return text, sum(1 for s in spans if s.country == home)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build the edge's country file (S4) from a public country database")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--source", action="append", help="file or https URL (repeatable); default: tor-geoipdb")
    ap.add_argument("--country", default=countries.HOME)
    ap.add_argument("--min-ranges", type=int, default=MIN_RANGES)
    args = ap.parse_args(argv)
    sources = args.source or list(DEFAULT_SOURCES)
    try:
        text, n = build(sources, args.country)
    except OSError as exc:
        print(f"country_db: cannot read a source: {exc}", file=sys.stderr)
        return 1
    if n < args.min_ranges:
        print(f"country_db: only {n} {args.country} ranges in {sources}: file kept as it was", file=sys.stderr)
        return 1
    write(args.out, text)
    print(f"country_db: {n} {args.country} ranges written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
