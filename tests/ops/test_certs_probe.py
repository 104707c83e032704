"""`goanalyzer ops certs probe`: real TLS handshakes with a server on 127.0.0.1 that the test starts."""

from __future__ import annotations

import importlib.util
import json
import socket
import ssl
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from goanalyzer.cli.main import main

DATA = Path(__file__).resolve().parent / "data" / "certs"
_spec = importlib.util.spec_from_file_location("certs_testgen", DATA / "certs_testgen.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

REAL_NOW = datetime.now(timezone.utc).replace(microsecond=0)
NOW = REAL_NOW.isoformat()


class TlsServer:
    """Accepts connections on 127.0.0.1, completes the handshake and closes; records the SNI names."""

    def __init__(self, certfile: Path, keyfile: Path):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(certfile), str(keyfile))
        self.names: list[str | None] = []
        self.context.sni_callback = lambda sslobj, name, ctx: self.names.append(name)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    tls.settimeout(5)
                    try:
                        tls.recv(1)
                    except (OSError, ssl.SSLError):
                        pass
            except (OSError, ssl.SSLError):
                conn.close()

    def close(self) -> None:
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture
def pki(tmp_path: Path) -> dict:
    ca, ca_key = gen.make_cert("probe-test-ca", REAL_NOW - timedelta(days=400), REAL_NOW + timedelta(days=3650), ca=True)
    (tmp_path / "ca.crt").write_text(gen.pem(ca))
    return {"dir": tmp_path, "ca": (ca, ca_key)}


def server_with(pki: dict, name: str, not_before: datetime, not_after: datetime) -> TlsServer:
    leaf, key = gen.make_cert("localhost", not_before, not_after, issuer=pki["ca"], dns=["localhost"], ips=["127.0.0.1"])
    cert_path, key_path = pki["dir"] / f"{name}.crt", pki["dir"] / f"{name}.key"
    cert_path.write_text(gen.pem(leaf) + gen.pem(pki["ca"][0]))
    key_path.write_text(gen.key_pem(key))
    return TlsServer(cert_path, key_path)


@pytest.fixture
def valid_server(pki):
    server = server_with(pki, "valid", REAL_NOW - timedelta(days=10), REAL_NOW + timedelta(days=200, hours=1))
    yield server
    server.close()


@pytest.fixture
def expired_server(pki):
    server = server_with(pki, "expired", REAL_NOW - timedelta(days=400), REAL_NOW - timedelta(days=35, hours=1))
    yield server
    server.close()


@pytest.fixture
def future_server(pki):
    server = server_with(pki, "future", REAL_NOW + timedelta(days=2), REAL_NOW + timedelta(days=400))
    yield server
    server.close()


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "certs", "probe", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def leaf_of(out: str) -> dict:
    return json.loads(out)["chain"][0]


def test_valid_certificate(valid_server, capsys):
    rc, out, err = run(capsys, f"127.0.0.1:{valid_server.port}", "--now", NOW, "--format", "json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    leaf = doc["chain"][0]
    assert leaf["position"] == 0
    assert leaf["certificate"]["subject"] == "CN=localhost"
    assert leaf["certificate"]["issuer"] == "CN=probe-test-ca"
    assert leaf["certificate"]["sans"] == ["DNS:localhost", "IP:127.0.0.1"]
    assert leaf["assessment"]["status"] == "ok"
    assert leaf["assessment"]["residual"] == "200d"
    assert doc["peer_address"] == "127.0.0.1"
    assert doc["servername"] is None
    assert doc["verified"] is None
    assert valid_server.names == [None]


def test_valid_text_and_servername(valid_server, capsys):
    rc, out, _ = run(capsys, f"127.0.0.1:{valid_server.port}", "--servername", "apiserver-loopback-client", "--now", NOW)
    assert rc == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"127.0.0.1:{valid_server.port} (127.0.0.1) servername=apiserver-loopback-client TLSv1.")
    assert lines[2].split()[:2] == ["#", "SUBJECT"]
    assert lines[3].split()[:3] == ["0", "CN=localhost", "CN=probe-test-ca"]
    assert lines[3].endswith("DNS:localhost, IP:127.0.0.1   ok")
    assert lines[-1] == "verification: not requested (use --verify or --cafile)"
    assert valid_server.names == ["apiserver-loopback-client"]


