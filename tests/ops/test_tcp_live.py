"""The live machine, on loopback only: a connection opened in this process is found by port
through /proc/net/tcp{,6} and /proc/PID/fd, then closed with `ss -K` where the kernel and
privileges allow; the peer must see the reset. Where they do not, the tool's message is checked."""

from __future__ import annotations

import json
import os
import shutil
import socket

import pytest

from goanalyzer.cli.main import main

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="needs Linux /proc/net/tcp")

STILL_OPEN = ("the kernel did not destroy it: ss -K needs root (CAP_NET_ADMIN) and a kernel built with "
              "CONFIG_INET_DIAG_DESTROY")


def run(capsys, *args):
    rc = main(["ops", "tcp", *args])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def _pair(family: int, host: str):
    server = socket.socket(family, socket.SOCK_STREAM)
    server.bind((host, 0))
    server.listen()
    client = socket.create_connection(server.getsockname()[:2])
    accepted, _ = server.accept()
    client.settimeout(10)
    return server, client, accepted


def test_live_loopback_find_and_close_with_ss_k(capsys):
    server, client, accepted = _pair(socket.AF_INET, "127.0.0.1")
    try:
        port = server.getsockname()[1]
        peer = client.getsockname()[1]
        me = os.getpid()

        rc, out, err = run(capsys, "find", "--port", str(port), "--format", "json")
        assert rc == 1, err
        found = json.loads(out)
        assert found["format"] == "live"
        assert sorted((c["state"], c["local"], c["remote"]) for c in found["connections"]) == sorted([
            ("LISTEN", f"127.0.0.1:{port}", "0.0.0.0:*"),
            ("ESTABLISHED", f"127.0.0.1:{port}", f"127.0.0.1:{peer}"),
            ("ESTABLISHED", f"127.0.0.1:{peer}", f"127.0.0.1:{port}"),
        ])
        local_ports = [int(c["local"].rsplit(":", 1)[1]) for c in found["connections"]]
        assert local_ports == sorted(local_ports)  # deterministic order: by local port
        fds = {accepted.fileno(), client.fileno(), server.fileno()}
        for connection in found["connections"]:
            assert [p["pid"] for p in connection["processes"]] == [me]
            assert connection["processes"][0]["fd"] in fds

        rc, out, err = run(capsys, "kill-plan", "--local-port", str(port), "--state", "established",
                           "--execute", "--yes")
        assert out.splitlines()[3] == (f"  ss:      ss -K -4 -t -n state established src 127.0.0.1:{port} "
                                       f"and dst 127.0.0.1:{peer}")
        if shutil.which("ss") is None:
            assert rc == 3
            assert err == "error: ss not found on PATH (install iproute2); nothing was closed\n"
            return
        if rc == 3:  # not root, or a kernel without INET_DIAG_DESTROY
            assert out.splitlines()[-2].startswith(
                f"still open: 127.0.0.1:{port} -> 127.0.0.1:{peer} (ESTABLISHED): {STILL_OPEN}")
            assert out.splitlines()[-1] == "0 of 1 connection(s) closed"
            return
        assert (rc, err) == (0, "")
        assert out.splitlines()[-2:] == [
            f"closed: 127.0.0.1:{port} -> 127.0.0.1:{peer} (gone from a fresh snapshot)",
            "1 of 1 connection(s) closed",
        ]
        # SOCK_DESTROY aborts an ESTABLISHED socket with tcp_send_active_reset(): the peer gets a RST,
        # never an orderly EOF.
        with pytest.raises(ConnectionResetError):
            client.recv(16)
        # The listener and the client side were not touched by the precise filter.
        rc, out, _ = run(capsys, "find", "--port", str(port), "--state", "listen", "--format", "json")
        assert [c["local"] for c in json.loads(out)["connections"]] == [f"127.0.0.1:{port}"]
    finally:
        for sock in (client, accepted, server):
            sock.close()


def test_live_ipv6_loopback_found_by_port(capsys):
    try:
        server, client, accepted = _pair(socket.AF_INET6, "::1")
    except OSError:
        pytest.skip("no IPv6 loopback")
    try:
        port = server.getsockname()[1]
        peer = client.getsockname()[1]
        rc, out, _ = run(capsys, "find", "--remote-port", str(port), "--format", "json")
        connections = json.loads(out)["connections"]
        assert rc == 1
        assert [(c["family"], c["state"], c["local"], c["remote"]) for c in connections] == [
            ("ipv6", "ESTABLISHED", f"[::1]:{peer}", f"[::1]:{port}")]
        assert connections[0]["processes"][0]["pid"] == os.getpid()
        rc, out, _ = run(capsys, "kill-plan", "--remote-port", str(port), "--format", "json")
        assert json.loads(out)["closes"][0]["ss"] == (
            f"ss -K -6 -t -n state established src '[::1]:{peer}' and dst '[::1]:{port}'")
    finally:
        for sock in (client, accepted, server):
            sock.close()
