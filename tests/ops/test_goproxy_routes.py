"""GOPROXY parsing, Go's defaults, per-module routes, go.mod reading and the goproxy CLI."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.goproxy.goenv import RawValue, from_environment, parse_go_env, resolve
from goanalyzer.ops.goproxy.gomod import parse_gomod
from goanalyzer.ops.goproxy.proxy import EntryKind, GoproxyError, parse_goproxy, route

DATA = Path(__file__).parent / "data" / "goproxy"


def env_of(**values: str):
    return resolve({k: RawValue(v, "test") for k, v in values.items()})


@pytest.fixture(autouse=True)
def _isolated_go_env(monkeypatch):
    """No GOPRIVATE & co. from the developer's shell or `go env -w` file."""
    for name in ("GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOPROXY", "GOSUMDB", "GOINSECURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOENV", "off")


# ------------------------------------------------------------------ GOPROXY list


def test_goproxy_list_separators_bare_hosts_and_terminators() -> None:
    entries = parse_goproxy("goproxy.cn|proxy.golang.org, ,localhost:3000,direct,https://ignored.example")
    assert [(e.url, e.kind, e.fallback_on_error) for e in entries] == [
        ("https://goproxy.cn", EntryKind.PROXY, True),
        ("https://proxy.golang.org", EntryKind.PROXY, False),
        ("https://localhost:3000", EntryKind.PROXY, False),
        ("direct", EntryKind.DIRECT, False),
    ]


def test_goproxy_off_ends_the_list_and_file_urls_are_kept() -> None:
    entries = parse_goproxy("file:///srv/goproxy|off|direct")
    assert [(e.url, e.kind, e.fallback_on_error) for e in entries] == [
        ("file:///srv/goproxy", EntryKind.PROXY, True),
        ("off", EntryKind.OFF, False),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("goproxy", "invalid proxy URL missing scheme: goproxy"),
        ("/srv/goproxy", "invalid proxy URL missing scheme: /srv/goproxy"),
        ("ftp://mirror.example", "invalid proxy URL scheme (must be https, http, file): ftp://mirror.example"),
        ("file://host/srv", "invalid file:// proxy URL with non-path elements: file://host/srv"),
    ],
)
def test_goproxy_entries_the_go_command_rejects(value: str, message: str) -> None:
    with pytest.raises(GoproxyError) as error:
        parse_goproxy(value)
    assert str(error.value) == message


# ------------------------------------------------------------------ defaults


def test_unset_values_take_go_defaults_and_goprivate_feeds_gonoproxy_and_gonosumdb() -> None:
    env = env_of(GOPRIVATE="stash.xxxx.com")
    assert (env.goproxy, env.gosumdb, env.gonoproxy, env.gonosumdb) == (
        "https://proxy.golang.org,direct", "sum.golang.org", "stash.xxxx.com", "stash.xxxx.com")
    assert env.settings["GONOPROXY"].source == "unset; defaults to GOPRIVATE"


def test_empty_gonoproxy_still_defaults_to_goprivate_as_in_go() -> None:
    env = env_of(GOPRIVATE="stash.xxxx.com", GONOPROXY="", GONOSUMDB="none")
    assert env.gonoproxy == "stash.xxxx.com"
    assert env.gonosumdb == "none"


def test_environment_wins_over_the_go_env_w_file(tmp_path: Path) -> None:
    config = tmp_path / "env"
    config.write_text("GOPRIVATE=from.config\nGOPROXY=https://goproxy.cn,direct\n")
    raw = from_environment({"GOENV": str(config), "GOPRIVATE": "from.env", "GOPROXY": ""})
    assert (raw["GOPRIVATE"].value, raw["GOPRIVATE"].source) == ("from.env", "environment")
    assert (raw["GOPROXY"].value, raw["GOPROXY"].source) == ("https://goproxy.cn,direct", f"{config}:2")


def test_parse_go_env_shell_windows_and_json() -> None:
    shell = "GOPRIVATE='stash.xxxx.com'\nGOPROXY=\"https://goproxy.cn,direct\"\nGONOSUMDB=''\n"
    raw = parse_go_env(shell, "env.txt")
    assert {k: (v.value, v.line) for k, v in raw.items()} == {
        "GOPRIVATE": ("stash.xxxx.com", 1), "GOPROXY": ("https://goproxy.cn,direct", 2), "GONOSUMDB": ("", 3)}
    windows = parse_go_env("set GOPRIVATE=stash.xxxx.com\r\nset GOPROXY=https://goproxy.cn,direct\r\n", "w.txt")
    assert raw["GOPROXY"].value == windows["GOPROXY"].value
    js = parse_go_env('{\n\t"GOPRIVATE": "stash.xxxx.com",\n\t"GOPROXY": "off"\n}\n', "e.json")
    assert (js["GOPROXY"].value, js["GOPROXY"].line) == ("off", 3)


