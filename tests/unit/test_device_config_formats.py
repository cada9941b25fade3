"""The encrypted config file formats (``control_plane.devices.templates``) checked against the
``openssl`` command line, an implementation independent of ours: Yealink's AES-128-ECB with
PKCS#7 padding is what ``openssl enc -aes-128-ecb -K <key bytes>`` makes, byte for byte;
Grandstream's file opens with ``openssl enc -d -aes-256-cbc -md md5 -k <P1359>`` (the
command of Grandstream's guide, with the digest OpenSSL used by default when it was written)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from control_plane.devices import templates

pytestmark = pytest.mark.unit

KEY = "Ab3dEf6hIj9kLm2n"
TEXT = "#!version:1.0.0.1\naccount.1.password = s3cret-Passw0rd\n" * 3  # repeated 16-byte blocks too


def _openssl(*args: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    openssl = shutil.which("openssl")
    assert openssl
    return subprocess.run([openssl, "enc", *args], input=data, capture_output=True, check=False)


def test_yealink_file_is_what_openssl_makes_with_the_key_as_bytes() -> None:
    ours = templates.encrypt("yealink", KEY, TEXT)
    theirs = _openssl("-aes-128-ecb", "-K", KEY.encode().hex(), data=TEXT.encode())
    assert theirs.returncode == 0 and ours == theirs.stdout
    assert b"s3cret" not in ours and len(ours) % 16 == 0


def test_grandstream_file_opens_with_the_guides_command_and_md5() -> None:
    ours = templates.encrypt("grandstream", KEY, TEXT)
    assert ours.startswith(b"Salted__") and b"s3cret" not in ours
    opened = _openssl("-d", "-aes-256-cbc", "-md", "md5", "-pass", f"pass:{KEY}", data=ours)
    assert opened.returncode == 0 and opened.stdout.decode() == TEXT
    sha256 = _openssl("-d", "-aes-256-cbc", "-md", "sha256", "-pass", f"pass:{KEY}", data=ours)
    assert sha256.returncode != 0 or sha256.stdout != TEXT.encode()  # not today's default digest
    assert templates.encrypt("grandstream", KEY, TEXT) != ours  # a fresh salt each time


def test_keys_and_vendors() -> None:
    keys = {templates.new_key() for _ in range(50)}
    assert len(keys) == 50 and all(len(k) == 16 and k.isascii() and k.isalnum() for k in keys)
    assert templates.supports_encryption("yealink") and templates.supports_encryption("grandstream")
    assert not templates.supports_encryption("fanvil")
    for bad_key in ("short", "x" * 15 + "!", "ă" * 16):
        with pytest.raises(ValueError):
            templates.encrypt("yealink", bad_key, TEXT)
    with pytest.raises(ValueError):
        templates.encrypt("fanvil", KEY, TEXT)
    with pytest.raises(ValueError):
        templates.phone_setting("fanvil")
