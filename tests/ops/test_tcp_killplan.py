"""`goanalyzer ops tcp kill-plan`: the exact ss -K / tcpkill commands for saved snapshots, and
--execute's refusal paths (ss missing, ss doing nothing, ss not permitted, declined prompt)
against a real loopback connection with a stand-in `ss` on PATH."""

from __future__ import annotations

import io
import json
import socket
import sys
from pathlib import Path

import pytest

from goanalyzer.cli.main import main

DATA = Path(__file__).parent / "data" / "tcp"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
SS = str(DATA / "ss-tanp-kubelet.txt")
NETSTAT = str(DATA / "netstat-anp-kubelet.txt")
STILL_OPEN = ("the kernel did not destroy it: ss -K needs root (CAP_NET_ADMIN) and a kernel built with "
              "CONFIG_INET_DIAG_DESTROY")


def run(capsys, *args):
    rc = main(["ops", "tcp", *args])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def test_plan_for_kubelet_connection_text(capsys):
    rc, out, err = run(capsys, "kill-plan", "--port", "4080", "--state", "ESTABLISHED", SS)
    assert (rc, err) == (1, "")
    lines = out.splitlines()
    assert lines[:5] == [
        f"1 connection(s) to close (from {SS}):",
        "",
        "ESTABLISHED 10.10.1.5:4080 -> 10.10.1.20:6443 1789/kubelet",
        "  ss:      ss -K -4 -t -n state established src 10.10.1.5:4080 and dst 10.10.1.20:6443",
        "  tcpkill: tcpkill -9 'tcp and ((src host 10.10.1.5 and src port 4080 and dst host 10.10.1.20 and "
        "dst port 6443) or (src host 10.10.1.20 and src port 6443 and dst host 10.10.1.5 and dst port 4080))'",
    ]
    assert lines[6] == "caveats:"
    assert lines[7] == (f"  - planned from a saved snapshot ({SS}); the connections may have changed since: "
                        "run without INPUT on the machine itself before acting")
    assert "  - tcpkill only acts on traffic: it forges RSTs from the sequence numbers of a packet it sniffs, " \
           "so an idle connection is not reset until one side sends something." in lines
    assert "  - tcpkill keeps running after the reset and resets every new connection its filter matches; " \
           "stop it (Ctrl-C) once the connection is gone." in lines


def test_plan_json_ipv6_mapped_time_wait_and_wildcard_listener(capsys):
    rc, out, _ = run(capsys, "kill-plan", "--port", "4080", "--format", "json", SS)
    plan = json.loads(out)
    assert rc == 1 and plan["live"] is False and plan["filters"] == {"port": 4080}
    assert [(c["ss"], c["tcpkill"] is not None) for c in plan["closes"]] == [
        ("ss -K -4 -t -n state established src 10.10.1.5:4080 and dst 10.10.1.20:6443", True),
        ("ss -K -6 -t -n state time-wait src '[::1]:4080' and dst '[::1]:38422'", False),
        ("ss -K -4 -t -n state time-wait src 10.10.1.5:41016 and dst 10.10.1.20:4080", True),
        ("ss -K -6 -t -n state close-wait src '[::ffff:10.10.1.5]:51220' and dst '[::ffff:10.10.1.20]:4080'", True),
    ]
    assert plan["closes"][1]["notes"] == [
        "no process holds a TIME-WAIT socket; it expires by itself (60 s on Linux) and some kernels refuse to "
        "destroy it",
        "tcpkill handles IPv4 only",
    ]
    assert plan["closes"][3]["tcpkill"].startswith("tcpkill -9 'tcp and ((src host 10.10.1.5 and src port 51220")
    rc, out, _ = run(capsys, "kill-plan", "--local-port", "10250", "--format", "json", SS)
    listener = json.loads(out)["closes"][0]
    assert listener["ss"] == "ss -K -t -n state listening sport = :10250"
    assert listener["tcpkill"] is None
    assert listener["notes"] == [
        "an address is not numeric (a host name, or * for any): the ss filter uses ports only",
        "closing a listening socket stops the service accepting new connections",
        "tcpkill cannot close a listening socket: it resets connections, not listeners",
    ]


def test_plan_from_netstat_with_host_names_uses_ports(capsys):
    path = SAMPLES / "netstat-ss" / "jc-ubuntu-18.04-netstat-p.out"
    if not path.exists():
        pytest.skip("shared samples not present")
    rc, out, _ = run(capsys, "kill-plan", "--port", "22", "--format", "json", str(path))
    close = json.loads(out)["closes"][0]
    assert rc == 1
    assert close["ss"] == "ss -K -t -n state established sport = :22 and dport = :65159"
    assert close["tcpkill"] == ("tcpkill -9 'tcp and ((src host kbrazil-ubuntu and src port 22 and dst host "
                                "192.168.71.1 and dst port 65159) or (src host 192.168.71.1 and src port 65159 "
                                "and dst host kbrazil-ubuntu and dst port 22))'")


def test_unknown_service_name_gets_no_ss_command(capsys, tmp_path):
    saved = tmp_path / "netstat.txt"
    saved.write_text("Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name\n"
                     "tcp        0      0 web01:4080              db01:zz-unknown-svc     ESTABLISHED 77/app\n")
    rc, out, _ = run(capsys, "kill-plan", "--local-port", "4080", "--format", "json", str(saved))
    close = json.loads(out)["closes"][0]
    assert (rc, close["ss"], close["tcpkill"]) == (1, None, None)
    assert close["notes"] == ["no ss command: a port was printed as an unknown service name; save the output with -n"]


