"""The web console's local server, and its OpenAPI document for the generated client.

    python -m infra.console openapi        # the API's OpenAPI document (JSON) on stdout
    python -m infra.console serve --dist web/dist --api http://127.0.0.1:8000 --port 8080 \
        [--ws http://127.0.0.1:8091]

``serve`` serves the built console (``web/dist``: ``make web``) and proxies ``/v1/`` and
``/provision/`` to the control plane (``chalice local``), and the live WebSocket ``/ws`` to
the local WebSocket server (``infra/live_ws.py``), so the console, the API and the WebSocket
share one origin as they do behind CloudFront in AWS (``template.yaml``: ``/v1/*`` routed to
API Gateway, ``/ws`` to the WebSocket API): no CORS, and the token never goes to a second
origin. Standard library only; one thread per request (and per open WebSocket). The answers
carry the console's security headers: a Content Security Policy that allows scripts, styles,
API calls and the WebSocket from the console's own origin only, and audio (the recordings'
presigned links) from the object store's origin too.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import mimetypes
import socket
import sys
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

PROXIED = ("/v1/", "/provision/")
LIVE_PATH = "/ws"  # the live WebSocket (LiveTicketOut.url)
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".png": "image/png",
    ".woff2": "font/woff2",
}
COMPRESSIBLE = (".html", ".js", ".css", ".svg", ".json")
UPSTREAM_TIMEOUT_S = 60.0  # an Excel export of 100,000 calls runs inside the request


def openapi_document() -> dict[str, Any]:
    """The control plane's OpenAPI document, built from its routes (no AWS, no settings)."""
    from control_plane import app

    doc: dict[str, Any] = app.API.document()
    return doc


def content_security_policy(media_origins: Iterable[str] = ()) -> str:
    """The console's CSP: everything from its own origin; audio also from the object store
    (the recordings' presigned links); nothing inline, nothing framed."""
    media = " ".join(["'self'", *media_origins])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
        f"connect-src 'self'; media-src {media}; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )


def security_headers(media_origins: Iterable[str] = ()) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(media_origins),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


class ConsoleHandler(BaseHTTPRequestHandler):
    """Static files of the console, and the API through a reverse proxy."""

    server_version = "ProBoxConsole/1"
    dist: ClassVar[Path]
    upstream: ClassVar[tuple[str, int]]
    ws_upstream: ClassVar[tuple[str, int] | None]
    headers_out: ClassVar[dict[str, str]]
    _gz: ClassVar[dict[Path, tuple[float, bytes]]] = {}
    _gz_lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:  # one JSON line per request
        line = {"msg": "request", "client": self.client_address[0], "line": format % args}
        sys.stderr.write(json.dumps(line) + "\n")

    # --- dispatch -----------------------------------------------------------------------------
    def _dispatch(self) -> None:
        path = urlsplit(self.path).path
        if path == LIVE_PATH and self.ws_upstream and self.headers.get("Upgrade", "").lower() == "websocket":
            self._tunnel()
        elif path.startswith(PROXIED):
            self._proxy()
        elif self.command in ("GET", "HEAD"):
            self._static(path)
        else:
            self._plain(405, "method not allowed")

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _dispatch

    # --- static files -------------------------------------------------------------------------
    def _static(self, path: str) -> None:
        rel = "index.html" if path in ("/", "/index.html") else path.lstrip("/")
        root = self.dist.resolve()
        target = (root / rel).resolve()
        if root not in target.parents or not target.is_file():
            self._plain(404, "not found")
            return
        body = target.read_bytes()
        ctype = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        headers = dict(self.headers_out)
        # Hashed assets never change under their name; index.html names the current ones.
        immutable = rel.startswith("assets/")
        headers["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
        if target.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = self._gzip(target, body)
            headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        self._send(200, ctype, body, headers)

    def _gzip(self, target: Path, body: bytes) -> bytes:
        mtime = target.stat().st_mtime
        with self._gz_lock:
            cached = self._gz.get(target)
            if cached is None or cached[0] != mtime:
                cached = (mtime, gzip.compress(body, compresslevel=6, mtime=0))
                self._gz[target] = cached
            return cached[1]

    def _plain(self, status: int, text: str) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode(), dict(self.headers_out))

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # --- the API ------------------------------------------------------------------------------
    def _proxy(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-For"] = self.client_address[0]
        headers["X-Forwarded-Proto"] = "http"
        host, port = self.upstream
        conn = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT_S)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except OSError as exc:
            err = {"error": {"code": "bad_gateway", "message": f"the API is not reachable: {exc}", "fields": {}}}
            self._send(502, "application/json", json.dumps(err).encode(), {})
            return
        finally:
            conn.close()
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    # --- the live WebSocket -------------------------------------------------------------------
    def _tunnel(self) -> None:
        """Pass the upgrade request to the WebSocket server, then copy bytes both ways until
        either side closes (the WebSocket itself is between the browser and that server)."""
        assert self.ws_upstream is not None
        try:
            upstream = socket.create_connection(self.ws_upstream, timeout=10)
        except OSError as exc:
            message = f"the live WebSocket is not reachable: {exc}"
            err = {"error": {"code": "bad_gateway", "message": message, "fields": {}}}
            self._send(502, "application/json", json.dumps(err).encode(), {})
            return
        head = [f"{self.command} {self.path} HTTP/1.1"]
        head += [f"{k}: {v}" for k, v in self.headers.items() if k.lower() != "x-forwarded-for"]
        head.append(f"X-Forwarded-For: {self.client_address[0]}")
        upstream.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        upstream.settimeout(None)
        self.connection.settimeout(None)
        self.close_connection = True

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while chunk := src.recv(65536):
                    dst.sendall(chunk)
            except OSError:
                pass
            finally:
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        back = threading.Thread(target=pump, args=(upstream, self.connection), daemon=True)
        back.start()
        pump(self.connection, upstream)
        back.join(5)
        upstream.close()


