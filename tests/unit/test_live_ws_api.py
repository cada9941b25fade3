"""infra.live_ws's management API (what the control plane's fan-out posts to locally): one
kept-alive connection carries many posts, as API Gateway's endpoint does; each answer ends
where its Content-Length says."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator

import pytest

from infra.live_ws import LiveServer, management_api

pytestmark = pytest.mark.unit


class Browsers(LiveServer):
    """Connections by id, and what each was sent."""

    def __init__(self) -> None:
        super().__init__("127.0.0.1", 0, connect=_unused, message=_unused, disconnect=_unused)
        self.sent: dict[str, list[bytes]] = {"c1": []}

    def post(self, connection_id: str, data: bytes) -> bool:
        if connection_id not in self.sent:
            return False
        self.sent[connection_id].append(data)
        return True


def _unused(event: dict[str, object], context: object) -> dict[str, object]:
    raise AssertionError("not called")


@pytest.fixture
def api() -> Iterator[tuple[Browsers, int]]:
    browsers = Browsers()
    server = management_api(browsers, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield browsers, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_posts_share_one_kept_alive_connection(api: tuple[Browsers, int]) -> None:
    browsers, port = api
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    answers = []
    for n, cid in enumerate(["c1", "c1", "gone", "c1"]):
        conn.request("POST", f"/local/@connections/{cid}", body=f'{{"n":{n}}}'.encode())
        r = conn.getresponse()
        answers.append((r.status, r.read(), r.will_close))
        if n == 0:
            sock = conn.sock
        assert conn.sock is sock  # no new connection
    assert [(status, will_close) for status, _, will_close in answers] == [
        (200, False),
        (200, False),
        (410, False),
        (200, False),
    ]
    assert b"GoneException" in answers[2][1]
    assert browsers.sent["c1"] == [b'{"n":0}', b'{"n":1}', b'{"n":3}']
    conn.close()
