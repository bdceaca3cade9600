"""Development TLS for the gateway: our own CA and a server certificate under `<data_dir>/tls/`.

The official Bitwarden CLI talks HTTPS only and trusts our CA through `NODE_EXTRA_CA_CERTS=<data_dir>/tls/ca.pem`.
Node (OpenSSL) is strict, so the CA carries basicConstraints CA:true and keyCertSign, and the server certificate
carries SANs, digitalSignature and extendedKeyUsage serverAuth. Files are reused while valid: the CA stays the same
across restarts (so a trusted ca.pem keeps working) and the server certificate is reissued when it nears expiry or
lacks a requested host.

A machine that trusts this CA must not be exposed to it beyond our gateway, so the CA is limited three ways:
- name constraints (critical): it can vouch only for the hosts it was made for (localhost, 127.0.0.1 and
  MSPVAULT_TLS_HOSTS / the public URL's host); asking for a host outside them makes a new CA (to be trusted again);
- its key lives in `<data_dir>/ca/` (0700, the key 0600), apart from `tls/`, which holds what is handed out;
- it is valid for a year, the server certificate for 90 days.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 365
SERVER_DAYS = 90
RENEW_BEFORE = dt.timedelta(days=30)
CLOCK_SKEW = dt.timedelta(hours=1)  # backdate not_before so a client with a slightly late clock still accepts
DEFAULT_HOSTS = ("127.0.0.1", "localhost")

SanName = x509.IPAddress | x509.DNSName


@dataclass(frozen=True)
class TlsFiles:
    """Paths of the PEM files; `ca_cert` is what clients trust, `cert`/`key` are what the server presents."""

    directory: Path
    ca_cert: Path
    ca_key: Path  # in a private directory of its own, never in `directory`
    cert: Path
    key: Path

    @property
    def legacy_ca_key(self) -> Path:
        """Where the CA key lived before it moved out of `tls/`; removed when the CA is replaced."""
        return self.directory / "ca-key.pem"


def tls_files(data_dir: Path) -> TlsFiles:
    directory = data_dir / "tls"
    return TlsFiles(
        directory=directory,
        ca_cert=directory / "ca.pem",
        ca_key=data_dir / "ca" / "ca-key.pem",
        cert=directory / "server.pem",
        key=directory / "server-key.pem",
    )


def ensure_tls(data_dir: Path, extra_hosts: Sequence[str] = (), *, now: dt.datetime | None = None) -> TlsFiles:
    """Create (or reuse while valid) the development CA and the server certificate; return their paths."""
    files = tls_files(data_dir)
    files.directory.mkdir(parents=True, exist_ok=True)
    files.ca_key.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(files.ca_key.parent, 0o700)  # in case it existed with wider permissions
    moment = now or dt.datetime.now(dt.UTC)
    names = san_names([*DEFAULT_HOSTS, *extra_hosts])

    ca = _load_ca(files, names, moment)
    if ca is None:
        ca = _new_ca(names, moment)
        _write_key(files.ca_key, ca[1])
        _write_cert(files.ca_cert, ca[0])
        files.legacy_ca_key.unlink(missing_ok=True)
        server = None  # a new CA invalidates whatever server certificate was signed by the old one
    else:
        server = _load_server(files, ca[0], names, moment)
    if server is None:
        cert, key = _new_server(ca, names, moment)
        _write_key(files.key, key)
        _write_cert(files.cert, cert)
    return files


def san_names(hosts: Sequence[str]) -> list[SanName]:
    """IP literals become IP SANs (clients match IPs only against those), everything else a DNS SAN.

    Bind-all addresses (0.0.0.0, ::) are skipped: a server may listen on them, but no client connects to them.
    """
    names: list[SanName] = []
    for host in dict.fromkeys(h.strip().strip("[]").lower() for h in hosts if h.strip()):
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            names.append(x509.DNSName(host))
            continue
        if not ip.is_unspecified:
            names.append(x509.IPAddress(ip))
    return names


def name_constraints(names: Sequence[SanName]) -> x509.NameConstraints:
    """Permit exactly these hosts: each DNS name (and, by RFC 5280, its subdomains) and each IP as a single address."""
    permitted: list[x509.GeneralName] = []
    for name in names:
        if isinstance(name, x509.IPAddress):
            ip = name.value
            assert isinstance(ip, ipaddress.IPv4Address | ipaddress.IPv6Address)
            permitted.append(x509.IPAddress(ipaddress.ip_network(ip)))
        else:
            permitted.append(name)
    return x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=None)


def _covers(constraints: x509.NameConstraints, names: Sequence[SanName]) -> bool:
    permitted = list(constraints.permitted_subtrees or [])
    dns = {p.value for p in permitted if isinstance(p, x509.DNSName)}
    networks = [
        p.value
        for p in permitted
        if isinstance(p, x509.IPAddress) and isinstance(p.value, ipaddress.IPv4Network | ipaddress.IPv6Network)
    ]
    for name in names:
        if isinstance(name, x509.DNSName):
            covered = any(name.value == d or name.value.endswith("." + d) for d in dns)
        else:
            covered = any(name.value in network for network in networks)
        if not covered:
            return False
    return True


def _new_ca(names: Sequence[SanName], now: dt.datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    # A unique name per CA, so a regenerated CA never looks like the one a client trusted before.
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MSPVault development"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"MSPVault Development CA {secrets.token_hex(4)}"),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(name_constraints(names), critical=True)  # RFC 5280: name constraints MUST be critical
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _new_server(
    ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey], names: list[SanName], now: dt.datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    ca_cert, ca_key = ca
    key = ec.generate_private_key(ec.SECP256R1())
    first_dns = next((n.value for n in names if isinstance(n, x509.DNSName)), "localhost")
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MSPVault development"),
            x509.NameAttribute(NameOID.COMMON_NAME, first_dns),
        ]
    )
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(min(now + dt.timedelta(days=SERVER_DAYS), ca_cert.not_valid_after_utc))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,  # EC keys sign (ECDHE); they never encipher a key
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _load_ca(
    files: TlsFiles, names: Sequence[SanName], now: dt.datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """The CA while it is valid, constrained and covers `names`; None means make a new one."""
    loaded = _load_pair(files.ca_cert, files.ca_key)
    if loaded is None:
        return None
    cert, key = loaded
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        constraints = cert.extensions.get_extension_for_class(x509.NameConstraints).value
    except x509.ExtensionNotFound:
        return None  # e.g. an unconstrained CA made before constraints existed
    if not is_ca or cert.not_valid_after_utc - RENEW_BEFORE < now or not _covers(constraints, names):
        return None
    return cert, key


def _load_server(
    files: TlsFiles, ca_cert: x509.Certificate, names: list[SanName], now: dt.datetime
) -> x509.Certificate | None:
    loaded = _load_pair(files.cert, files.key)
    if loaded is None:
        return None
    cert, _ = loaded
    if cert.issuer != ca_cert.subject or cert.not_valid_after_utc - RENEW_BEFORE < now:
        return None
    try:
        cert.verify_directly_issued_by(ca_cert)
        present = set(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
    except (InvalidSignature, ValueError, TypeError, x509.ExtensionNotFound):
        return None  # signed by another CA, or malformed: reissue
    return cert if set(names) <= present else None


def _load_pair(cert_path: Path, key_path: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """The certificate and its private key, or None when either is missing, unreadable or they do not match."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        return None
    return cert, key


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    _write_atomic(path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write_atomic(path, pem, mode=0o600)


def _write_atomic(path: Path, data: bytes, *, mode: int) -> None:
    """Write to a sibling created with `mode` from the start (a key is never readable by others), then rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, mode)  # in case the file existed with wider permissions
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
