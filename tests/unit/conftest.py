"""Shared fixtures of the unit tests."""

from __future__ import annotations

import importlib
import os
import types
from collections.abc import Iterator

import pytest

from tests.unit.fake_ksr import FakeKSR, install

# The edge key the KEMI script signs with in unit tests (pbx_core.edgesig): a fixed one,
# so that tests can check the signatures it makes.
TEST_SIGNING_KEY = bytes(range(32))


@pytest.fixture(scope="module")
def kemi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[types.ModuleType]:
    """The KEMI script, imported against the fake KSR (tests swap a fresh fake in with use()).
    Routers made without a signer read the edge key from PROBOX_SIGNING_KEY, as in Kamailio:
    it points at a file with ``TEST_SIGNING_KEY`` while the module's tests run."""
    key = tmp_path_factory.mktemp("edge") / "signing.key"
    key.write_text(TEST_SIGNING_KEY.hex() + "\n")
    key.chmod(0o600)
    before = os.environ.get("PROBOX_SIGNING_KEY")
    os.environ["PROBOX_SIGNING_KEY"] = str(key)
    install(FakeKSR())
    try:
        yield importlib.import_module("kemi_scripts.probox_kemi")
    finally:
        if before is None:
            os.environ.pop("PROBOX_SIGNING_KEY", None)
        else:
            os.environ["PROBOX_SIGNING_KEY"] = before
