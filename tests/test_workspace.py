from pathlib import Path

import pytest

import goanalyzer
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


# The build context as `go list` sets it up. Expected file sets below were checked with Go 1.19's
# `go list -f '{{.GoFiles}} {{.CgoFiles}} {{.IgnoredGoFiles}}'` on the same files.

BUILD_ENV_FILES = {
    "main.go": "package main\n\nfunc main() {}\n",
    "withc.go": 'package main\n\n// int add(int a, int b) { return a + b; }\nimport "C"\n\n'
                'func viaC() { C.add(1, 2) }\n',
    "grouped.go": 'package main\n\nimport (\n\t"fmt"\n\t"C"\n)\n\nfunc grouped() { fmt.Println(C.int(1)) }\n',
    "nocgo.go": "//go:build !cgo\n\npackage main\n\nfunc pure() {}\n",
    "cgotag.go": "//go:build cgo\n\npackage main\n\nfunc cgoTag() {}\n",
    "tag_a.go": "//go:build a\n\npackage main\n\nfunc tagA() {}\n",
    "tag_ab.go": "//go:build a && b\n\npackage main\n\nfunc tagAB() {}\n",
    "tag_c.go": "//go:build c\n\npackage main\n\nfunc tagC() {}\n",
}
CGO_ON = {"cgotag.go", "grouped.go", "main.go", "withc.go"}
CGO_OFF = {"main.go", "nocgo.go"}


@pytest.fixture
def build_env(tmp_path: Path, monkeypatch):
    """A module of cgo and tagged files, with GOFLAGS and CGO_ENABLED cleared."""
    from conftest import write_module

    for name in ("GOFLAGS", "CGO_ENABLED", "CC"):
        monkeypatch.delenv(name, raising=False)
    return write_module(tmp_path / "m", BUILD_ENV_FILES)


def _files(program) -> tuple[set[str], set[str]]:
    package = program.packages["example.com/m"]
    return {Path(f.path).name for f in package.files}, {Path(p).name for p in package.excluded_files}


@pytest.mark.parametrize("environ, included", [
    ({"CGO_ENABLED": "0"}, CGO_OFF),
    ({"CGO_ENABLED": "1"}, CGO_ON),
    ({"CGO_ENABLED": "0", "GOFLAGS": "-mod=mod -tags=a,b"}, CGO_OFF | {"tag_a.go", "tag_ab.go"}),
    ({"CGO_ENABLED": "1", "GOFLAGS": "-tags=a,b"}, CGO_ON | {"tag_a.go", "tag_ab.go"}),
    ({"CGO_ENABLED": "1", "GOFLAGS": "--tags=c"}, CGO_ON | {"tag_c.go"}),
    ({"CGO_ENABLED": "1", "GOFLAGS": "-tags=a,b -tags=c"}, CGO_ON | {"tag_c.go"}),
    ({"CGO_ENABLED": "1", "GOFLAGS": "-tags='a'"}, CGO_ON | {"tag_a.go"}),
    ({"CGO_ENABLED": "0", "GOFLAGS": "-tags=cgo"}, {"main.go", "cgotag.go"}),  # the tag, not cgo itself
])
def test_files_are_selected_as_go_list_does_from_the_environment(build_env, monkeypatch, environ, included):
    import goanalyzer

    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    program = goanalyzer.load(build_env, goroot="none", use_cache=False)
    assert _files(program) == (included, set(BUILD_ENV_FILES) - included)


def test_options_override_the_environment(build_env, monkeypatch):
    import goanalyzer

    monkeypatch.setenv("CGO_ENABLED", "1")
    monkeypatch.setenv("GOFLAGS", "-tags=c")
    program = goanalyzer.load(build_env, goroot="none", use_cache=False, cgo=False, tags=("a",))
    assert _files(program)[0] == CGO_OFF | {"tag_a.go"}
    program = goanalyzer.load(build_env, goroot="none", use_cache=False, cgo=True, tags=())
    assert _files(program)[0] == CGO_ON