def make_server(
    dist: Path,
    api_url: str,
    host: str,
    port: int,
    media_origins: Iterable[str] = (),
    ws_url: str | None = None,
) -> ThreadingHTTPServer:
    """A server for ``dist`` that proxies the API at ``api_url`` (http://host:port)."""
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist}/index.html is missing: build the console first (make web)")
    api = urlsplit(api_url)
    if api.scheme != "http" or not api.hostname:
        raise ValueError(f"the API must be an http:// URL on this machine, not {api_url!r}")
    ws = urlsplit(ws_url) if ws_url else None
    if ws is not None and (ws.scheme not in ("http", "ws") or not ws.hostname):
        raise ValueError(f"the live WebSocket must be an http:// or ws:// URL on this machine, not {ws_url!r}")
    handler = type(
        "Handler",
        (ConsoleHandler,),
        {
            "dist": dist,
            "upstream": (api.hostname, api.port or 80),
            "ws_upstream": (ws.hostname, ws.port or 80) if ws is not None and ws.hostname else None,
            "headers_out": security_headers(media_origins),
            "_gz": {},
        },
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("openapi", help="print the API's OpenAPI document")
    s = sub.add_parser("serve", help="serve the built console and proxy the API")
    s.add_argument("--dist", type=Path, default=Path(__file__).resolve().parent.parent / "web" / "dist")
    s.add_argument("--api", required=True, help="the control plane, e.g. http://127.0.0.1:8000")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8080)
    s.add_argument("--media-origin", action="append", default=[], help="origin of recording links (CSP)")
    s.add_argument("--ws", help="the live WebSocket server (infra/live_ws.py), e.g. http://127.0.0.1:8091")
    a = ap.parse_args(argv)
    if a.command == "openapi":
        json.dump(openapi_document(), sys.stdout)
        sys.stdout.write("\n")
        return 0
    server = make_server(a.dist, a.api, a.host, a.port, a.media_origin, a.ws)
    print(json.dumps({"msg": "console listening", "url": f"http://{a.host}:{a.port}/", "api": a.api}), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
