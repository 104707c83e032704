"""netstat, ss and /proc/net/tcp readers: exact fields from real-format inputs, and
malformed input reported as file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.tcp.detect import detect_format, load_snapshot
from goanalyzer.ops.tcp.model import Endpoint, Family, InputFormat, Process, TcpState, parse_state
from goanalyzer.ops.tcp.parse_proc import decode_address

DATA = Path(__file__).parent / "data" / "tcp"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"


def sample(relative: str) -> Path:
    path = SAMPLES / relative
    if not path.exists():
        pytest.skip("shared samples not present")
    return path


def rows(snapshot):
    return [(c.family.value, c.state.value, str(c.local), str(c.remote), [str(p) for p in c.processes], c.line)
            for c in snapshot.connections]


def test_netstat_anp_rows_owners_and_skipped_non_tcp():
    snapshot = load_snapshot(str(DATA / "netstat-anp-kubelet.txt"))
    assert snapshot.format is InputFormat.NETSTAT
    assert rows(snapshot) == [
        ("ipv4", "LISTEN", "127.0.0.1:10248", "0.0.0.0:*", ["1789/kubelet"], 5),
        ("ipv4", "LISTEN", "0.0.0.0:22", "0.0.0.0:*", ["1021/sshd"], 6),
        ("ipv4", "LISTEN", "0.0.0.0:14080", "0.0.0.0:*", ["2211/nginx: master"], 7),
        ("ipv4", "ESTABLISHED", "10.10.1.5:4080", "10.10.1.20:6443", ["1789/kubelet"], 8),
        ("ipv4", "ESTABLISHED", "10.10.1.5:14080", "10.10.1.33:51514", ["2213/nginx: worker"], 9),
        ("ipv4", "ESTABLISHED", "10.10.1.5:8080", "10.10.1.7:40800", ["4080/java"], 10),
        ("ipv4", "ESTABLISHED", "10.10.1.5:22", "10.10.0.9:61022", ["3310/sshd: ops [pr"], 11),
        ("ipv6", "LISTEN", "[::]:10250", "[::]:*", ["1789/kubelet"], 12),
        ("ipv6", "TIME_WAIT", "[::1]:4080", "[::1]:38422", [], 13),
        ("ipv6", "CLOSE_WAIT", "[2001:db8::5]:51220", "[2001:db8::20]:4080", ["2300/curl"], 14),
    ]
    assert snapshot.skipped == 3  # udp, udp6, unix


def test_ss_tanp_users_scope_wildcard_and_mapped_addresses():
    snapshot = load_snapshot(str(DATA / "ss-tanp-kubelet.txt"))
    assert snapshot.format is InputFormat.SS
    by_line = {c.line: c for c in snapshot.connections}
    assert len(snapshot.connections) == 12
    assert by_line[4].processes == [Process(2211, "nginx", 6), Process(2212, "nginx", 6), Process(2213, "nginx", 6)]
    assert by_line[5].local == Endpoint("127.0.0.53%lo", 53)
    assert by_line[6].state is TcpState.ESTABLISHED and by_line[6].processes == [Process(1789, "kubelet", 31)]
    assert by_line[10].state is TcpState.TIME_WAIT and by_line[10].processes == []
    assert (by_line[11].local, by_line[11].remote) == (Endpoint("*", 10250), Endpoint("*", 0))
    assert by_line[12].family is Family.IPV6 and by_line[12].local == Endpoint("::1", 4080)
    assert by_line[13].state is TcpState.CLOSE_WAIT
    assert (str(by_line[13].local), str(by_line[13].remote)) == ("[::ffff:10.10.1.5]:51220", "[::ffff:10.10.1.20]:4080")


def test_proc_net_tcp_and_tcp6_decoded():
    snapshot = load_snapshot(str(DATA / "proc-net-tcp-and-tcp6.txt"))
    assert snapshot.format is InputFormat.PROC
    assert [(c.state.value, str(c.local), str(c.remote), c.uid, c.inode) for c in snapshot.connections] == [
        ("LISTEN", "127.0.0.1:10248", "0.0.0.0:*", 0, 23456),
        ("LISTEN", "0.0.0.0:14080", "0.0.0.0:*", 33, 31337),
        ("ESTABLISHED", "10.10.1.5:4080", "10.10.1.20:6443", 0, 48213),
        ("ESTABLISHED", "10.10.1.5:8080", "10.10.1.7:40800", 4080, 4080),
        ("TIME_WAIT", "10.10.1.5:41016", "10.10.1.20:4080", 0, None),
        ("LISTEN", "[::]:10250", "[::]:*", 0, 23460),
        ("TIME_WAIT", "[::1]:4080", "[::1]:38422", 0, None),
        ("CLOSE_WAIT", "[2001:db8::5]:51220", "[2001:db8::20]:4080", 1000, 77120),
    ]


def test_decode_address_is_little_endian_words():
    assert decode_address("0100007F") == (Family.IPV4, "127.0.0.1")
    assert decode_address("0000000000000000FFFF00000100007F") == (Family.IPV6, "::ffff:127.0.0.1")


@pytest.mark.parametrize("text,state", [
    ("ESTAB", TcpState.ESTABLISHED), ("established", TcpState.ESTABLISHED), ("TIME-WAIT", TcpState.TIME_WAIT),
    ("time_wait", TcpState.TIME_WAIT), ("FIN-WAIT-1", TcpState.FIN_WAIT1), ("FIN_WAIT2", TcpState.FIN_WAIT2),
    ("listening", TcpState.LISTEN), ("CLOSE-WAIT", TcpState.CLOSE_WAIT), ("SYN-RECV", TcpState.SYN_RECV),
    ("bogus", None),
])
def test_state_spellings(text, state):
    assert parse_state(text) is state


def test_sample_netstat_p_resolves_service_names():
    snapshot = load_snapshot(str(sample("netstat-ss/jc-ubuntu-18.04-netstat-p.out")))
    assert rows(snapshot) == [
        ("ipv4", "ESTABLISHED", "kbrazil-ubuntu:22", "192.168.71.1:65159", [], 3),
        ("ipv4", "ESTABLISHED", "kbrazil-ubuntu:55656", "lb-192-30-253-113:443", ["23921/git-remote-ht"], 4),
    ]
    assert snapshot.connections[0].local.service == "ssh"
    assert snapshot.skipped == 91  # unix rows


def test_sample_netstat_lnp_listeners():
    snapshot = load_snapshot(str(sample("netstat-ss/jc-ubuntu-18.04-netstat-sudo-lnp.out")))
    assert rows(snapshot) == [
        ("ipv4", "LISTEN", "127.0.0.1:42351", "0.0.0.0:*", ["1112/containerd"], 3),
        ("ipv4", "LISTEN", "127.0.0.53:53", "0.0.0.0:*", ["885/systemd-resolve"], 4),
        ("ipv4", "LISTEN", "0.0.0.0:22", "0.0.0.0:*", ["1127/sshd"], 5),
        ("ipv6", "LISTEN", "[::]:22", "[::]:*", ["1127/sshd"], 6),
    ]
    assert snapshot.skipped == 3 + 21  # udp, udp, raw6 + unix listeners


def test_sample_ss_tulpen_tcp_only_with_multi_process_sockets():
    snapshot = load_snapshot(str(sample("netstat-ss/jc-ubuntu-18.04-ss-sudo-tulpen.out")))
    assert snapshot.format is InputFormat.SS
    assert len(snapshot.connections) == 58
    assert snapshot.skipped == 15
    apache = next(c for c in snapshot.connections if c.local.port == 80)
    assert [p.pid for p in apache.processes] == [2079, 2153, 2154, 2155, 2156, 2157, 24795]
    assert {p.name for p in apache.processes} == {"/usr/sbin/apach"}
    assert apache.inode == 40480
    resolver = next(c for c in snapshot.connections if c.local.port == 53 and c.local.host.startswith("127"))
    assert resolver.local.host == "127.0.0.53%lo" and resolver.uid == 101


def test_sample_procfs_fixture():
    snapshot = load_snapshot(str(sample("proc/procfs-fixture-net-tcp")))
    assert [(str(c.local), c.state.value, c.inode) for c in snapshot.connections] == [
        ("10.0.0.5:22", "LISTEN", 2740), ("0.0.0.0:22", "LISTEN", 2740), ("0.0.0.0:22", "LISTEN", 2740),
    ]


@pytest.mark.parametrize("name,message", [
    ("bad-netstat-row.txt", "bad-netstat-row.txt:7: local address '10.10.1.5' has no :port"),
    ("bad-ss-state.txt", "bad-ss-state.txt:4: unknown TCP state 'ESTABLISHED-ISH'"),
    ("bad-proc-row.txt", "bad-proc-row.txt:4: not a /proc/net/tcp row: '2: 05010A0A:0FF0 14010A0A 01 00000000:00000000'"),
])
def test_malformed_inputs_name_file_and_line(name, message):
    with pytest.raises(OpsInputError) as caught:
        load_snapshot(str(DATA / name))
    assert str(caught.value) == str(DATA) + "/" + message


def test_unrecognised_format_and_empty_file(tmp_path):
    odd = tmp_path / "odd.txt"
    odd.write_text("\nhello world\n")
    with pytest.raises(OpsInputError) as caught:
        detect_format(odd.read_text(), str(odd))
    assert str(caught.value) == (f"{odd}:2: unrecognised input 'hello world': expected netstat -anp, "
                                 "ss -tanp or /proc/net/tcp output")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(OpsInputError) as caught:
        load_snapshot(str(empty))
    assert str(caught.value) == f"{empty}: no connections table found (the file is empty)"


def test_ss_with_state_filter_has_no_state_column(tmp_path):
    saved = tmp_path / "ss.txt"
    saved.write_text("Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n"
                     "0      0          127.0.0.1:43091    127.0.0.1:40504\n")
    with pytest.raises(OpsInputError) as caught:
        load_snapshot(str(saved))
    assert str(caught.value) == (f"{saved}:1: ss output without a State column (ss was given a state filter); "
                                 "save `ss -tanp` instead")
