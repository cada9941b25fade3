"""Shared fixtures of the unit tests."""

from __future__ import annotations

import importlib
import types

import pytest

from tests.unit.fake_ksr import FakeKSR, install


@pytest.fixture(scope="module")
def kemi() -> types.ModuleType:
    """The KEMI script, imported against the fake KSR (tests swap a fresh fake in with use())."""
    install(FakeKSR())
    return importlib.import_module("kemi_scripts.probox_kemi")
