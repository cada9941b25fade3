"""The edge's signing key file: the secret Kamailio and the edge's media workers share, so
that a worker acts only on decisions its own edge signed (pbx_core.edgesig).

One file per edge node, in its state directory (``/var/lib/probox/signing.key``), mode 0600,
owned by the service user; 32 random bytes, hex. It never leaves the host: the control
plane does not know it, and nothing sends it anywhere (it is not the key the control plane
seals carrier passwords to). ``ensure()`` creates it the first time a process of the edge
starts: the Kamailio unit runs ``python -m edge_node.signing_key PATH`` before Kamailio, a
worker calls it at start, the local stack and the tests before starting them. Concurrent
first starts agree on one key (the file appears atomically and is never replaced).
Rotation: stop the edge's processes, delete the file, start them again.

    python -m edge_node.signing_key /var/lib/probox/signing.key   # create if missing
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from pathlib import Path

from pbx_core import edgesig


def read(path: Path) -> bytes:
    """The key in ``path``; ValueError when it is not a key, or readable by others."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        if stat.S_IMODE(os.fstat(f.fileno()).st_mode) & 0o077:
            raise ValueError(f"{path}: the edge key must be readable by its owner only (chmod 0600)")
        return edgesig.parse_key(f.read(4096))


def ensure(path: Path) -> bytes:
    """The key in ``path``, created (mode 0600) when there is none yet."""
    try:
        return read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(edgesig.new_key_text())
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use its key
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return read(path)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m edge_node.signing_key PATH", file=sys.stderr)
        return 2
    try:
        ensure(Path(args[0]))
    except (OSError, ValueError) as exc:
        print(f"signing key: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
