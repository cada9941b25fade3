"""edge_node.kamailio_config: rendering kamailio.cfg from the template (pure)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from edge_node import kamailio_config as kc

pytestmark = pytest.mark.unit


def settings(tmp_path: Path, **kw: object) -> kc.KamailioSettings:
    base = kc.KamailioSettings(
        kemi_script=tmp_path / "probox_kemi.py",
        dispatcher_list=tmp_path / "dispatcher.list",
        runtime_dir=tmp_path / "run",
        sip_port=5099,
        children=3,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_render_fills_every_placeholder(tmp_path: Path) -> None:
    text = kc.render(settings(tmp_path))
    assert not re.search(r"@@[A-Z_]+@@", text)
    assert "listen=udp:127.0.0.1:5099" in text and "listen=tcp:127.0.0.1:5099" in text
    assert "children=3" in text and "fork=yes" in text and "mhomed=0" in text
    assert f'modparam("app_python3", "load", "{tmp_path / "probox_kemi.py"}")' in text
    assert 'cfgengine "python"' in text
    assert f'modparam("ctl", "binrpc", "unix:{tmp_path / "run" / "kamailio_ctl"}")' in text
    assert f'run_dir="{tmp_path / "run"}"' in text
    assert f'modparam("dispatcher", "list_file", "{tmp_path / "dispatcher.list"}")' in text
    assert "log_stderror=no" in text


def test_render_has_the_settings_kemi_on_56_needs(tmp_path: Path) -> None:
    text = kc.render(settings(tmp_path))
    assert 'kemi.onsend_route_callback="none"' in text
    assert 'kemi.reply_route_callback="none"' in text
    assert 'modparam("usrloc", "preload", "location")' in text
    assert 'modparam("usrloc", "use_domain", 1)' in text
    assert 'modparam("dialog", "profiles_with_value", "tenant_calls;trunk_calls")' in text
    assert 'modparam("uac", "restore_mode", "auto")' in text
    modules = "tm sl rr pv maxfwd textops siputils sanity xlog usrloc registrar auth dialog dispatcher uac ctl"
    for module in [*modules.split(), "jsonrpcs", "corex", "kex", "tmx", "app_python3"]:
        assert re.search(rf'^loadmodule "{module}\.so"$', text, re.M), module


def test_ping_and_stderr_switches(tmp_path: Path) -> None:
    text = kc.render(settings(tmp_path, ds_ping_interval=10, log_stderr=True))
    assert 'modparam("dispatcher", "ds_ping_interval", 10)' in text
    assert 'modparam("dispatcher", "ds_probing_mode", 1)' in text
    assert "log_stderror=yes" in text


def test_registrations_last_an_hour_unless_set_longer(tmp_path: Path) -> None:
    assert 'modparam("registrar", "max_expires", 3600)' in kc.render(settings(tmp_path))
    assert 'modparam("registrar", "max_expires", 7200)' in kc.render(settings(tmp_path, max_expires=7200))


@pytest.mark.parametrize(
    "bad",
    [
        {"listen_host": "localhost"},
        {"sip_port": 0},
        {"sip_port": 70000},
        {"children": 0},
        {"children": True},
        {"kemi_script": Path('/tmp/a"b.py')},
        {"runtime_dir": Path("/tmp/x\ny")},
        # pike's limit is an unsigned short: 1,000,000 would wrap to 16,960 and ban a trunk
        {"flood_per_second": kc.PIKE_MAX_HITS + 1},
        {"flood_per_second": 1_000_000},
        {"max_expires": 30},
        {"max_expires": 86401},
    ],
)
def test_bad_settings_are_refused(tmp_path: Path, bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        kc.render(settings(tmp_path, **bad))


def test_unknown_placeholder_in_a_template_is_an_error(tmp_path: Path) -> None:
    tmpl = tmp_path / "t.tmpl"
    tmpl.write_text("listen=udp:@@LISTEN_HOST@@:@@NOPE@@\n")
    with pytest.raises(ValueError, match="NOPE"):
        kc.render(settings(tmp_path), tmpl)


def test_write_is_atomic_and_creates_the_runtime_dir(tmp_path: Path) -> None:
    s = settings(tmp_path)
    out = kc.write(s, tmp_path / "cfg" / "kamailio.cfg")
    assert out.read_text() == kc.render(s)
    assert s.runtime_dir.is_dir()
    assert [p.name for p in out.parent.iterdir()] == ["kamailio.cfg"]


def test_dispatcher_list_always_has_explicit_ports(tmp_path: Path) -> None:
    text = kc.dispatcher_list([("127.0.0.1", 5070), ("127.0.0.1", 5072)])
    assert "1 sip:127.0.0.1:5070;transport=udp 0 0" in text
    assert "1 sip:127.0.0.1:5072;transport=udp 0 0" in text
    with pytest.raises(ValueError):
        kc.dispatcher_list([("127.0.0.1", 0)])
    path = kc.write_dispatcher_list([("127.0.0.1", 5070)], tmp_path / "ds.list")
    assert path.read_text() == kc.dispatcher_list([("127.0.0.1", 5070)])


def test_single_node_has_no_dmq(tmp_path: Path) -> None:
    text = kc.render(settings(tmp_path))
    assert 'loadmodule "dmq.so"' not in text and "enable_dmq" not in text


def test_dmq_peers_enable_dialog_replication(tmp_path: Path) -> None:
    text = kc.render(settings(tmp_path, dmq_peers=(("127.0.0.1", 5091), ("127.0.0.1", 5092))))
    assert text.index('loadmodule "dmq.so"') < text.index('loadmodule "dialog.so"')  # dmq before dialog
    assert 'modparam("dmq", "server_address", "sip:127.0.0.1:5099")' in text
    assert 'modparam("dmq", "notification_address", "sip:127.0.0.1:5091")' in text
    assert 'modparam("dmq", "notification_address", "sip:127.0.0.1:5092")' in text
    assert 'modparam("dialog", "enable_dmq", 1)' in text
    with pytest.raises(ValueError):
        kc.render(settings(tmp_path, dmq_peers=(("peer.example", 5091),)))


def test_trunk_nat_and_keepalive_settings(tmp_path: Path) -> None:
    text = kc.render(settings(tmp_path, reg_timer_interval=7, trunk_sync_interval=3, dialog_ka_interval=45))
    assert f'modparam("uac", "reg_db_url", "text://{tmp_path / "run" / "db"}")' in text
    assert 'modparam("uac", "reg_contact_addr", "127.0.0.1:5099")' in text
    assert 'modparam("uac", "reg_timer_interval", 7)' in text
    assert 'modparam("rtimer", "timer", "name=trunks;interval=3;mode=1;")' in text
    assert 'modparam("rtimer", "exec", "timer=trunks;route=ksr_trunk_sync")' in text
    assert 'modparam("dialog", "ka_interval", 45)' in text and 'modparam("dialog", "send_bye", 1)' in text
    assert 'modparam("dialog", "track_cseq_updates", 1)' in text
    assert 'modparam("registrar", "received_avp", "$avp(probox_received)")' in text
    assert 'modparam("nathelper", "received_avp", "$avp(probox_received)")' in text
    for module in ("nathelper", "sdpops", "rtimer", "db_text"):
        assert f'loadmodule "{module}.so"' in text
    assert 'modparam("dialog", "ka_interval", 0)' in kc.render(settings(tmp_path, dialog_ka_interval=0))
    with pytest.raises(ValueError):
        kc.render(settings(tmp_path, dialog_ka_interval=10))  # Kamailio's minimum is 30


def test_write_creates_the_empty_uacreg_table(tmp_path: Path) -> None:
    s = settings(tmp_path)
    kc.write(s, tmp_path / "cfg" / "kamailio.cfg")
    assert (s.db_dir / "uacreg").read_text().startswith("id(int,auto) l_uuid(string)")
    assert "uacreg:5" in (s.db_dir / "version").read_text()


def test_dispatcher_list_peers_are_set_2(tmp_path: Path) -> None:
    text = kc.dispatcher_list([("127.0.0.1", 5070)], peers=[("127.0.0.1", 5091)])
    assert "1 sip:127.0.0.1:5070;transport=udp 0 0" in text
    assert "2 sip:127.0.0.1:5091;transport=udp 0 0" in text
