"""The live WebSocket of the local stack: what API Gateway's WebSocket API does in AWS, around
the same handler code (``control_plane.app``'s ``ws_connect`` / ``ws_message`` /
``ws_disconnect``, i.e. ``control_plane/live/sockets.py``).

    python -m infra.live_ws --host 127.0.0.1 --port 8091 --api-port 8092

- ``--port``: browsers' WebSockets (the console server proxies ``/ws`` here, so the browser
  stays on one origin). For each new connection it calls the connect handler with an API
  Gateway-shaped event (connection id, query string, headers) and refuses the handshake with
  the handler's status unless 200; each text message goes to the message handler, the close
  to the disconnect handler.
- ``--api-port``: the API Gateway management API (``POST/GET/DELETE
  /@connections/{connection_id}``, any stage prefix), which the control plane calls with
  boto3's ``apigatewaymanagementapi`` client (``PROBOX_WS_ENDPOINT`` = this address): a
  post is sent to the browser; an unknown connection answers 410 ``GoneException``.

Handlers run in threads (they do blocking DynamoDB calls). Loopback only. The environment is
the control plane's (table, endpoint, secrets, ``PROBOX_WS_ENDPOINT``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import State

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
STAGE = "local"
SEND_TIMEOUT_S = 2.0  # a browser that does not take a message within this is treated as gone
HANDSHAKE_WAIT_S = 1.0  # a post may race the end of its connection's handshake
SWEEP_S = 2.0


class LiveServer:
    """The browsers' side (asyncio) and the management API's side (a thread) of one server."""

    def __init__(self, host: str, port: int, *, connect: Handler, message: Handler, disconnect: Handler) -> None:
        self.host = host
        self.port = port
        self.on_connect, self.on_message, self.on_disconnect = connect, message, disconnect
        self.loop: asyncio.AbstractEventLoop | None = None
        self.ids: dict[ServerConnection, str] = {}
        self.open: dict[str, ServerConnection] = {}
        self.ready: dict[str, asyncio.Event] = {}
        self.forgotten: set[str] = set()

    # --- API Gateway's events ------------------------------------------------------------------
    def event(self, connection_id: str, route: str, **extra: Any) -> dict[str, Any]:
        now_ms = int(time.time() * 1000)
        kinds = {"$connect": "CONNECT", "$disconnect": "DISCONNECT"}
        doc: dict[str, Any] = {
            "requestContext": {
                "routeKey": route,
                "eventType": kinds.get(route, "MESSAGE"),
                "connectionId": connection_id,
                "domainName": f"{self.host}:{self.port}",
                "stage": STAGE,
                "apiId": "local",
                "requestTimeEpoch": now_ms,
                "messageDirection": "IN",
            },
            "isBase64Encoded": False,
        }
        doc.update(extra)
        return doc

    # --- the browsers' side -----------------------------------------------------------------------
    async def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        connection_id = secrets.token_urlsafe(12)
        query = dict(parse_qsl(urlsplit(request.path).query))
        headers = {k: v for k, v in request.headers.raw_items()}
        event = self.event(connection_id, "$connect", queryStringParameters=query or None, headers=headers)
        self.ready[connection_id] = asyncio.Event()
        try:
            result = await asyncio.to_thread(self.on_connect, event, None)
        except Exception as exc:
            result = {"statusCode": 500, "body": str(exc)}
        status = int((result or {}).get("statusCode", 500))
        if status != 200:
            self.ready.pop(connection_id, None)
            return connection.respond(status, str((result or {}).get("body") or "refused") + "\n")
        self.ids[connection] = connection_id
        self.open[connection_id] = connection
        return None

    async def handler(self, connection: ServerConnection) -> None:
        connection_id = self.ids.pop(connection)
        self.ready[connection_id].set()
        try:
            async for data in connection:
                body = data if isinstance(data, str) else data.decode("utf-8", "replace")
                event = self.event(connection_id, "$default", body=body)
                await asyncio.to_thread(self.on_message, event, None)
        except ConnectionClosed:
            pass
        finally:
            await self._forget(connection_id)

    async def _forget(self, connection_id: str) -> None:
        """The connection is over: drop it and tell the disconnect handler, once. Also for a
        connection whose handshake was accepted but never finished (the browser left first):
        websockets then never calls ``handler``, and API Gateway would answer 410 for it."""
        if connection_id in self.forgotten:
            return
        self.forgotten.add(connection_id)
        connection = self.open.pop(connection_id, None)
        if connection is not None:
            self.ids.pop(connection, None)
        self.ready.pop(connection_id, None)
        await asyncio.to_thread(self.on_disconnect, self.event(connection_id, "$disconnect"), None)

    async def _sweep(self, stop: asyncio.Event) -> None:
        """Forget connections that closed without ever reaching ``handler``."""
        while not stop.is_set():
            await asyncio.sleep(SWEEP_S)
            for connection_id, connection in list(self.open.items()):
                ready = self.ready.get(connection_id)
                if connection.state is State.CLOSED and (ready is None or not ready.is_set()):
                    await self._forget(connection_id)

    # --- the management API's side (called from its HTTP threads) --------------------------------
    async def _send(self, connection_id: str, text: str) -> bool:
        """API Gateway answers a post at once: 410 for a connection it no longer has. So does
        this: a connection that is closed, never finished its handshake, or does not take the
        message within SEND_TIMEOUT_S is gone (and forgotten), never a slow answer."""
        connection = self.open.get(connection_id)
        ready = self.ready.get(connection_id)
        if connection is None or ready is None:
            return False
        if not ready.is_set():
            try:
                await asyncio.wait_for(ready.wait(), HANDSHAKE_WAIT_S)
            except TimeoutError:
                if connection.state is not State.OPEN:
                    await self._forget(connection_id)
                    return False
        if connection.state is not State.OPEN:
            await self._forget(connection_id)
            return False
        try:
            await asyncio.wait_for(connection.send(text), SEND_TIMEOUT_S)
        except (ConnectionClosed, TimeoutError):
            await self._forget(connection_id)
            return False
        return True

    async def _close(self, connection_id: str) -> bool:
        connection = self.open.get(connection_id)
        if connection is None:
            return False
        await connection.close(1008, "closed by the server")
        return True

    def post(self, connection_id: str, data: bytes) -> bool:
        assert self.loop is not None
        future = asyncio.run_coroutine_threadsafe(self._send(connection_id, data.decode("utf-8")), self.loop)
        try:
            return future.result(SEND_TIMEOUT_S + HANDSHAKE_WAIT_S + 1)
        except (TimeoutError, CancelledError):
            return False

    def delete(self, connection_id: str) -> bool:
        assert self.loop is not None
        future = asyncio.run_coroutine_threadsafe(self._close(connection_id), self.loop)
        try:
            return future.result(SEND_TIMEOUT_S)
        except (TimeoutError, CancelledError):
            return False

    def known(self, connection_id: str) -> bool:
        return connection_id in self.open or connection_id in self.ready

    async def run(self, stop: asyncio.Event) -> None:
        self.loop = asyncio.get_running_loop()
        async with serve(
            self.handler, self.host, self.port, process_request=self.process_request, server_header="ProBoxLive/1"
        ):
            sweeper = asyncio.create_task(self._sweep(stop))
            await stop.wait()
            sweeper.cancel()


def management_api(live: LiveServer, host: str, port: int) -> ThreadingHTTPServer:
    """The API Gateway management API for ``live`` on ``host:port`` (not started)."""

    class Api(BaseHTTPRequestHandler):
        server_version = "ProBoxLiveApi/1"
        # Keep-alive, as API Gateway's endpoint: the control plane posts each batch of events
        # to every browser of the tenant, and with HTTP/1.0 each post was a new TCP
        # connection (and a thread here). Every answer has a Content-Length. Nagle off: a
        # kept-alive answer's body would wait for the ACK of its headers (infra/chalice_local.py).
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _connection_id(self) -> str | None:
            path = urlsplit(self.path).path
            marker = "/@connections/"
            if marker not in path:
                return None
            return unquote(path.split(marker, 1)[1])

        def _answer(self, status: int, error: str = "") -> None:
            body = json.dumps({"message": error}).encode() if error else b""
            self.send_response(status)
            if error:
                self.send_header("x-amzn-ErrorType", error)
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # post_to_connection
            connection_id = self._connection_id()
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if connection_id is None:
                self._answer(404, "NotFoundException")
            elif live.post(connection_id, data):
                self._answer(200)
            else:
                self._answer(410, "GoneException")

        def do_DELETE(self) -> None:  # delete_connection
            connection_id = self._connection_id()
            if connection_id is not None and live.delete(connection_id):
                self._answer(204)
            else:
                self._answer(410, "GoneException")

        def do_GET(self) -> None:  # get_connection
            connection_id = self._connection_id()
            if connection_id is None or not live.known(connection_id):
                self._answer(410, "GoneException")
                return
            body = json.dumps({"connectedAt": "", "identity": {"sourceIp": "127.0.0.1"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((host, port), Api)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True, help="browsers' WebSockets")
    ap.add_argument("--api-port", type=int, required=True, help="the management API (PROBOX_WS_ENDPOINT)")
    a = ap.parse_args(argv)
    from control_plane import app

    live = LiveServer(a.host, a.port, connect=app.ws_connect, message=app.ws_message, disconnect=app.ws_disconnect)
    api = management_api(live, a.host, a.api_port)
    threading.Thread(target=api.serve_forever, name="management-api", daemon=True).start()

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print(json.dumps({"msg": "live websocket listening", "ws": f"ws://{a.host}:{a.port}/ws",
                          "management_api": f"http://{a.host}:{a.api_port}"}), flush=True)  # fmt: skip
        await live.run(stop)

    try:
        asyncio.run(run())
    finally:
        api.shutdown()
        api.server_close()
    print(json.dumps({"msg": "live websocket stopped"}), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
