"""coredns on hostile input: nesting, size and count limits give exit 2 with FILE:LINE and a plain
message (never a RecursionError or an internal error); misplaced braces are blamed where they are.

Inputs are generated here; the limits are lowered with monkeypatch to test their exact edges
quickly. (Timings on 8 MB lines are measured by hand, not asserted: see docs/ops/coredns.md.)"""

from __future__ import annotations

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.coredns import lexer, parser


def run(capsys, *argv):
    rc = main(["ops", "coredns", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def nested(depth: int) -> str:
    """A server block holding `depth - 1` nested blocks, one per line."""
    opening = ". {\n" + "".join(f"{'  ' * level}a {{\n" for level in range(1, depth))
    return opening + "}\n" * depth


@pytest.mark.parametrize("command", ["print", "fmt", "parse", "lint"])
def test_600_nested_blocks_exit_2_at_the_line(capsys, tmp_path, command):
    path = tmp_path / "Corefile"
    path.write_text(nested(600))
    assert run(capsys, command, str(path)) == (2, "", f"error: {path}:201: blocks nested deeper than 200 levels\n")


def test_nesting_limit_edge(capsys, tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(nested(200))
    rc, out, _ = run(capsys, "parse", str(path), "--format", "json")
    assert rc == 0
    path.write_text(nested(201))
    assert run(capsys, "parse", str(path)) == (2, "", f"error: {path}:201: blocks nested deeper than 200 levels\n")
    path.write_text("(deep) {\n" + nested(201).split("\n", 1)[1])  # a snippet's block counts as a server block
    assert run(capsys, "fmt", str(path)) == (2, "", f"error: {path}:201: blocks nested deeper than 200 levels\n")


def test_many_sibling_server_blocks_are_fine(capsys, tmp_path):
    path = tmp_path / "Corefile"
    path.write_text("".join(f"z{i}.example {{\n    whoami\n}}\n" for i in range(600)))
    rc, out, _ = run(capsys, "lint", str(path))
    assert (rc, out) == (0, f"{path}: no findings\n")


def test_word_limit_edge(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(lexer, "MAX_WORDS", 7)
    path = tmp_path / "Corefile"
    path.write_text(". {\n    hosts a b c\n}\n")  # seven words, braces included
    assert run(capsys, "print", str(path))[0] == 0
    path.write_text(". {\n    hosts a b\n    c d\n}\n")
    assert run(capsys, "print", str(path)) == (
        2, "", f"error: {path}:4: more than 7 words (no real Corefile is this large); refusing to analyse it\n")


def test_directive_limit_edge(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(parser, "MAX_DIRECTIVES", 3)
    path = tmp_path / "Corefile"
    path.write_text(". {\n    a\n    b {\n        c\n    }\n}\n")
    assert run(capsys, "parse", str(path))[0] == 0
    path.write_text(". {\n    a\n    b\n    c\n    d\n}\n")
    assert run(capsys, "parse", str(path)) == (
        2, "", f"error: {path}:5: more than 3 directive lines (no real Corefile is this large); refusing to analyse it\n")


def test_zone_limit_counts_cidr_keys(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(parser, "MAX_ZONES", 33)
    path = tmp_path / "Corefile"
    path.write_text("10.0.0.0/27 example.org {\n    whoami\n}\n")  # 32 + 1 zones
    assert run(capsys, "lint", str(path)) == (0, f"{path}: no findings\n", "")
    path.write_text("10.0.0.0/27 example.org {\n    whoami\n}\nexample.net {\n    whoami\n}\n")
    assert run(capsys, "lint", str(path)) == (
        2, "", f"error: {path}:4: server block keys stand for more than 33 zones (a CIDR key counts each reverse "
               "zone it covers); refusing to analyse this file\n")


def test_duplicate_cidr_zones_are_one_finding_per_key(capsys, tmp_path):
    path = tmp_path / "Corefile"
    path.write_text("10.0.0.0/9 {\n    whoami\n}\n10.0.0.0/9 {\n    whoami\n}\n")
    rc, out, _ = run(capsys, "lint", str(path))
    assert (rc, out.splitlines()) == (3, [
        f"{path}:4: critical: duplicate-zone: dns://0.10.in-addr.arpa.:53 (and 127 more zone(s) of this key) is "
        "already served by the server block at line 1; CoreDNS refuses to start (\"it is already defined\")",
        f"{path}: 1 finding(s): 1 critical, 0 warning, 0 info",
    ])


def test_file_over_the_size_limit_is_refused_unread(capsys, tmp_path):
    path = tmp_path / "Corefile"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MiB on paper, nothing to read
    assert run(capsys, "parse", str(path), "--format", "json") == (
        2, "", f"error: {path}: file is 50 MiB, larger than the 20 MiB limit; refusing to read it\n")


def test_long_line_of_words_parses(capsys, tmp_path):
    path = tmp_path / "Corefile"
    words = " ".join(f"10.0.{i // 256}.{i % 256}" for i in range(20000))
    path.write_text(f". {{\n    hosts {words}\n}}\n")
    rc, out, _ = run(capsys, "fmt", str(path))
    assert (rc, out) == (0, path.read_text())
    path.write_text(". {\n    hosts {\n    }" + " x" * 20000 + " {\n    }\n}\n")
    rc, out, _ = run(capsys, "fmt", str(path))
    assert (rc, out.splitlines()[2]) == (0, "    }" + " x" * 20000 + " {")


def test_unterminated_quote_and_long_trailing_space(capsys, tmp_path):
    path = tmp_path / "Corefile"
    path.write_text('. {\n    log . "{remote}\n}\n' + " " * 100000)
    assert run(capsys, "parse", str(path)) == (
        2, "", f"error: {path}:2: unterminated quoted string (no closing '\"')\n")
    path.write_text(". {\n    whoami\n}\n" + " \t" * 100000)
    assert run(capsys, "print", str(path)) == (0, path.read_text(), "")


def test_glued_open_brace_blamed_at_its_line(capsys, tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(". {\n    hosts{\n        1.2.3.4 foo\n    }\n}\n")
    assert run(capsys, "parse", str(path)) == (
        2, "", f"error: {path}:2: `hosts{{`: the '{{' is glued to the word, so CoreDNS reads `hosts{{` as one word "
               "and opens no block; write `hosts {` (then: unexpected '}' (no server block is open) at line 5)\n")


def test_stray_double_brace_blamed_at_its_line(capsys, tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(".:53 {\n    forward . 8.8.8.8\n}}\n")
    assert run(capsys, "lint", str(path)) == (
        2, "", f"error: {path}:3: `}}}}`: a '}}' glued to more text is one word for CoreDNS, not a closing brace; "
               "put each '}' on its own line (then: missing '}' for the server block opened at line 1)\n")


def test_unbalanced_without_glued_word_keeps_its_own_line(capsys, tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(".:53 {\n    forward . 8.8.8.8\n}\n}\n")
    assert run(capsys, "parse", str(path)) == (2, "", f"error: {path}:4: unexpected '}}' (no server block is open)\n")