def test_imports_of_an_excluded_cgo_file_are_not_followed(build_env):
    import goanalyzer

    on = goanalyzer.load(build_env, goroot="none", use_cache=False, cgo=True)
    off = goanalyzer.load(build_env, goroot="none", use_cache=False, cgo=False)
    assert ("fmt" in on.externals, "fmt" in off.externals) == (True, False)
    assert "C" not in on.externals


def test_a_warm_cache_never_keeps_another_build_context_s_file_list(build_env, tmp_path, monkeypatch):
    # Facts are keyed by content, the file list is chosen on every load: a changed tag set or cgo
    # setting must not reuse the previous one, and the cache still serves the facts.
    import goanalyzer

    cache = str(tmp_path / "cache")
    runs = [({"CGO_ENABLED": "1"}, CGO_ON), ({"CGO_ENABLED": "0"}, CGO_OFF),
            ({"CGO_ENABLED": "0", "GOFLAGS": "-tags=a"}, CGO_OFF | {"tag_a.go"}),
            ({"CGO_ENABLED": "1", "GOFLAGS": "-tags=a,b"}, CGO_ON | {"tag_a.go", "tag_ab.go"}),
            ({"CGO_ENABLED": "1"}, CGO_ON)]
    cached = []
    for environ, included in runs:
        for name in ("CGO_ENABLED", "GOFLAGS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        program = goanalyzer.load(build_env, goroot="none", cache_dir=cache, jobs=1)
        assert _files(program)[0] == included, environ
        cached.append(program.stats["files_cached"])
    # facts of files seen before come from the cache (cgo files are read without cgo too: their
    # facts say they import "C")
    assert cached == [0, 3, 4, 5, 4]


@pytest.mark.parametrize("value, tags", [
    ("a,b,,c", ("a", "b", "c")), ("a b", ("a", "b")), ("'a b' c", ("a b", "c")), ("a,b c", ("a,b", "c")),
    ("", ()), ("'x'", ("x",)),
])
def test_tags_values_read_as_the_go_command_reads_them(value, tags):
    from goanalyzer.workspace.constraints import parse_tags

    assert parse_tags(value) == tags


@pytest.mark.parametrize("goflags, tags", [
    ("", None), ("-mod=mod -trimpath", None), ("-tags=x,y", ("x", "y")), ("--tags=z", ("z",)),
    ("-tags=x -tags=y", ("y",)), ("-tags=", ()), ("---tags=x", None),
])
def test_goflags_tags(goflags, tags):
    from goanalyzer.workspace.constraints import goflags_tags

    assert goflags_tags(goflags) == tags


def test_goflags_tags_without_a_value_is_a_usage_error():
    from goanalyzer.errors import UsageError
    from goanalyzer.workspace.constraints import goflags_tags

    with pytest.raises(UsageError) as error:
        goflags_tags("-mod=mod -tags")
    assert str(error.value) == "$GOFLAGS: flag -tags needs a value (-tags=a,b)"


def _compiler_dir(tmp_path: Path, name: str) -> str:
    directory = tmp_path / f"bin-{name}"
    directory.mkdir()
    (directory / name).write_text("#!/bin/sh\n")
    (directory / name).chmod(0o755)
    return str(directory)


def test_default_cgo_follows_the_go_command(tmp_path: Path):
    from goanalyzer.workspace.constraints import default_cgo

    linux = ("linux", "amd64")
    with_gcc = {"PATH": _compiler_dir(tmp_path, "gcc")}
    empty = {"PATH": str(tmp_path / "nothing-here")}
    assert default_cgo(*linux, {"CGO_ENABLED": "0", **with_gcc}, host=linux) is False
    assert default_cgo(*linux, {"CGO_ENABLED": "1", **empty}, host=linux) is True
    assert default_cgo("windows", "amd64", {"CGO_ENABLED": "1"}, host=linux) is True  # asked for: on
    assert default_cgo(*linux, with_gcc, host=linux) is True  # native, compiler found
    assert default_cgo(*linux, {"CGO_ENABLED": "yes", **with_gcc}, host=linux) is True  # other values: default
    assert default_cgo(*linux, empty, host=linux) is False  # no C compiler (Go >= 1.20)
    assert default_cgo(*linux, {"CC": "my-cc", **empty}, host=linux) is True  # $CC set: trusted
    assert default_cgo("linux", "arm64", with_gcc, host=linux) is False  # cross build
    assert default_cgo("js", "wasm", with_gcc, host=("js", "wasm")) is False  # no cgo on that platform
    assert default_cgo("darwin", "arm64", {"PATH": _compiler_dir(tmp_path, "clang")}, host=("darwin", "arm64")) is True
    assert default_cgo("darwin", "arm64", with_gcc, host=("darwin", "arm64")) is False  # darwin looks for clang


def test_build_context_from_the_environment():
    from goanalyzer.workspace.constraints import build_context

    environ = {"CGO_ENABLED": "0", "GOFLAGS": "-tags=a,b"}
    assert build_context("linux", "amd64", environ=environ) == \
        BuildContext("linux", "amd64", frozenset({"a", "b"}), cgo=False)
    assert build_context("linux", "amd64", ("c",), True, environ) == \
        BuildContext("linux", "amd64", frozenset({"c"}), cgo=True)


def test_cli_cgo_and_tags_options_replace_the_environment(build_env, monkeypatch, capsys):
    import json

    from goanalyzer.cli.main import main

    monkeypatch.setenv("CGO_ENABLED", "1")
    monkeypatch.setenv("GOFLAGS", "-tags=c")
    args = ["symbols", str(build_env), "--goroot", "none", "--no-cache", "-q", "--format", "json"]

    def names(*extra):
        assert main([*args, *extra]) == 0
        return {s["name"].rsplit(".", 1)[1] for s in json.loads(capsys.readouterr().out)}

    assert names() == {"main", "viaC", "grouped", "cgoTag", "tagC"}
    assert names("--no-cgo", "--tags", "a b") == {"main", "pure", "tagA", "tagAB"}
    assert names("--cgo", "--tags", "") == {"main", "viaC", "grouped", "cgoTag"}
    monkeypatch.setenv("GOFLAGS", "-tags")
    assert main(args) == 2
    assert capsys.readouterr().err == "error: $GOFLAGS: flag -tags needs a value (-tags=a,b)\n"


def test_vendor_mod_is_the_module_file_when_there_is_no_go_mod(tmp_path):
    # docker/cli and moby: `vendor.mod` beside vendor/, no go.mod; a dummy nested go.mod stays its own module
    files = {
        "vendor.mod": "module github.com/docker/cli\n\ngo 1.18\n\nrequire github.com/spf13/cobra v1.6.1\n",
        "vendor/modules.txt": "# github.com/spf13/cobra v1.6.1\n## explicit; go 1.15\ngithub.com/spf13/cobra\n",
        "vendor/github.com/spf13/cobra/command.go": "package cobra\n\ntype Command struct{ Use string }\n\n"
                                                   "func (c *Command) Execute() error { return nil }\n",
        "cmd/docker/main.go": 'package main\n\nimport "github.com/spf13/cobra"\n\n'
                              'func main() { (&cobra.Command{Use: "docker"}).Execute() }\n',
        "docs/generate/go.mod": "module github.com/docker/cli/docs/generate\n\ngo 1.18\n",
        "docs/generate/generate.go": "package main\n\nfunc main() {}\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    program = goanalyzer.load(tmp_path, goroot="none", use_cache=False)
    assert [m.path for m in program.workspace.modules] == ["github.com/docker/cli", "github.com/docker/cli/docs/generate"]
    assert [(d.message, Path(d.path).name) for d in program.diagnostics] == [
        ("no go.mod: vendor.mod read as the module file, as the project's build scripts copy it to go.mod",
         "vendor.mod")]
    callees = {callee for _, callee, _ in goanalyzer.build_callgraph(program, "static").rows()}
    assert "(*github.com/spf13/cobra.Command).Execute" in callees