def test_parse_go_env_reports_file_and_line() -> None:
    with pytest.raises(OpsInputError) as error:
        parse_go_env("GOPRIVATE='x'\nGOPROXY='unterminated\n", "env.txt")
    assert str(error.value) == "env.txt:2: cannot unquote value of GOPROXY: No closing quotation"


# ------------------------------------------------------------------ routes


def test_note_configuration_routes() -> None:
    env = env_of(GOPRIVATE="stash.xxxx.com", GOPROXY="https://goproxy.cn,direct")
    private = route("stash.xxxx.com/team/lib", env)
    public = route("github.com/pkg/errors", env)
    assert [(a.source, a.next_on) for a in private.attempts] == [("direct", None)]
    assert (private.private, private.checksum_db, private.findings) == (True, None, [])
    assert [(a.source, a.next_on) for a in public.attempts] == [("https://goproxy.cn", "404 or 410"), ("direct", None)]
    assert public.checksum_db == "sum.golang.org"


def test_goprivate_with_explicit_gonoproxy_and_gonosumdb_leaks_the_path() -> None:
    env = env_of(GOPRIVATE="stash.xxxx.com", GONOPROXY="none", GONOSUMDB="none", GOPROXY="goproxy.cn")
    r = route("stash.xxxx.com/team/lib", env)
    assert [a.source for a in r.attempts] == ["https://goproxy.cn"]
    assert [(f.code, f.severity.value) for f in r.findings] == [
        ("private-via-proxy", "warning"), ("private-checksum-lookup", "warning")]


def test_gonoproxy_module_goes_direct_even_with_goproxy_off() -> None:
    env = env_of(GONOPROXY="stash.xxxx.com", GOPROXY="off", GOSUMDB="off")
    assert [a.source for a in route("stash.xxxx.com/x", env).attempts] == ["direct"]
    other = route("github.com/x/y", env)
    assert [a.source for a in other.attempts] == ["off"]
    assert [f.code for f in other.findings] == ["lookup-disabled"]
    assert other.checksum_reason == "GOSUMDB=off"


def test_gosumdb_with_key_and_url_names_the_database() -> None:
    env = env_of(GOSUMDB="sum.golang.google.cn+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ip0VdoFiJ9 https://x.example")
    assert route("github.com/a/b", env).checksum_db == "sum.golang.google.cn"


# Differential check against the real go command, fully offline: file:// proxies, and
# "direct" fetches forced to fail fast through an unreachable HTTPS proxy.
# A: every module has a corrupt .info (an error that is not 404/410); B: every module present;
# C: empty (404 for everything).
MODULES = ["example.com/team/m", "example.com/other/m", "corp.example/x/m"]


def _proxy_dir(root: Path, name: str, good: bool | None) -> str:
    base = root / name
    base.mkdir()
    for module in MODULES:
        if good is None:
            continue
        d = base / module / "@v"
        d.mkdir(parents=True)
        (d / "list").write_text("v1.0.0\n")
        (d / "v1.0.0.info").write_text('{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}' if good else "not json")
        (d / "v1.0.0.mod").write_text(f"module {module}\n")
    return f"file://{base}"


def _predict(env, module: str, proxies: dict[str, str]) -> str:
    """Walk our route the way TryProxies does: B serves, A fails hard, C answers 404."""
    for attempt in route(module, env).attempts:
        if attempt.kind is EntryKind.DIRECT:
            return "direct"
        if attempt.kind is EntryKind.OFF:
            return "off"
        kind = proxies[attempt.source]
        if kind == "B":
            return "B"
        not_found = kind == "C"
        if attempt.next_on is None or (attempt.next_on == "404 or 410" and not not_found):
            return "A" if kind == "A" else "C"
    raise AssertionError("route has no attempts")


def _observe(output: str, returncode: int) -> str:
    if returncode == 0:
        return "B"
    if "127.0.0.1:9" in output:
        return "direct"
    if "GOPROXY=off" in output:
        return "off"
    if "invalid response from proxy" in output:
        return "A"
    if "not found" in output or "404" in output or "no matching versions" in output:
        return "C"
    return "unknown: " + output


