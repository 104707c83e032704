"""`goanalyzer ops tcp find`: exact port/PID/state matching on saved netstat, ss and /proc
output, text and JSON, exit codes, and a fixture /proc tree for the live reader."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from goanalyzer.cli.main import main

DATA = Path(__file__).parent / "data" / "tcp"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
NETSTAT = str(DATA / "netstat-anp-kubelet.txt")
SS = str(DATA / "ss-tanp-kubelet.txt")
PROC = str(DATA / "proc-net-tcp-and-tcp6.txt")


def run(capsys, *args):
    rc = main(["ops", "tcp", *args])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def test_find_port_4080_in_netstat_text(capsys):
    rc, out, err = run(capsys, "find", "--port", "4080", NETSTAT)
    assert rc == 1
    assert err == ""
    assert out.splitlines() == [
        "STATE        LOCAL                REMOTE               PROCESS",
        "ESTABLISHED  10.10.1.5:4080       10.10.1.20:6443      1789/kubelet",
        "TIME_WAIT    [::1]:4080           [::1]:38422          -",
        "CLOSE_WAIT   [2001:db8::5]:51220  [2001:db8::20]:4080  2300/curl",
        f"3 connection(s) matched in {NETSTAT} (netstat)",
    ]


@pytest.mark.parametrize("path,expected", [
    (NETSTAT, ["10.10.1.5:4080", "[::1]:4080", "[2001:db8::5]:51220"]),
    (SS, ["10.10.1.5:4080", "[::1]:4080", "10.10.1.5:41016", "[::ffff:10.10.1.5]:51220"]),
    (PROC, ["10.10.1.5:4080", "[::1]:4080", "10.10.1.5:41016", "[2001:db8::5]:51220"]),
])
def test_port_4080_never_matches_14080_40800_pid_uid_or_inode_4080(capsys, path, expected):
    rc, out, _ = run(capsys, "find", "--port", "4080", "--format", "json", path)
    report = json.loads(out)
    assert rc == 1
    assert [c["local"] for c in report["connections"]] == expected
    for connection in report["connections"]:
        assert 4080 in (connection["local_port"], connection["remote_port"])


def test_pid_filter_is_the_process_not_the_port(capsys):
    rc, out, _ = run(capsys, "find", "--pid", "4080", NETSTAT)
    assert rc == 1
    assert out.splitlines()[1:] == [
        "ESTABLISHED  10.10.1.5:8080  10.10.1.7:40800  4080/java",
        f"1 connection(s) matched in {NETSTAT} (netstat)",
    ]


def test_local_remote_and_state_filters(capsys):
    rc, out, _ = run(capsys, "find", "--local-port", "4080", "--format", "json", SS)
    assert [(c["state"], c["local"]) for c in json.loads(out)["connections"]] == [
        ("ESTABLISHED", "10.10.1.5:4080"), ("TIME_WAIT", "[::1]:4080")]
    rc, out, _ = run(capsys, "find", "--remote-port", "4080", "--format", "json", SS)
    assert [(c["state"], c["remote"]) for c in json.loads(out)["connections"]] == [
        ("TIME_WAIT", "10.10.1.20:4080"), ("CLOSE_WAIT", "[::ffff:10.10.1.20]:4080")]
    rc, out, _ = run(capsys, "find", "--port", "4080", "--state", "estab", "--state", "close-wait", "--format",
                     "json", SS)
    report = json.loads(out)
    assert report["filters"] == {"port": 4080, "state": ["ESTABLISHED", "CLOSE_WAIT"]}
    assert [c["state"] for c in report["connections"]] == ["ESTABLISHED", "CLOSE_WAIT"]
    assert report["connections"][0]["processes"] == [{"pid": 1789, "name": "kubelet", "fd": 31}]


def test_find_json_shape(capsys):
    rc, out, _ = run(capsys, "find", "--port", "14080", "--format", "json", NETSTAT)
    report = json.loads(out)
    assert rc == 1
    assert report["format"] == "netstat" and report["matched"] == 2 and report["skipped_non_tcp"] == 3
    assert report["connections"][1] == {
        "family": "ipv4", "state": "ESTABLISHED", "local": "10.10.1.5:14080", "local_host": "10.10.1.5",
        "local_port": 14080, "remote": "10.10.1.33:51514", "remote_host": "10.10.1.33", "remote_port": 51514,
        "processes": [{"pid": 2213, "name": "nginx: worker", "fd": None}], "inode": None, "uid": None, "line": 9,
    }


def test_nothing_matched_exits_zero(capsys):
    rc, out, _ = run(capsys, "find", "--port", "408", NETSTAT)
    assert (rc, out) == (0, f"0 connection(s) matched in {NETSTAT} (netstat)\n")


def test_find_on_shared_ss_sample(capsys):
    path = SAMPLES / "netstat-ss" / "jc-ubuntu-18.04-ss-sudo-tulpen.out"
    if not path.exists():
        pytest.skip("shared samples not present")
    rc, out, _ = run(capsys, "find", "--port", "80", str(path))
    assert rc == 1
    assert out.splitlines()[1].split() == [
        "LISTEN", "0.0.0.0:80", "0.0.0.0:*",
        "2079//usr/sbin/apach,2153//usr/sbin/apach,2154//usr/sbin/apach,2155//usr/sbin/apach,"
        "2156//usr/sbin/apach,2157//usr/sbin/apach,24795//usr/sbin/apach"]
    rc, out, _ = run(capsys, "find", "--port", "8", str(path))
    assert rc == 0


def test_malformed_input_one_line_error_exit_2(capsys):
    rc, out, err = run(capsys, "find", "--port", "4080", str(DATA / "bad-netstat-row.txt"))
    assert (rc, out) == (2, "")
    assert err == f"error: {DATA / 'bad-netstat-row.txt'}:7: local address '10.10.1.5' has no :port\n"


def test_missing_file_and_bad_options(capsys, tmp_path):
    rc, _, err = run(capsys, "find", str(tmp_path / "nope.txt"))
    assert (rc, err) == (2, f"error: {tmp_path / 'nope.txt'}: no such file\n")
    rc, _, err = run(capsys, "find", "--state", "bogus", NETSTAT)
    assert rc == 2
    assert "unknown TCP state 'bogus'" in err
    rc, _, err = run(capsys, "find", "--port", "70000", NETSTAT)
    assert rc == 2
    assert "70000 is not in the range 1<=x<=65535" in err


def _fake_proc(root: Path) -> Path:
    """A /proc tree: net tables from the data folder, kubelet (pid 1789) holding inode 48213
    on fd 31, pid 4080 holding inode 4080, and a process whose fd is not a socket."""
    text = (DATA / "proc-net-tcp-and-tcp6.txt").read_text()
    tcp, tcp6 = text.split("  sl  local_address                         remote_address")
    (root / "net").mkdir(parents=True)
    (root / "net" / "tcp").write_text(tcp)
    (root / "net" / "tcp6").write_text("  sl  local_address                         remote_address" + tcp6)
    for pid, comm, links in ((1789, "kubelet", {"31": "socket:[48213]", "0": "/dev/null"}),
                             (4080, "java", {"120": "socket:[4080]"}),
                             (2300, "curl", {"5": "socket:[77120]", "6": "pipe:[555]"})):
        (root / str(pid) / "fd").mkdir(parents=True)
        (root / str(pid) / "comm").write_text(comm + "\n")
        for fd, target in links.items():
            os.symlink(target, root / str(pid) / "fd" / fd)
    (root / "self").mkdir()
    return root


def test_live_reader_on_fixture_proc_tree(capsys, tmp_path):
    proc = _fake_proc(tmp_path / "proc")
    rc, out, _ = run(capsys, "find", "--port", "4080", "--proc", str(proc))
    assert rc == 1
    assert out.splitlines() == [
        "STATE        LOCAL                REMOTE               PROCESS",
        "ESTABLISHED  10.10.1.5:4080       10.10.1.20:6443      1789/kubelet",
        "TIME_WAIT    [::1]:4080           [::1]:38422          -",
        "TIME_WAIT    10.10.1.5:41016      10.10.1.20:4080      -",
        "CLOSE_WAIT   [2001:db8::5]:51220  [2001:db8::20]:4080  2300/curl",
        f"4 connection(s) matched in live:{proc} (live)",
        "note: 3 socket(s) have no visible owner (another user's or another PID namespace's process)",
    ]
    rc, out, _ = run(capsys, "find", "--pid", "4080", "--format", "json", "--proc", str(proc))
    report = json.loads(out)
    assert [(c["local"], c["processes"]) for c in report["connections"]] == [
        ("10.10.1.5:8080", [{"pid": 4080, "name": "java", "fd": 120}])]


def test_live_reader_without_net_tables(capsys, tmp_path):
    rc, _, err = run(capsys, "find", "--proc", str(tmp_path))
    assert rc == 2
    assert err == f"error: {tmp_path}/net/tcp: cannot read: no such file (is this a Linux /proc?)\n"
