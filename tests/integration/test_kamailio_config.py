"""The rendered kamailio.cfg is accepted by the installed Kamailio (kamailio -c)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from edge_node import kamailio_config as kc
from tests.harness.kamailio import KAMAILIO, REPO

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("ping", [0, 10])
def test_kamailio_accepts_the_rendered_cfg(tmp_path: Path, ping: int) -> None:
    s = kc.KamailioSettings(
        kemi_script=REPO / "kemi_scripts" / "probox_kemi.py",
        dispatcher_list=kc.write_dispatcher_list([("127.0.0.1", 5070)], tmp_path / "dispatcher.list"),
        runtime_dir=tmp_path / "run",
        sip_port=5099,
        ds_ping_interval=ping,
    )
    cfg = kc.write(s, tmp_path / "kamailio.cfg")
    r = subprocess.run([KAMAILIO, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
