"""Package initialisation (resolve/initorder.py) against what x/tools' `callgraph -algo=static`
prints for the same module (Go 1.19, x/tools 0.5.0, measured on this very source)."""

from __future__ import annotations

import pytest
from conftest import write_module

import goanalyzer
from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.analysis.startup import startup_flow
from goanalyzer.analysis.startup_model import is_init_phase, step_label
from goanalyzer.cli.main import main
from goanalyzer.resolve.initorder import imported_packages, init_calls, init_run_order, package_inits

M = "example.com/initx"
FILES = {
    # b.go sorts after a.go: its imports come second and its inits are #2 and #3
    "b.go": """package main

import (
	"strings"
	"example.com/initx/sub"
	_ "example.com/initx/other"
	"unsafe"
)

var X = strings.ToUpper("x")
var Y = sub.F(func() int { return 1 })

func init() { sub.G() }

func main() { _ = unsafe.Sizeof(X) }

func init() { println(Y) }
""",
    "a.go": """package main

import (
	"fmt"
	"os"
	"strings"
)

var Z = fmt.Sprint(os.Args, strings.ToLower("a"))

func init() { fmt.Println(Z) }
""",
    "sub/sub.go": """package sub

import "fmt"

func F(f func() int) int { return f() }
func G() { fmt.Println("g") }
""",
    "other/o.go": "package other\n\nfunc init() {}\n",
}


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    root = write_module(tmp_path_factory.mktemp("initx"), FILES, module=M)
    return goanalyzer.load(root, goroot="none", use_cache=False)


def test_imports_in_go_types_order_each_once(program):
    assert imported_packages(program, M) == ["fmt", "os", "strings", f"{M}/sub", f"{M}/other", "unsafe"]
    assert imported_packages(program, "not/loaded") == []


def test_explicit_inits_numbered_across_files_in_file_order(program):
    assert package_inits(program, M) == [f"{M}.init#1", f"{M}.init#2", f"{M}.init#3"]
    assert program.funcs[f"{M}.init#1"].file.path.endswith("/a.go")
    assert package_inits(program, f"{M}/sub") == []


def test_init_calls_in_the_order_ssa_emits_them(program):
    calls = [(c.caller, c.target.callee, c.file, c.line, c.col) for c in init_calls(program) if c.caller == f"{M}.init"]
    assert calls == [(f"{M}.init", callee, "", 0, 0) for callee in (
        "fmt.init", "os.init", "strings.init", f"{M}/sub.init", f"{M}/other.init", "unsafe.init",
        f"{M}.init#1", f"{M}.init#2", f"{M}.init#3")]


def test_static_graph_has_x_tools_init_edges(program):
    rows = {(c, e, s.position) for c, e, s in build_callgraph(program, "static").rows()
            if c.startswith(f"{M}.init") or c.startswith(f"{M}/")}
    assert rows == {
        (f"{M}.init", "fmt.init", ":0:0"), (f"{M}.init", "os.init", ":0:0"),
        (f"{M}.init", "strings.init", ":0:0"), (f"{M}.init", f"{M}/sub.init", ":0:0"),
        (f"{M}.init", f"{M}/other.init", ":0:0"), (f"{M}.init", "unsafe.init", ":0:0"),
        (f"{M}.init", f"{M}.init#1", ":0:0"), (f"{M}.init", f"{M}.init#2", ":0:0"),
        (f"{M}.init", f"{M}.init#3", ":0:0"),
        (f"{M}.init", "strings.ToLower", "a.go:9:44"), (f"{M}.init", "fmt.Sprint", "a.go:9:19"),
        (f"{M}.init", "strings.ToUpper", "b.go:10:24"), (f"{M}.init", f"{M}/sub.F", "b.go:11:14"),
        (f"{M}.init#1", "fmt.Println", "a.go:11:26"), (f"{M}.init#2", f"{M}/sub.G", "b.go:13:20"),
        (f"{M}/sub.init", "fmt.init", ":0:0"), (f"{M}/sub.G", "fmt.Println", "sub/sub.go:6:23"),
        (f"{M}/other.init", f"{M}/other.init#1", ":0:0"),
    }


def test_synthetic_init_of_a_loaded_package_is_a_function_node(program):
    graph = build_callgraph(program, "static").graph
    assert graph.nodes[f"{M}.init"]["kind"] == "func" and not graph.nodes[f"{M}.init"]["external"]
    assert graph.nodes["fmt.init"]["external"]  # not loaded (no GOROOT)


