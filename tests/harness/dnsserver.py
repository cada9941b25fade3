"""A name server of the test's own on a loopback port (issue 13's DNS-rebinding tests): it
answers A/AAAA for the names the test sets, NXDOMAIN for the others, and can change an
answer while running (a rebinding). Built with dnspython's message classes."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dns.exception
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from infra.procs import LOCALHOST, free_port


class TestDns:
    __test__ = False  # not a pytest class

    def __init__(self, records: dict[str, list[str]]) -> None:
        self.records = {k.rstrip(".").lower(): list(v) for k, v in records.items()}
        self.port = free_port("udp")
        self.queries: list[str] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((LOCALHOST, self.port))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="test-dns", daemon=True)

    @property
    def spec(self) -> str:
        """The value for ``PROBOX_EDGE_DNS``."""
        return f"{LOCALHOST}:{self.port}"

    def set(self, name: str, addresses: list[str]) -> None:
        self.records[name.rstrip(".").lower()] = list(addresses)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                query = dns.message.from_wire(data)
            except dns.exception.DNSException:  # a test server ignores junk
                continue
            response = dns.message.make_response(query)
            question = query.question[0]
            name = question.name.to_text().rstrip(".").lower()
            self.queries.append(name)
            if name not in self.records:
                response.set_rcode(dns.rcode.NXDOMAIN)
            else:
                want = question.rdtype
                addresses = [a for a in self.records[name] if (":" in a) == (want == dns.rdatatype.AAAA)]
                if addresses and want in (dns.rdatatype.A, dns.rdatatype.AAAA):
                    rdtype = "AAAA" if want == dns.rdatatype.AAAA else "A"
                    response.answer.append(dns.rrset.from_text(question.name, 1, "IN", rdtype, *addresses))
            self._sock.sendto(response.to_wire(), peer)

    def start(self) -> TestDns:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


@contextmanager
def dns_server(records: dict[str, list[str]]) -> Iterator[TestDns]:
    server = TestDns(records).start()
    try:
        yield server
    finally:
        server.stop()
