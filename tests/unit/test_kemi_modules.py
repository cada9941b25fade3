"""The KEMI script is one entry module plus route modules: loaded the way app_python3 loads
it, and re-imported whole by app_python.reload."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "kemi_scripts"

# What app_python3 does (apy_load_script / apy_reload_script): the script's directory first
# on sys.path, the file imported as a top-level module, mod_init() called; on reload,
# PyImport_ReloadModule of that module and mod_init() again.
KAMAILIO_LIKE = textwrap.dedent(
    """
    import importlib, os, sys
    sys.path.insert(0, os.path.join(os.environ["PROBOX_REPO"], "kemi_scripts"))
    sys.path.insert(1, {tests_root!r})
    from tests.unit.fake_ksr import FakeKSR, install
    fake = install(FakeKSR())
    import probox_kemi
    router = probox_kemi.mod_init()
    assert "kemi_scripts.probox_kemi" not in sys.modules  # the route modules never import the entry
    assert "common" not in sys.modules and "invite" not in sys.modules  # no second copy by bare name
    print(probox_kemi.invite.__file__)
    with open(probox_kemi.common.__file__, "a") as f:
        f.write("\\nEDGE_ID = 'edited-' + EDGE_ID\\n")
    with open(probox_kemi.invite.__file__, "a") as f:
        f.write("\\nWORKER_FR_TIMER_MS = 1234\\n")
    importlib.invalidate_caches()
    importlib.reload(probox_kemi)
    router = probox_kemi.mod_init()
    assert probox_kemi.common.EDGE_ID == "edited-edge-x", probox_kemi.common.EDGE_ID
    assert probox_kemi.invite.WORKER_FR_TIMER_MS == 1234
    # the modules that import names from common see the reloaded ones
    assert probox_kemi.invite.Req is probox_kemi.common.Req is probox_kemi.Req
    assert probox_kemi.in_dialog.reject is probox_kemi.common.reject
    probox_kemi.common.log("info", "after_reload")
    assert '"edge_id":"edited-edge-x"' in fake.log_text(), fake.log_text()
    print("ok")
    """
)


def test_entry_module_loads_and_reloads_its_route_modules_as_kamailio_does(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(SCRIPTS, repo / "kemi_scripts", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "pbx_core").symlink_to(REPO / "pbx_core")
    env = {**os.environ, "PROBOX_REPO": str(repo), "PROBOX_EDGE_ID": "edge-x", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    r = subprocess.run(
        [sys.executable, "-c", KAMAILIO_LIKE.format(tests_root=str(REPO))],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    first, last = r.stdout.split()
    assert Path(first) == repo / "kemi_scripts" / "invite.py" and last == "ok"


def test_route_module_names_do_not_shadow_the_standard_library() -> None:
    """app_python3 puts kemi_scripts/ first on sys.path: a module there named like a
    standard library module would replace it for every import in Kamailio's Python."""
    names = {p.stem for p in SCRIPTS.glob("*.py")} - {"__init__"}
    assert names >= {"probox_kemi", "common", "register", "invite", "in_dialog", "pickup", "trunks"}
    assert not names & set(sys.stdlib_module_names)


def test_only_the_entry_module_touches_sys_path() -> None:
    for path in SCRIPTS.glob("*.py"):
        if path.name != "probox_kemi.py":
            assert "sys.path" not in path.read_text(encoding="utf-8"), path
