"""The edge's TLS certificate for SIP over TLS (port 5061): a self-signed one for local mode
and tests, made here with ``cryptography``; production points Kamailio at a real one
(``KamailioSettings.tls_certificate``/``tls_private_key``, docs/edge.md).

    python -m edge_node.tls_cert CERT KEY --host 127.0.0.1 [--host edge.example.vn]

makes ``CERT``/``KEY`` when they are missing, expire within 30 days or do not name every
``--host``, and prints one JSON line: the paths, the SHA-256 fingerprint (what a phone shows
when it asks whether to trust a self-signed server), the names and the expiry. The key is
ECDSA P-256, written mode 0600 before any byte of it; the certificate is 0644.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DAYS = 397  # what browsers accept for a server certificate; phones do not care
RENEW_BEFORE = dt.timedelta(days=30)


@dataclass(frozen=True)
class CertInfo:
    cert: Path
    key: Path
    fingerprint_sha256: str  # AA:BB:... as phones and `openssl x509 -fingerprint -sha256` show it
    names: tuple[str, ...]  # subjectAltName entries (IP addresses and DNS names)
    not_after: dt.datetime
    self_signed: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "cert": str(self.cert),
            "key": str(self.key),
            "fingerprint_sha256": self.fingerprint_sha256,
            "names": list(self.names),
            "not_after": self.not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "self_signed": self.self_signed,
        }


def _san(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _names(cert: x509.Certificate) -> tuple[str, ...]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ()
    out: list[str] = [str(ip) for ip in ext.get_values_for_type(x509.IPAddress)]
    out += ext.get_values_for_type(x509.DNSName)
    return tuple(out)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Atomic, with the final mode from the start (a key is never readable by others)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(cert_path: Path, key_path: Path) -> CertInfo:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    fp = cert.fingerprint(hashes.SHA256()).hex().upper()
    return CertInfo(
        cert=cert_path,
        key=key_path,
        fingerprint_sha256=":".join(fp[i : i + 2] for i in range(0, len(fp), 2)),
        names=_names(cert),
        not_after=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject,
    )


def make(
    cert_path: Path,
    key_path: Path,
    hosts: Sequence[str],
    *,
    days: int = DAYS,
    now: dt.datetime | None = None,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None = None,
    ca: bool = False,
) -> CertInfo:
    """A new key and certificate for ``hosts`` (IP addresses or DNS names): self-signed,
    or signed by ``issuer`` (tests make a small CA and certificates for their peers);
    ``ca`` makes a CA certificate."""
    if not hosts:
        raise ValueError("a certificate needs at least one host name or address")
    now = now or dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, hosts[0]), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ProBox")]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[0].subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([_san(h) for h in hosts]), critical=False)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    cert = builder.sign(issuer[1] if issuer else key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write(key_path, key_pem, 0o600)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return read(cert_path, key_path)


def load_issuer(cert_path: Path, key_path: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A CA made by ``make(..., ca=True)``, to sign other certificates with."""
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{key_path}: not an EC key")
    return x509.load_pem_x509_certificate(cert_path.read_bytes()), key


def ensure(cert_path: Path, key_path: Path, hosts: Sequence[str], *, now: dt.datetime | None = None) -> CertInfo:
    """The certificate at ``cert_path``, made (self-signed) when it or its key is missing,
    unreadable, expires within 30 days or does not name every one of ``hosts``."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        info = read(cert_path, key_path)
        if key_path.is_file() and info.not_after - now > RENEW_BEFORE and set(hosts) <= set(info.names):
            return info
    except (OSError, ValueError):
        pass
    return make(cert_path, key_path, hosts, now=now)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cert", type=Path)
    ap.add_argument("key", type=Path)
    ap.add_argument("--host", action="append", required=True, help="an IP address or DNS name phones use")
    a = ap.parse_args(argv)
    print(json.dumps(ensure(a.cert, a.key, a.host).to_dict()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
