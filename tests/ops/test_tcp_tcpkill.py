"""`goanalyzer ops tcp parse-tcpkill`: reset records from real tcpkill output, idle runs as a
warning, malformed reset lines as file:line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.tcp.model import Endpoint
from goanalyzer.ops.tcp.tcpkill import parse_tcpkill

DATA = Path(__file__).parent / "data" / "tcp"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
OWN = DATA / "tcpkill-9-port-4080.txt"


def run(capsys, *args):
    rc = main(["ops", "tcp", *args])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def test_records_of_a_severity_9_run():
    report = parse_tcpkill(OWN.read_text(), str(OWN))
    first, second = report.sessions
    assert (first.line, first.interface, first.filter) == (1, "eth0", "port 4080")
    assert len(first.resets) == 9
    assert first.resets[0].src == Endpoint("10.10.1.20", 6443)
    assert first.resets[0].dst == Endpoint("10.10.1.5", 4080)
    assert [r.seq for r in first.resets[:3]] == [1911053127, 1911117375, 1911181623]
    assert {r.window for r in first.resets} == {0}
    assert (second.line, second.filter, second.resets, second.messages) == (12, "port 14080", [], ["pcap_loop: interrupted"])
    assert report.skipped_lines == 1  # the ^C


def test_cli_text_warns_on_a_run_that_reset_nothing(capsys):
    rc, out, err = run(capsys, "parse-tcpkill", str(OWN))
    assert (rc, err) == (1, "")
    assert out.splitlines() == [
        "tcpkill on eth0 [port 4080] (line 1): 9 reset(s)",
        "  10.10.1.20:6443 > 10.10.1.5:4080  9 RST  seq 1911053127..1911567111  lines 2-10",
        "tcpkill on eth0 [port 14080] (line 12): no resets: tcpkill saw no packet of a matching connection "
        "(an idle connection is not reset until one side sends)",
        "  message: pcap_loop: interrupted",
        "1 other line(s) skipped",
    ]


def test_cli_exit_zero_when_every_run_reset(capsys, tmp_path):
    saved = tmp_path / "tk.txt"
    saved.write_text("".join(OWN.read_text().splitlines(True)[:4]))
    rc, out, _ = run(capsys, "parse-tcpkill", "--format", "json", str(saved))
    report = json.loads(out)
    assert rc == 0
    assert report["sessions"][0]["flows"] == [{
        "src": "10.10.1.20:6443", "dst": "10.10.1.5:4080", "count": 3,
        "first_seq": 1911053127, "last_seq": 1911181623, "lines": [2, 4]}]
    assert report["sessions"][0]["resets"][2] == {
        "line": 4, "src": "10.10.1.20:6443", "dst": "10.10.1.5:4080", "seq": 1911181623, "window": 0}


def test_shared_sample_three_runs(capsys):
    path = SAMPLES / "tcpkill" / "tcpkill-output.samples.txt"
    if not path.exists():
        pytest.skip("shared samples not present")
    rc, out, _ = run(capsys, "parse-tcpkill", str(path))
    assert rc == 1
    assert out.splitlines() == [
        "tcpkill on net0 [host 10.1.8.10 and host 10.1.5.10] (line 2): 6 reset(s)",
        "  10.1.8.10:6699 > 10.1.5.10:43362  3 RST  seq 3760692414..3760693743  lines 3-5",
        "  10.1.5.10:43362 > 10.1.8.10:6699  3 RST  seq 996822496..996823828  lines 6-8",
        "tcpkill on enp0s3 [src 192.168.1.7 and dst port 22] (line 12): 3 reset(s)",
        "  192.168.1.7:57502 > 192.168.1.9:22  3 RST  seq 462778052..462790340  lines 13-15",
        "tcpkill on eth1 [port 5555] (line 17): no resets: tcpkill saw no packet of a matching connection "
        "(an idle connection is not reset until one side sends)",
        "5 other line(s) skipped",
    ]


def test_resets_without_banner_form_one_session():
    report = parse_tcpkill("1.2.3.4:80 > 5.6.7.8:1234: R 10:10(0) win 0\n", "x")
    assert [(s.line, s.interface, len(s.resets)) for s in report.sessions] == [(None, None, 1)]


@pytest.mark.parametrize("text,message", [
    ("tcpkill: listening on eth0 [port 4080]\n1.2.3.4:80 > 5.6.7.8:1234: R 10:10 win 0\n",
     "t.txt:2: malformed reset line '1.2.3.4:80 > 5.6.7.8:1234: R 10:10 win 0': expected "
     "'SRC:PORT > DST:PORT: R SEQ:SEQ(0) win 0'"),
    ("1.2.3.400:80 > 5.6.7.8:1234: R 10:10(0) win 0\n", "t.txt:1: '1.2.3.400' is not an IPv4 address"),
    ("1.2.3.4:80 > 5.6.7.8:70000: R 10:10(0) win 0\n", "t.txt:1: port 70000 is out of range"),
    ("1.2.3.4:80 > 5.6.7.8:1234: R 4294967296:4294967296(0) win 0\n",
     "t.txt:1: sequence number 4294967296 exceeds 32 bits"),
    ("hello\n", "t.txt: no tcpkill output found (no 'tcpkill: listening on' line and no reset lines)"),
])
def test_malformed(text, message):
    with pytest.raises(OpsInputError) as caught:
        parse_tcpkill(text, "t.txt")
    assert str(caught.value) == message


def test_cli_malformed_file(capsys):
    path = DATA / "bad-tcpkill-seq.txt"
    rc, out, err = run(capsys, "parse-tcpkill", str(path))
    assert (rc, out) == (2, "")
    assert err == (f"error: {path}:3: malformed reset line '10.10.1.20:6443 > 10.10.1.5:4080: R "
                   "19110x3127:1911053127(0)': expected 'SRC:PORT > DST:PORT: R SEQ:SEQ(0) win 0'\n")