def test_expired_certificate(expired_server, pki, capsys):
    rc, out, _ = run(capsys, f"127.0.0.1:{expired_server.port}", "--now", NOW, "--format", "json")
    assert rc == 3
    leaf = leaf_of(out)
    assert (leaf["assessment"]["status"], leaf["assessment"]["severity"], leaf["assessment"]["residual"]) == ("expired", "critical", "-35d")
    rc, out, _ = run(capsys, f"127.0.0.1:{expired_server.port}", "--now", NOW, "--cafile", str(pki["dir"] / "ca.crt"))
    assert rc == 3
    assert out.splitlines()[-1] == "verification: failed: certificate has expired"


def test_not_yet_valid_certificate(future_server, capsys):
    rc, out, _ = run(capsys, f"localhost:{future_server.port}", "--now", NOW)
    assert rc == 3
    assert out.splitlines()[3].endswith("NOT YET VALID")
    assert future_server.names == ["localhost"]


def test_verification_against_ca(valid_server, pki, tmp_path, capsys):
    rc, out, _ = run(capsys, f"localhost:{valid_server.port}", "--now", NOW, "--cafile", str(pki["dir"] / "ca.crt"))
    assert rc == 0
    assert out.splitlines()[-1] == "verification: ok"
    other, _ = gen.make_cert("other-ca", REAL_NOW - timedelta(days=1), REAL_NOW + timedelta(days=10), ca=True)
    (tmp_path / "other.crt").write_text(gen.pem(other))
    rc, out, _ = run(capsys, f"localhost:{valid_server.port}", "--now", NOW, "--cafile", str(tmp_path / "other.crt"))
    assert rc == 1
    assert out.splitlines()[-1] == "verification: failed: self-signed certificate in certificate chain"


def test_expiring_within_warn_days(valid_server, capsys):
    rc, out, _ = run(capsys, f"127.0.0.1:{valid_server.port}", "--now", NOW, "--warn-days", "250", "--format", "json")
    assert rc == 1
    assert leaf_of(out)["assessment"]["status"] == "expiring"


def test_connection_refused_and_bad_target(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rc, out, err = run(capsys, f"127.0.0.1:{port}", "--timeout", "2")
    assert (rc, out) == (2, "")
    assert err == f"error: 127.0.0.1:{port}: cannot connect: Connection refused\n"
    rc, _, err = run(capsys, "localhost")
    assert rc == 2
    assert err == "error: expected HOST:PORT (e.g. 10.0.0.1:6443 or [::1]:6443), got 'localhost'\n"


def test_not_tls(capsys):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def answer() -> None:
        conn, _ = listener.accept()
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        conn.close()

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        rc, out, err = run(capsys, f"127.0.0.1:{port}")
    finally:
        thread.join(timeout=5)
        listener.close()
    assert (rc, out) == (2, "")
    assert err.startswith(f"error: 127.0.0.1:{port}: TLS handshake failed: ")


def test_served_chain_is_reported(valid_server, capsys):
    rc, out, _ = run(capsys, f"127.0.0.1:{valid_server.port}", "--now", NOW, "--format", "json")
    assert rc == 0
    doc = json.loads(out)
    assert doc["full_chain"] is True
    assert [(c["position"], c["certificate"]["subject"], c["certificate"]["is_ca"], c["assessment"]["residual"])
            for c in doc["chain"]] == [(0, "CN=localhost", False, "200d"), (1, "CN=probe-test-ca", True, "10y")]
    rc, out, _ = run(capsys, f"127.0.0.1:{valid_server.port}", "--now", NOW)
    lines = out.splitlines()
    assert lines[4].split()[:3] == ["1", "CN=probe-test-ca", "CN=probe-test-ca"]
    assert not any(line.startswith("note: only the leaf") for line in lines)


def test_expired_ca_in_served_chain_is_critical(tmp_path, capsys):
    ca, ca_key = gen.make_cert("old-ca", REAL_NOW - timedelta(days=800), REAL_NOW - timedelta(days=3), ca=True)
    pki = {"dir": tmp_path, "ca": (ca, ca_key)}
    server = server_with(pki, "leaf", REAL_NOW - timedelta(days=10), REAL_NOW + timedelta(days=200))
    try:
        rc, out, _ = run(capsys, f"127.0.0.1:{server.port}", "--now", NOW, "--format", "json")
    finally:
        server.close()
    assert rc == 3
    assert [(c["position"], c["assessment"]["status"]) for c in json.loads(out)["chain"]] == [(0, "ok"), (1, "expired")]
