"""SIP over TLS on the edge (issue 13 item 8), the pure parts: the TLS listener and tls.cfg
rendered by edge_node.kamailio_config, and the edge's certificate (edge_node.tls_cert)."""

from __future__ import annotations

import datetime as dt
import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509

from edge_node import kamailio_config as kc
from edge_node import tls_cert

pytestmark = pytest.mark.unit


def settings(tmp_path: Path, **kw: object) -> kc.KamailioSettings:
    base = kc.KamailioSettings(
        kemi_script=tmp_path / "probox_kemi.py",
        dispatcher_list=tmp_path / "dispatcher.list",
        runtime_dir=tmp_path / "run",
        sip_port=5099,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_without_a_certificate_there_is_no_tls(tmp_path: Path) -> None:
    s = settings(tmp_path)
    text = kc.render(s)
    assert not s.tls
    assert "enable_tls=no" in text
    assert "listen=tls:" not in text and 'loadmodule "tls.so"' not in text
    kc.write(s, tmp_path / "kamailio.cfg")
    assert not s.tls_cfg_path.exists()
    with pytest.raises(ValueError):
        kc.tls_cfg(s)


def test_with_a_certificate_the_edge_listens_for_tls_too(tmp_path: Path) -> None:
    s = settings(tmp_path, tls_certificate=tmp_path / "c.pem", tls_private_key=tmp_path / "k.pem", tls_port=5098)
    text = kc.render(s)
    assert not re.search(r"@@[A-Z_]+@@", text)
    assert "enable_tls=yes" in text
    # UDP and TCP stay for phones that cannot do TLS
    for line in ("listen=udp:127.0.0.1:5099", "listen=tcp:127.0.0.1:5099", "listen=tls:127.0.0.1:5098"):
        assert line in text
    assert f'modparam("tls", "config", "{tmp_path / "run" / "tls.cfg"}")' in text
    # loaded before every other module (OpenSSL set up by tls first)
    loads = re.findall(r'^loadmodule "([a-z_0-9]+)\.so"$', text, re.M)
    assert loads[0] == "tls", loads[:3]
    kc.write(s, tmp_path / "kamailio.cfg")
    assert s.tls_cfg_path.read_text() == kc.tls_cfg(s)


def test_tls_cfg_is_tls12_plus_aead_and_verifies_carriers(tmp_path: Path) -> None:
    s = settings(tmp_path, tls_certificate=tmp_path / "c.pem", tls_private_key=tmp_path / "k.pem")
    server, client = kc.tls_cfg(s).split("[client:default]")
    assert "[server:default]" in server
    for part in (server, client):
        assert "method = TLSv1.2+" in part
        ciphers = re.search(r"^cipher_list = (\S+)$", part, re.M)
        assert ciphers, part
        for suite in ciphers.group(1).split(":"):
            assert suite.startswith("ECDHE-") and ("GCM" in suite or "CHACHA20" in suite), suite
        assert f"certificate = {tmp_path / 'c.pem'}" in part and f"private_key = {tmp_path / 'k.pem'}" in part
    # phones need no client certificate; a carrier's certificate is checked
    assert "verify_certificate = no" in server and "require_certificate = no" in server
    assert "verify_certificate = yes" in client and "ca_list = /etc/ssl/certs/ca-certificates.crt" in client
    relaxed = kc.tls_cfg(replace(s, tls_ca_list=None))
    assert "verify_certificate = yes" not in relaxed and "ca_list" not in relaxed


@pytest.mark.parametrize("bad", [{"tls_port": 0}, {"tls_certificate": Path('/x/"q".pem')}])
def test_bad_tls_settings_are_refused(tmp_path: Path, bad: dict[str, object]) -> None:
    s = settings(tmp_path, tls_certificate=tmp_path / "c.pem", tls_private_key=tmp_path / "k.pem")
    with pytest.raises(ValueError):
        kc.write(replace(s, **bad), tmp_path / "kamailio.cfg")  # type: ignore[arg-type]


def test_ensure_makes_a_self_signed_certificate_once(tmp_path: Path) -> None:
    cert, key = tmp_path / "tls" / "edge.crt", tmp_path / "tls" / "edge.key"
    info = tls_cert.ensure(cert, key, ["127.0.0.1", "edge.probox.test"])
    assert info.self_signed and set(info.names) == {"127.0.0.1", "edge.probox.test"}
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(cert.stat().st_mode) == 0o644
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", info.fingerprint_sha256)
    parsed = x509.load_pem_x509_certificate(cert.read_bytes())
    assert parsed.signature_hash_algorithm is not None and parsed.signature_hash_algorithm.name == "sha256"
    # kept while valid and naming the hosts asked for
    assert tls_cert.ensure(cert, key, ["127.0.0.1"]).fingerprint_sha256 == info.fingerprint_sha256


def test_ensure_renews_when_expiring_or_missing_a_name(tmp_path: Path) -> None:
    cert, key = tmp_path / "edge.crt", tmp_path / "edge.key"
    old = tls_cert.make(cert, key, ["127.0.0.1"], days=20)
    renewed = tls_cert.ensure(cert, key, ["127.0.0.1"])
    assert renewed.fingerprint_sha256 != old.fingerprint_sha256
    assert renewed.not_after - dt.datetime.now(dt.UTC) > dt.timedelta(days=300)
    wider = tls_cert.ensure(cert, key, ["127.0.0.1", "10.0.0.5"])
    assert wider.fingerprint_sha256 != renewed.fingerprint_sha256 and "10.0.0.5" in wider.names
    key.unlink()
    assert tls_cert.ensure(cert, key, ["127.0.0.1"]).fingerprint_sha256 != wider.fingerprint_sha256


def test_a_ca_signs_peer_certificates(tmp_path: Path) -> None:
    ca = tls_cert.make(tmp_path / "ca.crt", tmp_path / "ca.key", ["ca.probox.test"], ca=True)
    peer = tls_cert.make(
        tmp_path / "p.crt",
        tmp_path / "p.key",
        ["127.0.0.1"],
        issuer=tls_cert.load_issuer(ca.cert, ca.key),
    )
    assert not peer.self_signed
    c = x509.load_pem_x509_certificate(peer.cert.read_bytes())
    c.verify_directly_issued_by(x509.load_pem_x509_certificate(ca.cert.read_bytes()))
