"""The default entry (analysis/entry.py): one rule for startup, walkthrough, site and callgraph."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, write_module

import goanalyzer
from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.analysis.entry import EntryChoice, default_entry, main_functions, program_packages, scope_to_entry
from goanalyzer.analysis.pipeline import analyse
from goanalyzer.analysis.startup import startup_flow
from goanalyzer.cli.main import main

MAIN = "package main\n\nfunc main() {}\n"
BUSY = """package main

import "example.com/tool/internal/work"

func main() { work.Do() }
"""
WORK = "package work\n\nfunc Do() { step() }\n\nfunc step() {}\n"


def load(root):
    return goanalyzer.load(root, goroot="none", use_cache=False)


def choose(root) -> EntryChoice | None:
    program = load(root)
    return default_entry(program, build_callgraph(program))


def test_the_main_package_at_path(tmp_path):
    files = {"main.go": BUSY, "internal/work/work.go": WORK, "cmd/tool/main.go": MAIN}
    root = write_module(tmp_path / "m", files, module="example.com/tool")
    assert choose(root) == EntryChoice("example.com/tool.main", "the main package at PATH")
    assert choose(root / "cmd" / "tool") == EntryChoice("example.com/tool/cmd/tool.main", "the main package at PATH")


def test_an_empty_main_at_path_gives_way_to_the_primary_command(tmp_path):
    # Traefik's root generate.go: go:generate lines and `func main() {}` beside cmd/traefik
    generate = "//go:generate mkdir -p static\n\npackage main\n\nfunc main() {}\n"
    root = write_module(tmp_path / "m", {"generate.go": generate, "cmd/tool/main.go": BUSY,
                                         "internal/work/work.go": WORK}, module="example.com/tool")
    assert choose(root) == EntryChoice("example.com/tool/cmd/tool.main", "the cmd/<name> matching the module name")
    alone = write_module(tmp_path / "alone", {"main.go": MAIN}, module="example.com/alone")
    assert choose(alone) == EntryChoice("example.com/alone.main", "the main package at PATH")


def test_the_only_main_under_path(tmp_path):
    root = write_module(tmp_path / "m", {"cmd/server/main.go": MAIN, "lib/lib.go": "package lib\n"})
    assert choose(root) == EntryChoice("example.com/m/cmd/server.main", "the only main package under PATH")


@pytest.mark.parametrize("module", ["example.com/tool", "example.com/tool/v2", "example.com/tool/v12"])
def test_cmd_matching_the_module_name(tmp_path, module):
    # Traefik keeps internal generators beside cmd/traefik
    files = {"cmd/tool/main.go": MAIN, "internal/gen/main.go": MAIN, "cmd/zz/main.go": MAIN}
    choice = choose(write_module(tmp_path / "m", files, module=module))
    assert choice == EntryChoice(f"{module}/cmd/tool.main", "the cmd/<name> matching the module name")
    assert choice.message() == f"entry: {module}/cmd/tool.main (the cmd/<name> matching the module name)"


def test_cmd_matching_the_repository_name(tmp_path):
    files = {"cmd/a/main.go": MAIN, "cmd/repo/main.go": MAIN}
    hosted = write_module(tmp_path / "hosted", files, module="github.com/owner/repo/tools")
    assert choose(hosted) == EntryChoice("github.com/owner/repo/tools/cmd/repo.main",
                                         "the cmd/<name> matching the repository name")
    checkout = write_module(tmp_path / "fancy", {"cmd/a/main.go": MAIN, "cmd/fancy/main.go": MAIN},
                            module="example.com/other")
    assert choose(checkout) == EntryChoice("example.com/other/cmd/fancy.main",
                                           "the cmd/<name> matching the repository name")


@pytest.mark.parametrize("name, text", [
    (".goreleaser.yml", "builds:\n  - id: b\n    main: ./cmd/b\n"),
    (".goreleaser.yaml", "project_name: x\nbuilds:\n  - main: ./cmd/nothing\n  - dir: cmd\n    main: ./b/main.go\n"),
])
def test_the_main_goreleaser_builds(tmp_path, name, text):
    root = write_module(tmp_path / "m", {"cmd/a/main.go": MAIN, "cmd/b/main.go": MAIN, name: text})
    assert choose(root) == EntryChoice("example.com/m/cmd/b.main", f"the main {name} builds")


def test_goreleaser_that_is_bad_or_a_link_out_of_the_tree_is_ignored(tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("builds:\n  - main: ./cmd/b\n")
    bad = write_module(tmp_path / "bad", {"cmd/a/main.go": MAIN, "cmd/b/main.go": MAIN,
                                          ".goreleaser.yml": "builds: [main: ./cmd/b\n", ".goreleaser.yaml": "- 1\n"})
    linked = write_module(tmp_path / "linked", {"cmd/a/main.go": MAIN, "cmd/b/main.go": MAIN})
    (linked / ".goreleaser.yml").symlink_to(outside)
    for root in (bad, linked):
        assert choose(root) == EntryChoice("example.com/m/cmd/a.main",  # a tie: the first by name
                                           "the main reaching most of the module: 1 of 2 functions")


def test_the_main_reaching_most_of_the_module(tmp_path):
    files = {"cmd/a/main.go": MAIN, "cmd/b/main.go": BUSY, "internal/work/work.go": WORK}
    root = write_module(tmp_path / "m", files, module="example.com/tool")
    # own nodes: a.main; b.main, b.init, work.init (b.init calls it), work.Do, work.step
    assert choose(root) == EntryChoice("example.com/tool/cmd/b.main",
                                       "the main reaching most of the module: 5 of 6 functions")


def test_no_main_no_choice(tmp_path):
    root = write_module(tmp_path / "m", {"lib/lib.go": "package lib\n\nfunc F() {}\n"})
    assert choose(root) is None
    assert main_functions(load(root)) == []


def test_startup_and_analyse_use_the_same_default(tmp_path):
    files = {"cmd/a/main.go": MAIN, "cmd/b/main.go": BUSY, "internal/work/work.go": WORK}
    program = load(write_module(tmp_path / "m", files, module="example.com/tool"))
    cg = build_callgraph(program)
    assert startup_flow(program, cg).entry == "example.com/tool/cmd/b.main"
    analysis = analyse(program, cg=cg)
    assert analysis.entry == "example.com/tool/cmd/b.main"
    assert analysis.entry_choice.reason == "the main reaching most of the module: 5 of 6 functions"
    assert analyse(program, cg=cg, entry="cmd/a.main").entry_choice is None


def test_every_command_says_which_entry_it_chose(tmp_path, capsys):
    files = {"cmd/a/main.go": MAIN, "cmd/b/main.go": BUSY, "internal/work/work.go": WORK}
    root = str(write_module(tmp_path / "m", files, module="example.com/tool"))
    said = "entry: example.com/tool/cmd/b.main (the main reaching most of the module: 5 of 6 functions)"
    common = ["--goroot", "none", "--no-cache", "-q"]
    assert main(["startup", root, *common]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [said]
    assert out.splitlines()[0] == "startup of example.com/tool/cmd/b.main (cmd/b/main.go:5)"
    assert main(["callgraph", root, "--from", "main", "--no-std", *common]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [said]
    assert {tuple(line.split("\t")[:2]) for line in out.splitlines()} == {
        ("example.com/tool/cmd/b.main", "example.com/tool/internal/work.Do"),
        ("example.com/tool/internal/work.Do", "example.com/tool/internal/work.step")}
    assert main(["walkthrough", root, "-o", str(tmp_path / "walk"), *common]) == 0
    assert capsys.readouterr().err.splitlines()[0] == said
    assert main(["callgraph", root, "--from", "cmd/a.main", *common]) == 0
    assert capsys.readouterr().err == ""  # a named entry: nothing to say


# ------------------------------------------------------------------ a flow scoped to its program
TWO_PROGRAMS = {
    "iface/iface.go": "package iface\n\ntype Runner interface{ Run() }\n\nfunc Do(r Runner) { r.Run() }\n",
    "cmd/a/main.go": 'package main\n\nimport "example.com/tool/iface"\n\ntype A struct{}\n\nfunc (A) Run() {}\n\n'
                     "func main() { iface.Do(A{}) }\n",
    "cmd/b/main.go": 'package main\n\nimport "example.com/tool/iface"\n\ntype B struct{}\n\nfunc (B) Run() {}\n\n'
                     "func main() { iface.Do(B{}) }\n",
}
I = "example.com/tool/iface"


def test_the_program_of_a_main_is_what_it_imports(tmp_path):
    program = load(write_module(tmp_path / "m", TWO_PROGRAMS, module="example.com/tool"))
    assert program_packages(program, "cmd/a.main") == {"example.com/tool/cmd/a", I}
    assert program_packages(program, "iface.Do") is None  # not a main: no program to scope to


def test_an_interface_call_reaches_only_the_types_of_the_entrys_program(tmp_path, capsys):
    root = write_module(tmp_path / "m", TWO_PROGRAMS, module="example.com/tool")
    program = load(root)
    cg = build_callgraph(program)
    assert cg.callees(f"{I}.Do") == ["(example.com/tool/cmd/a.A).Run", "(example.com/tool/cmd/b.B).Run"]
    scoped = scope_to_entry(program, cg, "cmd/a.main")
    assert scoped.callees(f"{I}.Do") == ["(example.com/tool/cmd/a.A).Run"]
    assert "example.com/tool/cmd/b.main" not in scoped and scope_to_entry(program, cg, "iface.Do") is cg
    do = analyse(program, cg=cg, entry="cmd/a.main").flow.steps[0]
    assert (do.callee, [s.callee for s in do.steps]) == (f"{I}.Do", ["(example.com/tool/cmd/a.A).Run"])
    assert main(["callgraph", str(root), "--from", "cmd/b.main", "--goroot", "none", "--no-cache", "-q"]) == 0
    assert [tuple(line.split("\t")[:2]) for line in capsys.readouterr().out.splitlines()] == [
        ("example.com/tool/cmd/b.main", f"{I}.Do"), (f"{I}.Do", "(example.com/tool/cmd/b.B).Run")]


def test_startup_and_callgraph_from_follow_the_command_framework(capsys):
    # urfave/cli's bodies are read without --into, as walkthrough reads them
    app, v2 = str(FIXTURES / "urfave-app"), "github.com/urfave/cli/v2"
    common = ["--goroot", "none", "--no-cache", "-q"]
    assert main(["callgraph", app, "--from", "main", "--depth", "2", *common]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == ["entry: example.com/urfave-app.main (the main package at PATH)"]
    assert [tuple(line.split("\t")[:2]) for line in out.splitlines()] == [
        (f"(*{v2}.App).Run", f"(*{v2}.App).Command"), (f"(*{v2}.App).Run", f"(*{v2}.Command).Run"),
        (f"(*{v2}.App).Run", "fmt.Errorf"), (f"(*{v2}.Command).Run", f"(*{v2}.Command).Run"),
        ("example.com/urfave-app.main", f"(*{v2}.App).Run"), ("example.com/urfave-app.main", "log.Fatal")]
    assert main(["startup", app, "--depth", "1", *common]) == 0
    text = capsys.readouterr().out.splitlines()
    run = text.index("  → (*v2.App).Run  main.go:46:19")
    assert text[run + 1] == f"    ■ build ctx := &Context{{...}}  {v2}@v2.3.0/app.go:36:10"


# ------------------------------------------------------------------ commands of one program
TWO_CLIS = {
    "go.mod": "module example.com/tool\n\ngo 1.17\n\nrequire github.com/spf13/cobra v1.2.1\n",
    "cmd/tool/main.go": 'package main\n\nimport "example.com/tool/internal/toolcmd"\n\nfunc main() { toolcmd.Execute() }\n',
    "cmd/helper/main.go": 'package main\n\nimport "example.com/tool/internal/helpercmd"\n\n'
                          "func main() { helpercmd.Root().Execute() }\n",
    "internal/toolcmd/root.go": 'package toolcmd\n\nimport "github.com/spf13/cobra"\n\n'
                                'var root = &cobra.Command{Use: "tool", Short: "The tool"}\n\nfunc init() {\n'
                                '\troot.AddCommand(&cobra.Command{Use: "serve", Run: func(*cobra.Command, []string) { serve() }})\n'
                                "}\n\nfunc serve() {}\n\nfunc Execute() { root.Execute() }\n",
    "internal/helpercmd/root.go": 'package helpercmd\n\nimport "github.com/spf13/cobra"\n\nfunc Root() *cobra.Command {\n'
                                  '\troot := &cobra.Command{Use: "helper"}\n\troot.AddCommand(&cobra.Command{Use: "check"})\n'
                                  "\treturn root\n}\n",
}


def _command_words(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines() if not line.lstrip().startswith("built at")]


def test_commands_lists_the_commands_of_one_program(tmp_path, capsys):
    root = str(write_module(tmp_path / "m", TWO_CLIS, module="example.com/tool"))
    common = ["--gomodcache", str(FIXTURES / "cobra-app" / "_gomodcache"), "--goroot", "none", "--no-cache", "-q"]
    assert main(["commands", root, *common]) == 0
    out, err = capsys.readouterr()
    assert err == "entry: example.com/tool/cmd/tool.main (the cmd/<name> matching the module name)\n"
    assert _command_words(out) == ["tool", "serve"]
    assert "run: toolcmd.init#1$1 → toolcmd.serve" in out
    assert main(["commands", root, "--entry", "cmd/helper.main", *common]) == 0
    out, err = capsys.readouterr()
    assert (_command_words(out), err) == (["helper", "check"], "")
    assert main(["commands", root, "--entry", "all", *common]) == 0
    assert _command_words(capsys.readouterr().out) == ["helper", "check", "tool", "serve"]
    assert main(["commands", root, "--entry", "toolcmd.Execute", *common]) == 2
    assert capsys.readouterr().err == "error: no main function named 'toolcmd.Execute'\n"


def test_a_walkthrough_shows_the_commands_of_its_entrys_program(tmp_path):
    root = write_module(tmp_path / "m", TWO_CLIS, module="example.com/tool")
    program = goanalyzer.load(root, goroot="none", use_cache=False,
                              gomodcache=str(FIXTURES / "cobra-app" / "_gomodcache"))
    assert [c.name for c in analyse(program).commands.commands] == ["tool", "serve"]
    assert [c.name for c in analyse(program, entry="cmd/helper.main").commands.commands] == ["helper", "check"]