def test_nothing_to_close_exits_zero(capsys):
    rc, out, _ = run(capsys, "kill-plan", "--port", "408", NETSTAT)
    assert (rc, out) == (0, f"no matching connection in {NETSTAT}: nothing to close\n")


def test_usage_errors(capsys):
    rc, out, err = run(capsys, "kill-plan", NETSTAT)
    assert (rc, out) == (2, "")
    assert err == ("error: kill-plan needs at least one filter (--port, --local-port, --remote-port, --state, "
                   "--pid or --process)\n")
    rc, out, err = run(capsys, "kill-plan", "--port", "4080", "--execute", NETSTAT)
    assert (rc, out, err) == (2, "", "error: --execute acts on the live machine only; drop INPUT\n")
    rc, _, err = run(capsys, "kill-plan", "--port", "4080", str(DATA / "bad-ss-state.txt"))
    assert (rc, err) == (2, f"error: {DATA / 'bad-ss-state.txt'}:4: unknown TCP state 'ESTABLISHED-ISH'\n")


@pytest.fixture
def loopback():
    """A listening socket, a client and the accepted server side, all on 127.0.0.1."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    client = socket.create_connection(server.getsockname())
    accepted, _ = server.accept()
    client.settimeout(10)
    yield server, client, accepted
    for sock in (client, accepted, server):
        sock.close()


def _fake_ss(tmp_path: Path, body: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "ss"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return bin_dir


def _still_established(capsys, port: int) -> list[str]:
    main(["ops", "tcp", "find", "--local-port", str(port), "--state", "established", "--format", "json"])
    return [c["local"] for c in json.loads(capsys.readouterr().out)["connections"]]


def test_execute_when_ss_is_missing(capsys, monkeypatch, tmp_path, loopback):
    server, client, accepted = loopback
    port = server.getsockname()[1]
    monkeypatch.setenv("PATH", str(tmp_path))
    rc, out, err = run(capsys, "kill-plan", "--local-port", str(port), "--state", "established", "--execute",
                       "--yes")
    assert rc == 3
    assert err == "error: ss not found on PATH (install iproute2); nothing was closed\n"
    assert out.startswith("1 connection(s) to close (from live:/proc):\n")
    assert _still_established(capsys, port) == [f"127.0.0.1:{port}"]


def test_execute_when_kernel_silently_refuses(capsys, monkeypatch, tmp_path, loopback):
    """ss on a kernel without INET_DIAG_DESTROY prints nothing and exits 0: only the fresh
    snapshot shows the connection is still there."""
    server, client, accepted = loopback
    port = server.getsockname()[1]
    peer = client.getsockname()[1]
    monkeypatch.setenv("PATH", str(_fake_ss(tmp_path, "exit 0")))
    rc, out, err = run(capsys, "kill-plan", "--local-port", str(port), "--state", "established", "--execute",
                       "--yes")
    assert (rc, err) == (3, "")
    assert out.splitlines()[-2:] == [
        f"still open: 127.0.0.1:{port} -> 127.0.0.1:{peer} (ESTABLISHED): {STILL_OPEN}",
        "0 of 1 connection(s) closed",
    ]


def test_execute_when_not_permitted_reports_ss_error_json(capsys, monkeypatch, tmp_path, loopback):
    server, client, accepted = loopback
    port = server.getsockname()[1]
    monkeypatch.setenv("PATH", str(_fake_ss(
        tmp_path, 'echo "SOCK_DESTROY answers: Operation not permitted" >&2\nexit 1')))
    rc, out, _ = run(capsys, "kill-plan", "--local-port", str(port), "--state", "established", "--execute",
                     "--yes", "--format", "json")
    report = json.loads(out)
    assert rc == 3
    assert report["executed"][0]["closed"] is False
    assert report["executed"][0]["ss_returncode"] == 1
    assert report["executed"][0]["ss_error"] == "SOCK_DESTROY answers: Operation not permitted"
    assert report["executed"][0]["still_state"] == "ESTABLISHED"


def test_execute_declined_closes_nothing(capsys, monkeypatch, loopback):
    server, client, accepted = loopback
    port = server.getsockname()[1]
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    rc, out, err = run(capsys, "kill-plan", "--local-port", str(port), "--state", "established", "--execute")
    assert rc == 1
    assert err == "Close 1 connection(s) with ss -K? [y/N]: aborted: nothing was closed\n"
    assert _still_established(capsys, port) == [f"127.0.0.1:{port}"]


@pytest.mark.parametrize("command,line", [
    ("find", "1  connections matched (something holds the port)"),
    ("kill-plan", "3  --execute left connections open (ss missing, not permitted, or kernel refused)"),
    ("parse-tcpkill", "1  a run reset nothing (it saw no traffic: idle connections are not reset)"),
])
def test_help_documents_exit_codes(capsys, command, line):
    rc, out, _ = run(capsys, command, "--help")
    assert rc == 0
    assert "Exit codes:" in out
    assert line in [text.strip() for text in out.splitlines()]