def test_run_order_is_depth_first_in_import_order(program):
    assert init_run_order(program, M) == ["fmt", "os", "strings", f"{M}/sub", f"{M}/other", "unsafe", M]


# ----------------------------------------------------------------- the startup flow's first step
APP = {
    "main.go": """package main

import (
	"flag"

	"example.com/app/cmds"
	"example.com/app/quiet"
)

var verbose = flag.Bool("v", false, "verbose")

var root = newRoot()

var _ = quiet.ErrX

func newRoot() *cmds.Command { return &cmds.Command{Name: "app"} }

func init() { root.AddCommand(cmds.Version()) }

func main() { root.Run() }
""",
    "cmds/cmds.go": """package cmds

type Command struct {
	Name string
	subs []*Command
}

func (c *Command) AddCommand(s *Command) { c.subs = append(c.subs, s) }

func (c *Command) Run() {}

var registry = map[string]*Command{}

func Version() *Command { return &Command{Name: "version"} }

func init() { registry["version"] = Version() }
""",
    # only standard-library values: left out of the phase
    "quiet/quiet.go": 'package quiet\n\nimport "errors"\n\nvar ErrX = errors.New("x")\n\nfunc init() { _ = errors.New("y") }\n',
}
A = "example.com/app"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = write_module(tmp_path_factory.mktemp("app"), APP, module=A)
    program = goanalyzer.load(root, goroot="none", use_cache=False)
    return root, program, build_callgraph(program)


def tree(steps, depth=0) -> list[tuple[int, str, str, str]]:
    """(depth, callee, caller, position) of every step, depth first."""
    return [item for s in steps for item in [(depth, s.callee, s.caller, s.position), *tree(s.steps, depth + 1)]]


def test_startup_flow_starts_with_package_initialisation_in_run_order(app):
    _, program, cg = app
    flow = startup_flow(program, cg)
    phase = flow.steps[0]
    assert step_label(phase) == "package initialisation" and is_init_phase(phase)
    assert tree(flow.steps) == [
        (0, f"{A}.init", f"{A}.main", "main.go:20:1"),
        (1, f"{A}/cmds.init#1", f"{A}/cmds.init", "cmds/cmds.go:16:1"),
        (2, f"{A}/cmds.Version", f"{A}/cmds.init#1", "cmds/cmds.go:16:44"),
        (1, "flag.Bool", f"{A}.init", "main.go:10:24"),  # the main package's var initialisers, inline
        (1, f"{A}.newRoot", f"{A}.init", "main.go:12:19"),
        (1, f"{A}.init#1", f"{A}.init", "main.go:18:1"),
        (2, f"{A}/cmds.Version", f"{A}.init#1", "main.go:18:43"),
        (2, f"(*{A}/cmds.Command).AddCommand", f"{A}.init#1", "main.go:18:30"),
        (0, f"(*{A}/cmds.Command).Run", f"{A}.main", "main.go:20:23")]
    assert flow.steps[0].steps[3].steps[0].seen_before  # Version was expanded in cmds.init#1, which ran first


def test_no_phase_at_depth_0_nor_for_another_entry(app):
    _, program, cg = app
    assert [s.callee for s in startup_flow(program, cg, depth=0).steps] == [f"(*{A}/cmds.Command).Run"]
    assert [s.callee for s in startup_flow(program, cg, entry="newRoot").steps] == []


def test_the_phase_in_the_text_and_markdown_views(app, capsys):
    root = str(app[0])
    assert main(["startup", root, "--goroot", "none", "--no-cache", "-q"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"startup of {A}.main (main.go:20)",
        "  → package initialisation  main.go:20:1",
        "    → cmds.init#1  cmds/cmds.go:16:1",
        "      → cmds.Version  cmds/cmds.go:16:44",
        "    → flag.Bool  main.go:10:24",
        "    → app.newRoot  main.go:12:19",
        "    → app.init#1  main.go:18:1",
        "      → cmds.Version  (expanded above)  main.go:18:43",
        "      → (*cmds.Command).AddCommand  main.go:18:30",
        "  → (*cmds.Command).Run  main.go:20:23"]
    assert main(["startup", root, "--goroot", "none", "--no-cache", "-q", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert "- → `package initialisation`" in markdown and "`cmds.init#1`" in markdown
