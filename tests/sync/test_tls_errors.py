"""A server whose certificate is refused is reported as such, not as "injoignable" (issue 18, item 9).

A loopback HTTPS server with a self-signed certificate made on the fly (the `cryptography` package)."""

from __future__ import annotations

import datetime as dt
import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sync.client import AccountClient, CertificateRefused, Offline


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class _Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"version": "x", "url": "https://x"}')

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    cert, key = _self_signed(tmp_path)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://localhost:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_self_signed_certificate_is_reported_as_refused_not_unreachable(self_signed_server: str) -> None:
    sleeps: list[float] = []
    client = AccountClient(self_signed_server, retries=3, sleep=sleeps.append)
    with client, pytest.raises(CertificateRefused) as exc:
        client.login("a@exemple.fr", "mot de passe")
    assert "certificat du serveur refusé" in exc.value.message
    assert "injoignable" not in exc.value.message
    assert not isinstance(exc.value, Offline)
    assert sleeps == []  # a refused certificate is not retried: it will not get better


def test_a_closed_port_is_still_unreachable() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = AccountClient(f"http://127.0.0.1:{port}", retries=0)
    with client, pytest.raises(Offline) as exc:
        client.login("a@exemple.fr", "mot de passe")
    assert "injoignable" in exc.value.message