@pytest.mark.skipif(shutil.which("go") is None, reason="go toolchain not installed")
def test_routes_agree_with_the_go_command(tmp_path: Path) -> None:
    a, b, c = (_proxy_dir(tmp_path, n, g) for n, g in (("A", False), ("B", True), ("C", None)))
    names = {a: "A", b: "B", c: "C"}
    configs = [
        {"GOPROXY": f"{a},{b}"},
        {"GOPROXY": f"{a}|{b}"},
        {"GOPROXY": f"{c},{b}"},
        {"GOPROXY": f"{c},off,{b}"},
        {"GOPROXY": f"{c},direct,{b}"},
        {"GOPROXY": b, "GOPRIVATE": "example.com"},
        {"GOPROXY": b, "GOPRIVATE": "example.com", "GONOPROXY": "none"},
        {"GOPROXY": b, "GOPRIVATE": "*.example,example.com/t?am"},
        {"GOPROXY": b, "GONOPROXY": "example.com/[a-s]*"},
        {"GOPROXY": b, "GONOPROXY": "example.com/[,corp.example/x/"},
        {"GOPROXY": "off", "GONOPROXY": "example.com/team"},
        {"GOPROXY": "direct", "GONOPROXY": "corp.example"},
    ]
    for config in configs:
        env = env_of(**config)
        for module in MODULES:
            run_env = {
                "PATH": os.environ["PATH"], "HOME": str(tmp_path), "GOPATH": str(tmp_path / "gopath"),
                "GOCACHE": str(tmp_path / "cache"), "GOENV": "off", "GO111MODULE": "on", "GOSUMDB": "off",
                "GOFLAGS": "-mod=mod", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
                "NO_PROXY": "", **config,
            }
            done = subprocess.run(["go", "list", "-m", "-json", f"{module}@v1.0.0"], capture_output=True, text=True,
                                  env=run_env, cwd=tmp_path, timeout=120)
            shutil.rmtree(tmp_path / "gopath", ignore_errors=True)
            observed = _observe(done.stdout + done.stderr, done.returncode)
            assert _predict(env, module, names) == observed, (config, module, done.stderr)


# ------------------------------------------------------------------ go.mod


def test_gomod_requirements_replacements_and_indirect() -> None:
    mod = parse_gomod((DATA / "go.mod.sample").read_text(), "go.mod")
    assert mod.module == "stash.xxxx.com/platform/order-service"
    assert [(r.path, r.version, r.indirect, r.line) for r in mod.requires] == [
        ("github.com/gin-gonic/gin", "v1.9.1", False, 8),
        ("github.com/pkg/errors", "v0.9.1", False, 9),
        ("stash.xxxx.com/platform/common", "v1.4.2", False, 10),
        ("stash.xxxx.com/platform/proto", "v0.3.0", True, 11),
        ("golang.org/x/text", "v0.14.0", True, 14),
    ]
    assert [(r.old_path, r.new_path, r.new_version, r.local) for r in mod.replaces] == [
        ("stash.xxxx.com/platform/proto", "../proto", None, True),
        ("github.com/pkg/errors", "stash.xxxx.com/mirror/errors", "v0.9.1-fix", False),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("module a\nrequire (\n\tgithub.com/x/y v1.0.0\n", "go.mod:2: require block opened here is never closed"),
        ("module a\nrequire github.com/x/y 1.0.0\n", "go.mod:2: invalid version '1.0.0': must be of the form v1.2.3"),
        ("module a\nrequires github.com/x/y v1.0.0\n", "go.mod:2: unknown directive: requires"),
        ("module a\n\nreplace a/b => c/d\n",
         "go.mod:3: replacement module without version must be directory path (rooted or starting with ./ or ../)"),
        ('module "a\n', "go.mod:1: unterminated quoted string"),
    ],
)
def test_gomod_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(OpsInputError) as error:
        parse_gomod(text, "go.mod")
    assert str(error.value) == message


# ------------------------------------------------------------------ CLI


def test_cli_explain_text(capsys) -> None:
    rc = main(["ops", "goproxy", "explain", "stash.xxxx.com/team/lib", "github.com/pkg/errors",
               "--goprivate", "stash.xxxx.com", "--goproxy", "https://goproxy.cn,direct"])
    out = capsys.readouterr().out
    assert rc == 0
    assert out.splitlines() == [
        "GOPRIVATE=stash.xxxx.com  (command line)",
        "GONOPROXY=stash.xxxx.com  (unset; defaults to GOPRIVATE)",
        "GONOSUMDB=stash.xxxx.com  (unset; defaults to GOPRIVATE)",
        "GOPROXY=https://goproxy.cn,direct  (command line)",
        "GOSUMDB=sum.golang.org  (unset; go command default)",
        "",
        "github.com/pkg/errors: public",
        "  fetch: 1. https://goproxy.cn  (next only on 404 or 410)",
        "         2. direct (the origin's version control)",
        "  checksum database: sum.golang.org (for versions not yet in go.sum)",
        "stash.xxxx.com/team/lib: private (GOPRIVATE 'stash.xxxx.com')",
        "  fetch: direct from the origin's version control (GONOPROXY 'stash.xxxx.com')",
        "  checksum database: not consulted (GONOSUMDB matches 'stash.xxxx.com')",
    ]


