"""`goanalyzer ops tcp --process` and `tcp port-check`: the process filter, and the note's root cause
(a service port inside net.ipv4.ip_local_port_range and not reserved) read from a fake /proc/sys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main

DATA = Path(__file__).parent / "data" / "tcp"
NETSTAT = str(DATA / "netstat-anp-kubelet.txt")
SS = str(DATA / "ss-tanp-kubelet.txt")


def run(capsys, *args):
    rc = main(["ops", "tcp", *args])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def fake_proc(root: Path, port_range: str | None = "1024\t65000\n", reserved: str | None = "8000-8080,30000\n") -> Path:
    sysctl = root / "sys" / "net" / "ipv4"
    sysctl.mkdir(parents=True)
    if port_range is not None:
        (sysctl / "ip_local_port_range").write_text(port_range)
    if reserved is not None:
        (sysctl / "ip_local_reserved_ports").write_text(reserved)
    return root


def test_process_filter_exact_comm_and_netstat_title(capsys):
    rc, out, _ = run(capsys, "find", "--process", "kubelet", NETSTAT)
    assert rc == 1
    assert out.splitlines() == [
        "STATE        LOCAL            REMOTE           PROCESS",
        "ESTABLISHED  10.10.1.5:4080   10.10.1.20:6443  1789/kubelet",
        "LISTEN       127.0.0.1:10248  0.0.0.0:*        1789/kubelet",
        "LISTEN       [::]:10250       [::]:*           1789/kubelet",
        f"3 connection(s) matched in {NETSTAT} (netstat)",
    ]
    rc, out, _ = run(capsys, "find", "--process", "nginx", "--format", "json", NETSTAT)
    assert rc == 1
    doc = json.loads(out)
    assert doc["filters"] == {"process": "nginx"}
    assert [(c["local"], c["processes"][0]["name"]) for c in doc["connections"]] == [
        ("0.0.0.0:14080", "nginx: master"), ("10.10.1.5:14080", "nginx: worker"),
    ]
    assert run(capsys, "find", "--process", "kube", NETSTAT)[0] == 0  # no prefix matching
    assert run(capsys, "find", "--process", "nginx:", NETSTAT)[0] == 0


def test_process_filter_matches_the_kernels_15_character_name(capsys):
    rc, out, _ = run(capsys, "find", "--process", "systemd-resolved", "--format", "json", SS)
    assert rc == 1
    assert [(c["local"], [p["name"] for p in c["processes"]]) for c in json.loads(out)["connections"]] == [
        ("127.0.0.53%lo:53", ["systemd-resolve"]),
    ]


def test_kill_plan_with_process_and_port(capsys):
    rc, out, _ = run(capsys, "kill-plan", "--process", "kubelet", "--local-port", "4080", "--format", "json", SS)
    assert rc == 1
    plan = json.loads(out)
    assert plan["filters"] == {"local_port": 4080, "process": "kubelet"}
    assert [c["ss"] for c in plan["closes"]] == [
        "ss -K -4 -t -n state established src 10.10.1.5:4080 and dst 10.10.1.20:6443",
    ]


def test_port_check_listeners_inside_the_range(capsys, tmp_path):
    proc = fake_proc(tmp_path / "proc")
    rc, out, err = run(capsys, "port-check", "--proc", str(proc), NETSTAT)
    assert (rc, err) == (1, "")
    sysctl = proc / "sys" / "net" / "ipv4"
    assert out.splitlines() == [
        f"ephemeral ports 1024-65000, reserved 8000-8080,30000 (from {sysctl / 'ip_local_port_range'}, "
        f"{sysctl / 'ip_local_reserved_ports'})",
        "PORT   CHECKED AS                 IN RANGE  RESERVED  HELD BY  VERDICT",
        "22     listen 1021/sshd           no        no        -        ok",
        "10248  listen 1789/kubelet        yes       no        -        AT RISK",
        "10250  listen 1789/kubelet        yes       no        -        AT RISK",
        "14080  listen 2211/nginx: master  yes       no        -        AT RISK",
        "",
        "fix (reserve the ports at risk; the ports already reserved are kept):",
        "  sysctl -w net.ipv4.ip_local_reserved_ports=8000-8080,10248,10250,14080,30000",
        "  echo 'net.ipv4.ip_local_reserved_ports = 8000-8080,10248,10250,14080,30000' > /etc/sysctl.d/90-reserved-ports.conf"
        "   # keep it across reboots",
        "3 of 4 port(s) at risk",
    ]


def test_port_check_the_notes_port_4080_held_by_kubelet(capsys, tmp_path):
    proc = fake_proc(tmp_path / "proc", reserved="")
    rc, out, _ = run(capsys, "port-check", "--proc", str(proc), "--port", "4080", "--port", "80", "--format", "json", NETSTAT)
    assert rc == 1
    doc = json.loads(out)
    assert (doc["ip_local_port_range"], doc["ip_local_reserved_ports"]) == ([1024, 65000], "")
    assert [(p["port"], p["in_range"], p["reserved"], p["at_risk"]) for p in doc["ports"]] == [(80, False, False, False), (4080, True, False, True)]
    assert [(h["state"], h["local"], h["processes"]) for h in doc["ports"][1]["held_by"]] == [
        ("ESTABLISHED", "10.10.1.5:4080", [{"pid": 1789, "name": "kubelet", "fd": None}]),
        ("TIME_WAIT", "[::1]:4080", []),
    ]
    assert doc["reserved_ports_value"] == "4080"
    assert doc["fix"] == [
        "sysctl -w net.ipv4.ip_local_reserved_ports=4080",
        "echo 'net.ipv4.ip_local_reserved_ports = 4080' > /etc/sysctl.d/90-reserved-ports.conf   # keep it across reboots",
        "goanalyzer ops tcp kill-plan --local-port 4080   # reserving does not free a port already taken",
    ]


def test_port_check_reserved_or_outside_is_ok(capsys, tmp_path):
    proc = fake_proc(tmp_path / "proc", port_range="32768\t60999\n", reserved="4000-4100\n")
    rc, out, _ = run(capsys, "port-check", "--proc", str(proc), "--port", "4080", "--port", "10250", NETSTAT)
    assert rc == 0
    assert out.splitlines()[1:] == [
        "PORT   CHECKED AS  IN RANGE  RESERVED  HELD BY                                                                                            VERDICT",
        "4080   --port      no        yes       1789/kubelet ESTABLISHED 10.10.1.5:4080 -> 10.10.1.20:6443; - TIME_WAIT [::1]:4080 -> [::1]:38422  ok",
        "10250  --port      no        no        -                                                                                                  ok",
        "0 of 2 port(s) at risk",
    ]


def test_port_check_options_override_sysctl_files(capsys, tmp_path):
    rc, out, _ = run(capsys, "port-check", "--proc", str(tmp_path), "--port-range", "1024-65535", "--reserved-ports", "4080,4081,9000-9100",
                     "--port", "4082", "--format", "json", SS)
    assert rc == 1
    doc = json.loads(out)
    assert (doc["settings_from"], doc["ip_local_reserved_ports"]) == ("options", "4080-4081,9000-9100")
    assert doc["reserved_ports_value"] == "4080-4082,9000-9100"


@pytest.mark.parametrize("port_range,reserved,message", [
    (None, "", "ip_local_port_range: no such file"),
    ("32768\n", "", "ip_local_port_range:1: expected two port numbers (e.g. '32768 60999'), got '32768'"),
    ("60999\t32768\n", "", "ip_local_port_range:1: port range 60999-32768 is not within 1-65535 with low <= high"),
    ("1024\t65000\n", "80,http\n", "ip_local_reserved_ports:1: 'http' is not a port or a port range (e.g. 4080 or 8000-8080)"),
])
def test_port_check_bad_sysctl_files_exit_2(capsys, tmp_path, port_range, reserved, message):
    proc = fake_proc(tmp_path / "proc", port_range=port_range, reserved=reserved)
    rc, out, err = run(capsys, "port-check", "--proc", str(proc), "--port", "80", NETSTAT)
    assert (rc, out) == (2, "")
    assert err == f"error: {proc / 'sys' / 'net' / 'ipv4'}/{message}\n"


def test_port_check_without_reserved_ports_file(capsys, tmp_path):
    proc = fake_proc(tmp_path / "proc", reserved=None)
    rc, out, _ = run(capsys, "port-check", "--proc", str(proc), "--port", "22", NETSTAT)
    assert rc == 0
    assert out.splitlines()[0] == f"ephemeral ports 1024-65000, reserved none (from {proc / 'sys' / 'net' / 'ipv4' / 'ip_local_port_range'})"


def test_non_utf8_process_title_is_kept_as_escape(capsys, tmp_path):
    saved = tmp_path / "netstat.txt"
    saved.write_bytes(Path(NETSTAT).read_bytes().replace(b"3310/sshd: ops [pr", b"3310/sshd: \xe9t\xe9 [pr"))
    rc, out, err = run(capsys, "find", "--port", "22", saved.as_posix())
    assert (rc, err) == (1, "")
    assert "3310/sshd: \\xe9t\\xe9 [pr" in out


def test_port_check_on_the_live_proc_tree(capsys, tmp_path):
    proc = fake_proc(tmp_path / "proc")
    (proc / "net").mkdir()
    lines = (DATA / "proc-net-tcp-and-tcp6.txt").read_text().splitlines()
    (proc / "net" / "tcp").write_text("\n".join(lines[:4]) + "\n")  # listeners 127.0.0.1:10248, 0.0.0.0:14080; 4080 held
    (proc / "1789" / "fd").mkdir(parents=True)
    (proc / "1789" / "comm").write_text("kubelet\n")
    (proc / "1789" / "fd" / "18").symlink_to("socket:[23456]")
    rc, out, _ = run(capsys, "port-check", "--proc", str(proc), "--port", "4080", "--port", "10248")
    assert rc == 1
    assert out.splitlines()[1:4] == [
        "PORT   CHECKED AS  IN RANGE  RESERVED  HELD BY                                          VERDICT",
        "4080   --port      yes       no        - ESTABLISHED 10.10.1.5:4080 -> 10.10.1.20:6443  AT RISK",
        "10248  --port      yes       no        -                                                AT RISK",
    ]
