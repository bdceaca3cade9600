"""The gateway's development TLS: what a strict client (Python with X509_STRICT, Node) needs, and reuse."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import os
import shutil
import ssl
import stat

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from mspvault.gateway.tls import TlsFiles, ensure_tls

pytestmark = pytest.mark.integration


def _cert(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_the_ca_and_server_certificate_carry_what_strict_clients_check(tmp_path) -> None:
    files = ensure_tls(tmp_path, ["mspvault.test", "10.1.2.3"])
    ca, server = _cert(files.ca_cert), _cert(files.cert)

    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert (ca.not_valid_after_utc - ca.not_valid_before_utc).days >= 365

    assert not server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert server.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert ExtendedKeyUsageOID.SERVER_AUTH in server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost", "mspvault.test"]
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("127.0.0.1"),
        ipaddress.ip_address("10.1.2.3"),
    ]
    assert 89 <= (server.not_valid_after_utc - server.not_valid_before_utc).days <= 91
    server.verify_directly_issued_by(ca)

    for key in (files.key, files.ca_key):
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600


def test_files_are_reused_while_valid_and_the_ca_outlives_a_reissued_server_cert(tmp_path) -> None:
    first = ensure_tls(tmp_path)
    ca_pem, cert_pem = first.ca_cert.read_bytes(), first.cert.read_bytes()
    assert ensure_tls(tmp_path, ["127.0.0.1", "0.0.0.0"]).cert.read_bytes() == cert_pem  # nothing new asked

    ensure_tls(tmp_path, ["localhost", "127.0.0.1"])  # the same hosts in another order: same CA, same cert
    assert first.ca_cert.read_bytes() == ca_pem
    assert first.cert.read_bytes() == cert_pem

    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=70)  # within the renewal margin of the server cert
    before = first.cert.read_bytes()
    ensure_tls(tmp_path, now=soon)
    assert first.cert.read_bytes() != before
    assert first.ca_cert.read_bytes() == ca_pem


def test_broken_files_are_replaced(tmp_path) -> None:
    files = ensure_tls(tmp_path)
    files.ca_key.write_text("not a key")
    ensure_tls(tmp_path)
    _cert(files.cert).verify_directly_issued_by(_cert(files.ca_cert))


async def _serve_tls(files: TlsFiles) -> asyncio.Server:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files.cert, files.key)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", 0, ssl=context)


async def test_a_strict_python_client_trusts_only_our_ca(tmp_path) -> None:
    files = ensure_tls(tmp_path)
    server = await _serve_tls(files)
    port = server.sockets[0].getsockname()[1]
    try:
        for host in ("127.0.0.1", "localhost"):
            client = ssl.create_default_context(cafile=str(files.ca_cert))
            client.verify_flags |= ssl.VERIFY_X509_STRICT
            reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client, server_hostname=host)
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert (await reader.read()).endswith(b"ok")
            writer.close()
        with pytest.raises(ssl.SSLCertVerificationError):
            await asyncio.open_connection("127.0.0.1", port, ssl=ssl.create_default_context())
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
async def test_node_accepts_it_through_node_extra_ca_certs(tmp_path) -> None:
    files = ensure_tls(tmp_path)
    server = await _serve_tls(files)
    port = server.sockets[0].getsockname()[1]
    script = (
        f"fetch('https://127.0.0.1:{port}/').then(r => r.text()).then(t => console.log(t))"
        ".catch(e => { console.error(e.cause || e); process.exit(1) })"
    )
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["NODE_EXTRA_CA_CERTS"] = str(files.ca_cert)
    try:
        node = await asyncio.create_subprocess_exec(
            "node", "-e", script, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        out, err = await asyncio.wait_for(node.communicate(), 30)
    finally:
        server.close()
        await server.wait_closed()
    assert node.returncode == 0, err.decode()
    assert out.decode().strip() == "ok"
