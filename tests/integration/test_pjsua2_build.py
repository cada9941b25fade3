"""The media worker's pjsua2 is our own build: it must carry a PBX's worth of calls."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

PROBE = """
import ctypes, _pjsua2, pjsua2 as pj
ep = pj.Endpoint(); ep.libCreate()
cfg = pj.EpConfig(); cfg.uaConfig.maxCalls = 1000; cfg.uaConfig.threadCnt = 0; cfg.logConfig.level = 0
cfg.logConfig.consoleLevel = 0
ep.libInit(cfg)
print(ctypes.CDLL(_pjsua2.__file__).pjsua_call_get_max_count())
ep.libDestroy()
"""


def test_built_pjsua2_allows_at_least_500_calls() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    max_calls = int(out.stdout.strip().splitlines()[-1])
    assert max_calls >= 500, f"pjsua2 clamps maxCalls to {max_calls}: the PyPI wheel is installed, not our build"
