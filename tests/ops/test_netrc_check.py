"""~/.netrc read the way the go command reads it; passwords never printed."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.netrc.reader import parse_netrc

DATA = Path(__file__).parent / "data" / "netrc"
SECRETS = ("s3cr3t-Pa55", "ghp_notreal0000", "another-secret", "guest@")


def test_entries_as_go_sees_them() -> None:
    report = parse_netrc((DATA / "netrc.note").read_text())
    assert [(e.machine, e.login, e.password, e.line, e.shadowed_by) for e in report.entries] == [
        ("stash.xxxx.com", "ci-bot", "****", 1, None),
        ("github.com", "octocat", "****", 4, None),
        ("stash.xxxx.com", "other", "****", 5, 1),
        ("gitlab.example.com", "deploy", "****", 6, None),
        ("after.default", "x", "****", 12, None),
    ]


def test_pairs_split_across_lines_and_incomplete_entries_are_dropped() -> None:
    report = parse_netrc("machine a.example login\nu password p\nmachine b.example login v\n")
    assert report.entries == []
    assert [(f.code, f.line) for f in report.findings] == [
        ("split-pair", 1), ("incomplete-entry", 1), ("incomplete-entry", 3)]


def test_lone_default_line_ends_the_file_for_go() -> None:
    report = parse_netrc("machine a login u password p\ndefault\nmachine b login v password q\n")
    assert [e.machine for e in report.entries] == ["a"]
    assert [(f.code, f.line) for f in report.findings] == [("after-default", 2)]


def test_macdef_skips_until_an_empty_line() -> None:
    report = parse_netrc("macdef init\nmachine hidden login x password y\n\nmachine seen login u password p\n")
    assert [e.machine for e in report.entries] == ["seen"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_check_masks_passwords_and_warns_on_mode(tmp_path: Path, capsys, fmt: str) -> None:
    netrc = tmp_path / ".netrc"
    shutil.copy(DATA / "netrc.note", netrc)
    netrc.chmod(0o644)
    rc = main(["ops", "netrc", "check", str(netrc), "--format", fmt])
    out = capsys.readouterr().out
    assert rc == 1
    assert not any(secret in out for secret in SECRETS)
    if fmt == "json":
        data = json.loads(out)
        assert data["mode"] == "0644"
        assert [f["code"] for f in data["findings"]] == [
            "permissions", "duplicate-machine", "unexpanded-variable", "default-ignored"]
    else:
        assert out.splitlines()[:7] == [
            f"{netrc} (mode 0644)",
            "  line 1    machine stash.xxxx.com  login ci-bot  password ****",
            "  line 4    machine github.com  login octocat  password ****",
            "  line 5    machine stash.xxxx.com  login other  password ****  (never used: line 1 wins)",
            "  line 6    machine gitlab.example.com  login deploy  password ****",
            "  line 12   machine after.default  login x  password ****",
            f"warning: permissions 0644 are wider than 0600: other users can read the passwords; run chmod 600 {netrc}",
        ]


def test_cli_check_clean_file_exit_0(tmp_path: Path, capsys) -> None:
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine stash.xxxx.com login ci-bot password hunter2\n")
    netrc.chmod(0o600)
    assert main(["ops", "netrc", "check", str(netrc)]) == 0
    assert capsys.readouterr().out == f"{netrc} (mode 0600)\n  line 1    machine stash.xxxx.com  login ci-bot  password ****\n"


def test_cli_check_defaults_to_the_netrc_variable(tmp_path: Path, monkeypatch, capsys) -> None:
    netrc = tmp_path / "ci-netrc"
    netrc.write_text("machine h login u password p\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert main(["ops", "netrc", "check"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{netrc} (mode 0600)"


def test_cli_check_non_utf8_bytes_are_read_as_go_reads_them_and_missing(tmp_path: Path, capsys) -> None:
    latin1 = tmp_path / "netrc.latin1"
    latin1.write_bytes(b"machine a login u password p\n\xff\xfe\n")
    latin1.chmod(0o600)
    assert main(["ops", "netrc", "check", str(latin1)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{latin1} (mode 0600)",
        "  line 1    machine a  login u  password ****",
        "info: line 2: bytes that are not UTF-8 are read as they are, as the go command does (shown as \\xNN)",
    ]
    assert main(["ops", "netrc", "check", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'none'}: no such file\n"


def test_cli_check_garbage_exits_2_naming_the_file(tmp_path: Path, capsys) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("this is not a netrc\njust some words\n")
    text.chmod(0o644)
    assert main(["ops", "netrc", "check", str(text)]) == 2
    assert capsys.readouterr() == ("", f"error: {text}: not a .netrc file: no machine, default or macdef keyword\n")
    binary = tmp_path / "ls"
    binary.write_bytes(b"machine x\n\x7fELF\x02\x01\x00\x00")
    assert main(["ops", "netrc", "check", str(binary)]) == 2
    assert capsys.readouterr().err == f"error: {binary}:2: not a .netrc file: it holds NUL bytes (binary data)\n"


def test_cli_check_empty_file_has_no_entries(tmp_path: Path, capsys) -> None:
    empty = tmp_path / ".netrc"
    empty.write_text("")
    empty.chmod(0o600)
    assert main(["ops", "netrc", "check", str(empty)]) == 0
    assert capsys.readouterr().out == f"{empty} (mode 0600)\n  no entries the go command can use\n"


def test_cli_check_reads_stdin(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"machine h login u password secretpw\n")))
    assert main(["ops", "netrc", "check", "-", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["path"], data["mode"], data["entries"], data["findings"]) == (
        "<stdin>", None, [{"machine": "h", "login": "u", "password": "****", "line": 1, "shadowed_by": None}], [])


def test_cli_check_symlink_loop_says_so(tmp_path: Path, capsys) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop")
    assert main(["ops", "netrc", "check", str(loop)]) == 2
    assert capsys.readouterr().err == f"error: {loop}: symlink loop (too many levels of symbolic links)\n"