def test_cli_explain_warnings_exit_1_and_json(capsys) -> None:
    rc = main(["ops", "goproxy", "explain", "stash.xxxx.com/a", "--goprivate", "stash.xxxx.com,bad/[",
               "--gonosumdb", "none", "--goproxy", "goproxy.cn|direct", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert data["env"]["GONOSUMDB"] == {"value": "none", "raw": "none", "source": "command line", "defaulted": False}
    assert data["modules"][0]["attempts"] == [{"source": "direct", "kind": "direct", "next_on": None}]
    assert [f["code"] for f in data["findings"]] == ["bad-pattern", "bad-pattern", "private-checksum-lookup"]


def test_cli_explain_reads_go_env_file_and_reports_its_line(tmp_path: Path, capsys) -> None:
    env_file = tmp_path / "go.env"
    env_file.write_text("GOPRIVATE='stash.xxxx.com'\nGOPROXY='goproxy'\n")
    rc = main(["ops", "goproxy", "explain", "stash.xxxx.com/x", "--go-env", str(env_file)])
    assert rc == 2
    assert capsys.readouterr().err == f"error: {env_file}:2: GOPROXY: invalid proxy URL missing scheme: goproxy\n"


def test_cli_explain_uses_the_environment(monkeypatch, capsys) -> None:
    monkeypatch.setenv("GOPRIVATE", "*.corp.example")
    monkeypatch.setenv("GOPROXY", "https://goproxy.cn,direct")
    rc = main(["ops", "goproxy", "explain", "git.corp.example/a/b"])
    lines = capsys.readouterr().out.splitlines()
    assert rc == 0
    assert lines[0] == "GOPRIVATE=*.corp.example  (environment)"
    assert "git.corp.example/a/b: private (GOPRIVATE '*.corp.example')" in lines


def test_cli_modules_text(capsys) -> None:
    rc = main(["ops", "goproxy", "modules", str(DATA / "go.mod.sample"), "--goprivate", "stash.xxxx.com",
               "--goproxy", "https://goproxy.cn,direct"])
    lines = capsys.readouterr().out.splitlines()
    assert rc == 0
    assert lines[6:] == [
        "github.com/gin-gonic/gin v1.9.1: public",
        "  fetch: 1. https://goproxy.cn  (next only on 404 or 410)",
        "         2. direct (the origin's version control)",
        "  checksum database: sum.golang.org (for versions not yet in go.sum)",
        "github.com/pkg/errors v0.9.1 => stash.xxxx.com/mirror/errors v0.9.1-fix: private (GOPRIVATE 'stash.xxxx.com')",
        "  fetch: direct from the origin's version control (GONOPROXY 'stash.xxxx.com')",
        "  checksum database: not consulted (GONOSUMDB matches 'stash.xxxx.com')",
        "golang.org/x/text v0.14.0 // indirect: public",
        "  fetch: 1. https://goproxy.cn  (next only on 404 or 410)",
        "         2. direct (the origin's version control)",
        "  checksum database: sum.golang.org (for versions not yet in go.sum)",
        "stash.xxxx.com/platform/common v1.4.2: private (GOPRIVATE 'stash.xxxx.com')",
        "  fetch: direct from the origin's version control (GONOPROXY 'stash.xxxx.com')",
        "  checksum database: not consulted (GONOSUMDB matches 'stash.xxxx.com')",
        "stash.xxxx.com/platform/proto v0.3.0 => ../proto // indirect: local directory",
        "  fetch: nothing (not downloaded)",
    ]


def test_cli_modules_without_goprivate_warns_nothing_but_routes_private_paths_to_the_proxy(capsys) -> None:
    rc = main(["ops", "goproxy", "modules", str(DATA / "go.mod.sample"), "--goproxy", "https://goproxy.cn,direct",
               "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0
    common = next(m for m in data["modules"] if m["module"] == "stash.xxxx.com/platform/common")
    assert (common["private"], [a["source"] for a in common["attempts"]], common["checksum_db"]) == (
        False, ["https://goproxy.cn", "direct"], "sum.golang.org")
    assert data["module"] == "stash.xxxx.com/platform/order-service"


def test_cli_modules_malformed_gomod(tmp_path: Path, capsys) -> None:
    gomod = tmp_path / "go.mod"
    gomod.write_text("module a\n\nrequire (\n\tgithub.com/x/y v1.0.0 extra\n)\n")
    rc = main(["ops", "goproxy", "modules", str(gomod)])
    assert rc == 2
    assert capsys.readouterr().err == f"error: {gomod}:4: usage: require module/path v1.2.3\n"


def test_cli_modules_missing_file(tmp_path: Path, capsys) -> None:
    rc = main(["ops", "goproxy", "modules", str(tmp_path / "nope.mod")])
    assert rc == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'nope.mod'}: no such file\n"


def test_proxy_url_passwords_are_masked_in_every_output(capsys) -> None:
    goproxy = "https://ci:s3cretpw@artifactory.corp/api/go|http://u:p%40ss@x.example,direct"
    env = env_of(GOPROXY=goproxy)
    assert env.goproxy == "https://ci:****@artifactory.corp/api/go|http://u:****@x.example,direct"
    assert [a.source for a in route("github.com/a/b", env).attempts] == [
        "https://ci:****@artifactory.corp/api/go", "http://u:****@x.example", "direct"]
    for fmt in ("text", "json"):
        assert main(["ops", "goproxy", "explain", "github.com/a/b", "--goproxy", goproxy, "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "ci:****@artifactory.corp" in out and "s3cretpw" not in out and "p%40ss" not in out
    assert main(["ops", "goproxy", "explain", "a/b", "--goproxy", "ftp://ci:s3cretpw@mirror.corp/go"]) == 2
    assert capsys.readouterr().err == ("error: GOPROXY='ftp://ci:****@mirror.corp/go' (command line): invalid proxy "
                                       "URL scheme (must be https, http, file): ftp://ci:****@mirror.corp/go\n")


def test_cli_go_env_json_nested_too_deep_exits_2_with_file_and_line(tmp_path: Path, capsys) -> None:
    env_file = tmp_path / "go-env.json"
    env_file.write_text('{\n  "GOPRIVATE": "stash.xxxx.com",\n  "X": ' + "[" * 5000 + "]" * 5000 + "\n}\n")
    assert main(["ops", "goproxy", "explain", "stash.xxxx.com/x", "--go-env", str(env_file)]) == 2
    assert capsys.readouterr().err == f"error: {env_file}:3: JSON arrays/objects nested deeper than 200 levels\n"


def test_cli_go_env_json_brackets_inside_strings_are_no_nesting(tmp_path: Path, capsys) -> None:
    env_file = tmp_path / "go-env.json"
    env_file.write_text('{"GOFLAGS": "' + "[{" * 300 + '\\"", "GOPRIVATE": "stash.xxxx.com"}\n')
    assert main(["ops", "goproxy", "explain", "stash.xxxx.com/x", "--go-env", str(env_file), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["env"]["GOPRIVATE"]["value"] == "stash.xxxx.com"


def test_cli_go_env_from_stdin(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"GOPRIVATE='stash.xxxx.com'\nGOPROXY='off'\n")))
    assert main(["ops", "goproxy", "explain", "stash.xxxx.com/x", "--go-env", "-"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "GOPRIVATE=stash.xxxx.com  (<stdin>:1)", "GONOPROXY=stash.xxxx.com  (unset; defaults to GOPRIVATE)"]


def test_cli_modules_from_stdin_with_a_gbk_comment(monkeypatch, capsys) -> None:
    gomod = ("module example.com/svc\n\n// " + "\u79c1\u6709\u6a21\u5757").encode("gbk") + (
        b"\nrequire stash.xxxx.com/team/lib v1.2.0\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(gomod)))
    assert main(["ops", "goproxy", "modules", "-", "--goprivate", "stash.xxxx.com", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["gomod"], data["module"], [(m["module"], m["line"]) for m in data["modules"]]) == (
        "<stdin>", "example.com/svc", [("stash.xxxx.com/team/lib", 4)])


def test_cli_go_env_symlink_loop_says_so(tmp_path: Path, capsys) -> None:
    loop = tmp_path / "go.env"
    loop.symlink_to(loop)
    assert main(["ops", "goproxy", "explain", "x.example/y", "--go-env", str(loop)]) == 2
    assert capsys.readouterr().err == f"error: {loop}: symlink loop (too many levels of symbolic links)\n"
