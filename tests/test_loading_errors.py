"""Bad input gives one clear line and a documented exit code, never a traceback."""

import os
from pathlib import Path

import pytest
from conftest import write_module

import goanalyzer
from goanalyzer.cli.main import main
from goanalyzer.loader import LoadOptions


def run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_missing_path_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "index", str(tmp_path / "nope"), "--no-cache")
    assert code == 2
    assert err == f"error: no such file or directory: {tmp_path / 'nope'}\n"


def test_a_file_instead_of_a_directory(capsys, tmp_path):
    (tmp_path / "main.go").write_text("package main\n")
    code, _, err = run(capsys, "index", str(tmp_path / "main.go"), "--no-cache")
    assert code == 2
    assert err.startswith(f"error: not a directory: {tmp_path / 'main.go'}")


def test_no_go_files_is_a_failure(capsys, tmp_path):
    (tmp_path / "README").write_text("hi")
    code, _, err = run(capsys, "index", str(tmp_path), "--no-cache", "--goroot", "none")
    assert code == 1
    assert err.endswith(f"error: no Go files found under {tmp_path}\n")


def test_binary_non_utf8_and_broken_files_become_diagnostics(capsys, tmp_path):
    write_module(tmp_path, {
        "ok.go": "package m\n\nfunc OK() {}\n",
        "bin.go": b"\x7fELF\x00\x00\x01",
        "latin.go": b"package m\n\n// caf\xe9\nfunc Latin() {}\n",
        "broken.go": "package m\n\nfunc Good() {}\n\nfunc Bad( {\n",
    })
    code, out, err = run(capsys, "index", str(tmp_path), "--no-cache", "--goroot", "none")
    assert code == 0
    assert f"warning: {tmp_path / 'bin.go'}: skipped: binary file named .go" in err
    assert f"warning: {tmp_path / 'latin.go'}:3: skipped: not valid UTF-8 (Go source must be)" in err
    assert f"{tmp_path / 'broken.go'}:5: syntax error" in err
    program = goanalyzer.load(tmp_path, goroot="none", use_cache=False)
    assert {"example.com/m.OK", "example.com/m.Good"} <= set(program.funcs)


def test_huge_files_are_skipped_with_a_diagnostic(tmp_path):
    write_module(tmp_path, {"a.go": "package m\n\nfunc A() {}\n", "big.go": "package m\n" + "// x\n" * 3000})
    program = goanalyzer.load(tmp_path, LoadOptions(goroot="none", use_cache=False, max_file_bytes=10_000))
    assert [d.message for d in program.diagnostics if "limit" in d.message] == [
        "skipped: 0.0 MB is over the 0 MB limit for one file (generated code?)"]


def test_symlink_loops_are_reported_not_followed(tmp_path):
    write_module(tmp_path, {"a/a.go": "package a\n\nfunc A() {}\n"})
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    program = goanalyzer.load(tmp_path, goroot="none", use_cache=False)
    assert [(d.message, d.path) for d in program.diagnostics] == [
        ("symlink to a directory already walked (a loop or an alias), skipped", str(tmp_path / "a" / "loop"))]
    assert "example.com/m/a.A" in program.funcs


def test_no_go_mod_is_analysed_as_a_bare_tree(tmp_path):
    (tmp_path / "x.go").write_text("package x\n\nfunc X() {}\n")
    program = goanalyzer.load(tmp_path, goroot="none", use_cache=False)
    assert program.workspace.bare
    assert any("no go.mod found" in d.message for d in program.diagnostics)


def test_build_constraints_choose_files():
    from conftest import FIXTURES
    linux = goanalyzer.load(FIXTURES / "odd" / "build-tags", goroot="none", use_cache=False)
    windows = goanalyzer.load(FIXTURES / "odd" / "build-tags", goroot="none", use_cache=False, goos="windows")
    linux_files = {Path(f.path).name for p in linux.packages.values() for f in p.files}
    windows_files = {Path(f.path).name for p in windows.packages.values() for f in p.files}
    assert linux_files != windows_files
    assert not any(n.endswith("_test.go") or n.endswith("_windows.go") for n in linux_files)


def test_ambiguous_name_exits_2_with_candidates(capsys):
    from conftest import TRAEFIK
    code, _, err = run(capsys, "callgraph", str(TRAEFIK), "--from", "runCmd", "--goroot", "none", "--no-cache", "-q")
    assert code == 2
    assert err.splitlines()[0] == "error: function name 'runCmd' is ambiguous"
    assert "  candidate: github.com/traefik/traefik/v2/cmd/healthcheck.runCmd" in err


def test_debug_shows_tracebacks_only_when_asked(capsys, tmp_path):
    with pytest.raises(goanalyzer.UsageError):
        main(["--debug", "index", str(tmp_path / "nope")])
