"""Configuration files for desk phones (Yealink, Grandstream, Fanvil), one SIP account each.

The phone fetches ``<provisioning URL>/<filename>``; the file name is what each vendor's
firmware asks for by default (derived from the MAC). Values are sanitised: no control
characters (a display name cannot inject a config line), XML-escaped for Grandstream.

Encrypted config files (``encrypt``), per vendor, as far as a public source confirms them:

- **Yealink**: AES-128 in ECB mode with PKCS#7 padding; the key is a 16-character string
  of ``[A-Za-z0-9]`` used as its 16 ASCII bytes; the file is the raw ciphertext, no header.
  This is the "legacy" AES mode of Yealink's Configuration Encryption Tool, as re-implemented
  by github.com/gitaware/yealink-encryption (``Yealink.py``: ``encryptAesEcb(...,
  padding=True)``; ``yealinkencryption.py``: ``mode == 'legacy'``, 16-character key) and
  described by github.com/traviscross/yealink-confenc (``lib.sh``: "AES-128-ECB" with the key's
  characters as bytes). The phone decrypts ``<MAC>.cfg`` with its "MAC-Oriented AES key"
  ``static.auto_provision.aes_key_16.mac`` when ``static.auto_provision.aes_key_in_file = 0``
  ("the phone will decrypt the encrypted configuration files using plaintext AES keys
  configured on the phone": Yealink's Administrator's Guide for SIP-T2/T4/T5/CP920 phones,
  "Encryption and Decryption Configuration"). We never publish the tool's
  ``<MAC>_Security.enc`` (the key wrapped with the common key built into every phone, public
  since CVE-2024-24681), nor its RSA mode (its default RSA key pair is public too): the key
  reaches the phone only by an admin typing it in.
- **Grandstream**: "The XML configuration file may be encrypted using AES-256-CBC
  algorithm. The encryption password is defined in P1359 (XML Config File Password) [...]
  The algorithm to derive the key and IV from a password is the same as the one used by
  OpenSSL: ``openssl enc -e -aes-256-cbc -k password -in config.xml -out cfgxxxxxxxxxxxx.xml``"
  (Grandstream XML Provisioning Guide, 2011, and SIP Device Provisioning Guide, 2012, "XML
  file encryption"). That is OpenSSL's ``enc`` format: ``Salted__``, an 8-byte salt, then
  AES-256-CBC with PKCS#7 padding under the key and IV of ``EVP_BytesToKey`` (one iteration).
  The guides predate OpenSSL 1.1.0 (2016), whose ``enc`` switched that digest's default from
  MD5 to SHA-256; the firmware follows the command as written then, so the digest is **MD5**
  (today's equivalent: ``openssl enc -aes-256-cbc -md md5 -k <password>``). The same
  16-character ``[A-Za-z0-9]`` key is used as the password.
- **Fanvil**: no public source we found documents an encrypted config format for Fanvil
  phones, so Fanvil devices cannot turn encryption on (``supports_encryption``).
"""

from __future__ import annotations

import os
import re
import secrets
import string
from dataclasses import dataclass
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Account:
    user: str
    password: str
    domain: str
    display_name: str
    proxy_host: str
    proxy_port: int
    time_zone: str
    mac: str  # 12 lowercase hex digits


def filename(vendor: str, mac: str) -> str:
    if vendor == "grandstream":
        return f"cfg{mac}.xml"
    return f"{mac}.cfg"  # yealink and fanvil


def content_type(vendor: str) -> str:
    return "application/xml" if vendor == "grandstream" else "text/plain; charset=utf-8"


def _clean(value: str) -> str:
    return _CONTROL.sub(" ", value).strip()


