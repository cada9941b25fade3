"""``chalice local`` as the local stack runs it: the same command line, with Nagle's algorithm
off on the server's connections (``TCP_NODELAY``).

Chalice's local server answers HTTP/1.1 with keep-alive and writes a response's headers and its
body in two sends. With Nagle on, the body waits for the client's ACK of the headers, which
Linux delays by up to 40 ms on a kept-alive connection: every answer after a client's first
took ~44 ms, even ``GET /v1/health`` (measured here: 1.4 ms for the first request on a
connection, then 44 ms each). API Gateway has no such stall; an edge posting events, the
console and the tests all paid it.

    python -m infra.chalice_local local --host 127.0.0.1 --port 8000 --no-autoreload
"""

from __future__ import annotations

import sys

from chalice import local
from chalice.cli import main as chalice_main


def main() -> int:
    local.ChaliceRequestHandler.disable_nagle_algorithm = True  # socketserver sets TCP_NODELAY in setup()
    sys.argv[0] = "chalice"
    code: int = chalice_main()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
