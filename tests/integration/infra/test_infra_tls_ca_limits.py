"""The development CA can sign only for the hosts the gateway serves (name constraints), its key lives outside the
`tls/` directory that holds what is handed out, readable by its owner only, and it expires within a year."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from mspvault.gateway.tls import TlsFiles, ensure_tls

pytestmark = pytest.mark.integration


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _ca_key(files: TlsFiles) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def _leaf_for(files: TlsFiles, name: x509.GeneralName) -> x509.Certificate:
    """What someone holding the CA key could mint: a server certificate for any name."""
    ca = _cert(files.ca_cert)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([name]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(_ca_key(files).public_key()), critical=False)
        .sign(_ca_key(files), hashes.SHA256())
    )


def _verify(files: TlsFiles, leaf: x509.Certificate, subject: x509.DNSName | x509.IPAddress) -> None:
    verifier = PolicyBuilder().store(Store([_cert(files.ca_cert)])).build_server_verifier(subject)
    verifier.verify(leaf, [])


def test_the_ca_is_name_constrained_to_the_hosts_it_signs(tmp_path: Path) -> None:
    files = ensure_tls(tmp_path, ["mspvault.test", "10.1.2.3"])
    constraints = _cert(files.ca_cert).extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical
    permitted = set(constraints.value.permitted_subtrees or [])
    assert permitted == {
        x509.DNSName("localhost"),
        x509.DNSName("mspvault.test"),
        x509.IPAddress(ipaddress.ip_network("127.0.0.1/32")),
        x509.IPAddress(ipaddress.ip_network("10.1.2.3/32")),
    }
    # The gateway's own certificate verifies for each of its names...
    server = _cert(files.cert)
    for name in (x509.DNSName("mspvault.test"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))):
        _verify(files, server, name)


@pytest.mark.parametrize(
    "outside",
    [x509.DNSName("bank.example.com"), x509.IPAddress(ipaddress.ip_address("93.184.216.34"))],
)
def test_a_certificate_for_any_other_host_fails_verification(tmp_path: Path, outside: x509.GeneralName) -> None:
    # ...but a stolen CA key cannot mint a certificate a trusting machine would accept for someone else's site.
    files = ensure_tls(tmp_path, ["mspvault.test"])
    inside = _leaf_for(files, x509.DNSName("mspvault.test"))
    _verify(files, inside, x509.DNSName("mspvault.test"))  # the same kind of leaf inside the constraints passes
    leaf = _leaf_for(files, outside)
    with pytest.raises(VerificationError):
        _verify(files, leaf, outside)  # type: ignore[arg-type]


def test_the_ca_key_is_out_of_the_handed_out_directory_and_private(tmp_path: Path) -> None:
    files = ensure_tls(tmp_path)
    assert files.ca_key.parent != files.directory
    assert not files.ca_key.is_relative_to(files.directory)
    assert stat.S_IMODE(os.stat(files.ca_key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(files.ca_key.parent).st_mode) == 0o700
    ca_public = _cert(files.ca_cert).public_key()
    for path in files.directory.iterdir():  # nothing in tls/ is the CA's private key
        text = path.read_bytes()
        if b"PRIVATE KEY" in text:
            assert serialization.load_pem_private_key(text, password=None).public_key() != ca_public


def test_validity_is_short(tmp_path: Path) -> None:
    files = ensure_tls(tmp_path)
    ca, server = _cert(files.ca_cert), _cert(files.cert)
    assert (ca.not_valid_after_utc - ca.not_valid_before_utc) <= dt.timedelta(days=366)
    assert (server.not_valid_after_utc - server.not_valid_before_utc) <= dt.timedelta(days=91)


def test_an_unconstrained_ca_from_before_is_replaced_and_its_old_key_removed(tmp_path: Path) -> None:
    files = ensure_tls(tmp_path)
    legacy_key = files.directory / "ca-key.pem"  # where the key used to live
    legacy_key.write_bytes(files.ca_key.read_bytes())
    ensure_tls(tmp_path, ["gateway.internal"])  # a host the CA does not cover: a new CA that does
    constraints = _cert(files.ca_cert).extensions.get_extension_for_class(x509.NameConstraints).value
    assert x509.DNSName("gateway.internal") in (constraints.permitted_subtrees or [])
    assert not legacy_key.exists()
    _verify(files, _cert(files.cert), x509.DNSName("gateway.internal"))