def render(vendor: str, a: Account) -> str:
    d = {k: _clean(str(v)) for k, v in a.__dict__.items()}
    display = d["display_name"] or d["user"]
    if vendor == "yealink":
        return "\n".join(
            [
                "#!version:1.0.0.1",
                "account.1.enable = 1",
                f"account.1.label = {display}",
                f"account.1.display_name = {display}",
                f"account.1.auth_name = {d['user']}",
                f"account.1.user_name = {d['user']}",
                f"account.1.password = {d['password']}",
                f"account.1.sip_server.1.address = {d['domain']}",
                f"account.1.sip_server.1.port = {d['proxy_port']}",
                "account.1.outbound_proxy_enable = 1",
                f"account.1.outbound_proxy.1.address = {d['proxy_host']}",
                f"account.1.outbound_proxy.1.port = {d['proxy_port']}",
                "account.1.sip_server.1.expires = 600",
                f"local_time.time_zone_name = {d['time_zone']}",
                "",
            ]
        )
    if vendor == "grandstream":
        x = {k: escape(v) for k, v in d.items()}
        xdisplay = escape(display)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gs_provision version="1">\n'
            f"  <mac>{x['mac']}</mac>\n"
            '  <config version="1">\n'
            "    <P271>1</P271>\n"
            f"    <P270>{xdisplay}</P270>\n"
            f"    <P47>{x['domain']}</P47>\n"
            f"    <P48>{x['proxy_host']}:{x['proxy_port']}</P48>\n"
            f"    <P35>{x['user']}</P35>\n"
            f"    <P36>{x['user']}</P36>\n"
            f"    <P34>{x['password']}</P34>\n"
            f"    <P3>{xdisplay}</P3>\n"
            "    <P32>10</P32>\n"
            "  </config>\n"
            "</gs_provision>\n"
        )
    if vendor == "fanvil":
        return "\n".join(
            [
                "<<VOIP CONFIG FILE>>Version:2.0002",
                "<SIP CONFIG MODULE>",
                "--SIP Line List--  :",
                f"SIP1 Phone Number       :{d['user']}",
                f"SIP1 Display Name       :{display}",
                f"SIP1 Register Addr      :{d['domain']}",
                f"SIP1 Register Port      :{d['proxy_port']}",
                f"SIP1 Register User      :{d['user']}",
                f"SIP1 Register Pswd      :{d['password']}",
                f"SIP1 Proxy Addr         :{d['proxy_host']}",
                f"SIP1 Proxy Port         :{d['proxy_port']}",
                "SIP1 Enable Reg         :1",
                "<<END OF FILE>>",
                "",
            ]
        )
    raise ValueError(f"unknown vendor {vendor!r}")


# --- encrypted config files (see the module's docstring for the sources) ------------------------
ENCRYPTED_CONTENT_TYPE = "application/octet-stream"
KEY_LENGTH = 16
_KEY_ALPHABET = string.ascii_letters + string.digits
_ENCRYPTING = frozenset({"yealink", "grandstream"})
SALT_MAGIC = b"Salted__"


def supports_encryption(vendor: str) -> bool:
    """Does the vendor's firmware decrypt a config file with a key typed into the phone?"""
    return vendor in _ENCRYPTING


def new_key() -> str:
    """A device's config key: 16 characters of ``[A-Za-z0-9]`` (about 95 bits), what Yealink's
    MAC-oriented AES key field takes, and a Grandstream P1359 password."""
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(KEY_LENGTH))


def phone_setting(vendor: str) -> str:
    """Where the admin types the key into the phone."""
    if vendor == "yealink":
        return "static.auto_provision.aes_key_16.mac (MAC-Oriented AES Key), static.auto_provision.aes_key_in_file = 0"
    if vendor == "grandstream":
        return "P1359 (XML Config File Password)"
    raise ValueError(f"{vendor!r} has no encrypted config files")


def _pkcs7(data: bytes) -> bytes:
    padder = padding.PKCS7(algorithms.AES.block_size).padder()
    return padder.update(data) + padder.finalize()


def _evp_bytes_to_key_md5(password: bytes, salt: bytes, size: int) -> bytes:
    """OpenSSL's ``EVP_BytesToKey`` with MD5 and one iteration (``openssl enc -md md5``)."""
    out, block = b"", b""
    while len(out) < size:
        digest = hashes.Hash(hashes.MD5())  # noqa: S303  # the vendor's format (see above)
        digest.update(block + password + salt)
        block = digest.finalize()
        out += block
    return out[:size]


def encrypt(vendor: str, key: str, text: str) -> bytes:
    """The config file ``text`` encrypted the way the vendor's firmware decrypts it."""
    if len(key) != KEY_LENGTH or any(c not in _KEY_ALPHABET for c in key):
        raise ValueError("a config key is 16 characters of [A-Za-z0-9]")
    data = _pkcs7(text.encode())
    if vendor == "yealink":
        ecb = Cipher(algorithms.AES(key.encode()), modes.ECB()).encryptor()  # noqa: S305  # Yealink's format
        return ecb.update(data) + ecb.finalize()
    if vendor == "grandstream":
        salt = os.urandom(8)
        material = _evp_bytes_to_key_md5(key.encode(), salt, 32 + 16)
        cbc = Cipher(algorithms.AES(material[:32]), modes.CBC(material[32:])).encryptor()
        return SALT_MAGIC + salt + cbc.update(data) + cbc.finalize()
    raise ValueError(f"{vendor!r} has no encrypted config files")
