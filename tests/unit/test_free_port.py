"""free_port: ports picked one after another are never the same, even before anything binds them."""

from __future__ import annotations

import random

import pytest

from infra import procs
from infra.procs import LOCALHOST, PORT_MAX, PORT_MIN, bindable, free_port


def test_ports_picked_before_any_bind_are_distinct() -> None:
    # 400 picks from 12,000 ports: without the record of handed-out ports, a repeat is
    # near certain (birthday bound ~99.9 %), so this fails on the old helper.
    ports = [free_port() for _ in range(400)]
    assert len(set(ports)) == len(ports)
    assert all(PORT_MIN <= p < PORT_MAX for p in ports)


def test_a_span_hands_out_every_port_it_covers(monkeypatch: pytest.MonkeyPatch) -> None:
    # A phone's SIP pair (port, port + 1), then its control port: the random draws offer
    # the pair's second port again, which must be skipped for the next one.
    base = next(
        b
        for b in (PORT_MIN + random.randrange(2000, 10000) for _ in range(100))
        if bindable(LOCALHOST, (b, b + 1, b + 7))
    )
    draws = iter([base, base + 1, base + 7])
    monkeypatch.setattr(procs.random, "randrange", lambda *_: next(draws))
    monkeypatch.setattr(procs, "_HANDED_OUT", type(procs._HANDED_OUT)(maxlen=512))
    assert free_port(span=2) == base
    assert free_port() == base + 7
