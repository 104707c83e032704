from pathlib import Path

import pytest

from goanalyzer.workspace.constraints import BuildContext, ConstraintSyntaxError, evaluate, header_constraint, name_matches
from goanalyzer.workspace.gomod import parse_gomod, parse_modules_txt
from goanalyzer.workspace.workspace import escape_module_path, find_module_root, open_workspace

GOMOD = """module github.com/traefik/traefik/v2

go 1.16

require (
	github.com/traefik/paerser v0.1.4
	github.com/BurntSushi/toml v0.3.1 // indirect
)

require golang.org/x/text v0.3.6

replace github.com/abbot/go-http-auth => github.com/containous/go-http-auth v0.4.1-0.20200324110947-a37a7636d23e
replace example.com/local v1.0.0 => ../local

exclude github.com/bad/mod v1.2.3
bogus line here
"""


def test_gomod_parses_every_directive():
    mod = parse_gomod(GOMOD)
    assert mod.module == "github.com/traefik/traefik/v2"
    assert mod.go == "1.16"
    assert [(r.path, r.version, r.indirect) for r in mod.requires] == [
        ("github.com/traefik/paerser", "v0.1.4", False),
        ("github.com/BurntSushi/toml", "v0.3.1", True),
        ("golang.org/x/text", "v0.3.6", False),
    ]
    remote, local = mod.replaces
    assert (remote.old_path, remote.old_version, remote.new_path, remote.is_local) == (
        "github.com/abbot/go-http-auth", None, "github.com/containous/go-http-auth", False)
    assert (local.old_version, local.new_path, local.is_local) == ("v1.0.0", "../local", True)
    assert mod.excludes == [("github.com/bad/mod", "v1.2.3")]
    assert [str(d) for d in mod.diagnostics] == ["go.mod:16: malformed bogus directive: unknown directive"]


def test_modules_txt_maps_packages_to_modules():
    text = "# github.com/BurntSushi/toml v0.3.1\n## explicit\ngithub.com/BurntSushi/toml\n"
    assert parse_modules_txt(text) == {"github.com/BurntSushi/toml": "github.com/BurntSushi/toml"}


def test_module_cache_case_escaping():
    assert escape_module_path("github.com/BurntSushi/toml") == "github.com/!burnt!sushi/toml"


@pytest.mark.parametrize("expression, expected", [
    ("linux && amd64", True), ("linux && !amd64", False), ("(darwin || linux) && !cgo", False),
    ("windows || (linux && go1.18)", True), ("unix", True), ("ignore", False), ("mytag", True),
])
def test_go_build_expressions(expression, expected):
    assert evaluate(expression, BuildContext(tags=frozenset({"mytag"}))) is expected


def test_malformed_build_expression_raises():
    with pytest.raises(ConstraintSyntaxError):
        evaluate("linux &&", BuildContext())


@pytest.mark.parametrize("name, expected", [
    ("x_linux.go", True), ("x_windows.go", False), ("x_arm64.go", False), ("x_linux_amd64.go", True),
    ("x_linux_arm64.go", False), ("linux.go", True), ("x_linux_test.go", True),
])
def test_file_name_suffixes(name, expected):
    assert name_matches(name, BuildContext()) is expected


def test_header_constraint_prefers_go_build_and_reads_legacy_lines():
    assert header_constraint(b"// Copyright\n\n//go:build linux && !cgo\n\npackage x\n") == "linux && !cgo"
    assert header_constraint(b"// +build linux,386 darwin\n// +build !cgo\n\npackage x\n") == \
        "((linux && 386) || (darwin)) && ((!cgo))"
    assert header_constraint(b"package x\n// +build linux\n") is None


def test_find_module_root_walks_up(tmp_path: Path):
    (tmp_path / "go.mod").write_text("module m\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_module_root(tmp_path / "a" / "b") == tmp_path


def test_open_workspace_rejects_a_file(tmp_path: Path):
    file = tmp_path / "main.go"
    file.write_text("package main\n")
    from goanalyzer.errors import UsageError
    with pytest.raises(UsageError, match="not a directory"):
        open_workspace(file)


def test_goroot_reached_through_a_symlink_is_parsed_once(tmp_path: Path):
    # Debian's layout: /usr/lib/go-1.19/src -> ../../share/go-1.19/src. A std package that is both a
    # root (under PATH) and an import of another root must be one package from one directory.
    import goanalyzer
    from conftest import write_module

    share = write_module(tmp_path / "share" / "go" / "src", {
        "a/a.go": 'package a\n\nimport "b"\n\nfunc A() { b.B() }\n',
        "b/b.go": "package b\n\nfunc B() {}\n",
    }, module="std")
    lib = tmp_path / "lib" / "go"
    lib.mkdir(parents=True)
    (lib / "src").symlink_to(share)
    program = goanalyzer.load(lib / "src", goroot=str(lib), use_cache=False)
    assert sorted(program.packages) == ["a", "b"]
    assert program.stats["files_parsed"] == 2
    assert program.packages["b"].dir == str(share.resolve() / "b")
    assert program.funcs["b.B"].file.path == str(share.resolve() / "b" / "b.go")


def _fake_go(bin_dir: Path, prints: str) -> Path:
    bin_dir.mkdir(parents=True)
    go = bin_dir / "go"
    go.write_text(f"#!/bin/sh\necho {prints}\n")
    go.chmod(0o755)
    return go


def test_default_goroot_is_the_tree_the_go_command_lives_in(tmp_path: Path, monkeypatch):
    from goanalyzer.workspace.workspace import default_goroot

    goroot = tmp_path / "go-1.99"
    (goroot / "src" / "runtime").mkdir(parents=True)
    (goroot / "pkg" / "tool").mkdir(parents=True)
    go = _fake_go(goroot / "bin", "/nowhere")  # would answer a wrong GOROOT if it were run
    (tmp_path / "usr-bin").mkdir()
    (tmp_path / "usr-bin" / "go").symlink_to(go)
    monkeypatch.delenv("GOROOT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "usr-bin"))
    assert default_goroot() == goroot


def test_default_goroot_asks_go_env_when_go_lives_elsewhere(tmp_path: Path, monkeypatch):
    from goanalyzer.workspace.workspace import default_goroot

    answer = tmp_path / "elsewhere"
    answer.mkdir()
    _fake_go(tmp_path / "bin", str(answer))
    monkeypatch.delenv("GOROOT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert default_goroot() == answer
    monkeypatch.setenv("GOROOT", str(tmp_path / "from-env"))
    assert default_goroot() == tmp_path / "from-env"
