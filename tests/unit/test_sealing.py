"""Secrets sealed to one edge (pbx_core.sealing)."""

from __future__ import annotations

import pytest

from pbx_core import sealing
from pbx_core.errors import ValidationError


def test_only_the_edge_with_the_key_opens_it_and_only_in_its_place() -> None:
    mine, other = sealing.new_private_key(), sealing.new_private_key()
    ctx = sealing.trunk_context("t_0000000000000001", "trk_000000000001")
    sealed = sealing.seal(sealing.public_key(mine), "carrier-pass", ctx)
    assert sealed.startswith("seal1:") and "carrier-pass" not in sealed
    assert sealing.open_sealed(mine, sealed, ctx) == "carrier-pass"
    with pytest.raises(ValueError):
        sealing.open_sealed(other, sealed, ctx)  # another edge
    with pytest.raises(ValueError):  # moved to another trunk in the snapshot
        sealing.open_sealed(mine, sealed, sealing.trunk_context("t_0000000000000001", "trk_000000000002"))
    assert sealing.seal(sealing.public_key(mine), "carrier-pass", ctx) != sealed  # fresh every time


@pytest.mark.parametrize("bad", ["", "AAAA", "!" * 43, "A" * 43])
def test_a_public_key_that_is_not_one_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        sealing.parse_public_key(bad)


@pytest.mark.parametrize("bad", ["", "seal1:", "seal1:AAAA", "plain", "seal1:" + "A" * 80])
def test_garbage_does_not_open(bad: str) -> None:
    with pytest.raises(ValueError):
        sealing.open_sealed(sealing.new_private_key(), bad, "x")
