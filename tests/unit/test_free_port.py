"""free_port: ports picked one after another are never the same, even before anything binds them."""

from __future__ import annotations

from infra.procs import PORT_MAX, PORT_MIN, free_port


def test_ports_picked_before_any_bind_are_distinct() -> None:
    # 400 picks from 12,000 ports: without the record of handed-out ports, a repeat is
    # near certain (birthday bound ~99.9 %), so this fails on the old helper.
    ports = [free_port() for _ in range(400)]
    assert len(set(ports)) == len(ports)
    assert all(PORT_MIN <= p < PORT_MAX for p in ports)
