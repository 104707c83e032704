"""Rapid Type Analysis (analysis/rta.py) on hand-written programs, edges as x/tools'
`callgraph -algo=rta` prints them for the same sources (checked with Go 1.19 and x/tools 0.5.0)."""

from click.testing import CliRunner
from conftest import FIXTURES, load_fixture, write_module

import goanalyzer
from goanalyzer.analysis.callgraph import Algo, build_callgraph
from goanalyzer.analysis.rta import rapid_type_analysis
from goanalyzer.cli.main import cli, main

P = "example.com/rtaapp/cmd/rtaapp"
S = "example.com/rtaapp/shapes"

WANT = {
    (f"{P}.apply", f"{P}.main$1", "funcvalue"),  # the closure captures `total`: it is taken as a value
    (f"{P}.apply", f"{P}.report", "funcvalue"),  # taken in init#1; `unused` has the signature, never taken
    (f"{P}.init", f"{P}.init#1", "static"),
    (f"{P}.init", f"{S}.Register", "static"),  # the var initialiser
    (f"{P}.init", f"{S}.init", "static"),
    (f"{P}.main", f"(*{S}.Square).Area", "interface"),
    (f"{P}.main", f"({S}.Circle).Area", "interface"),  # converted in the var initialiser's argument
    (f"{P}.main", f"{P}.apply", "static"),
    (f"{P}.main", f"{P}.main$1", "static"),
    (f"{P}.report", f"(*{S}.Square).Area", "interface"),
    (f"{P}.report", f"({S}.Circle).Area", "interface"),
}
"""Triangle is made but never converted to Shape: no edge reaches its Area."""


def edges(graph) -> set[tuple[str, str, str]]:
    return {(caller, callee, data["rule"]) for caller, callee, data in graph.edges()}


def test_edges_of_a_main_whose_dependency_is_read_on_demand():
    program = load_fixture("rta-app/cmd/rtaapp")
    assert not any(f.with_bodies for f in program.packages[S].files)
    result = rapid_type_analysis(program)
    assert edges(result.graph) == WANT
    assert result.reachable == {caller for caller, _, _ in WANT} | {callee for _, callee, _ in WANT}
    assert f"{P}.unused" not in result.reachable and f"({S}.Triangle).Area" not in result.reachable
    assert all(f.with_bodies for f in result.program.packages[S].files)
    assert result.missing == ()


def test_the_same_edges_when_every_package_is_under_path():
    assert edges(build_callgraph(load_fixture("rta-app"), Algo.RTA)) == WANT


def test_a_missing_body_ends_its_branch():
    result = rapid_type_analysis(load_fixture("rta-app/cmd/rtaapp"), reload=None)
    assert result.missing == (f"(*{S}.Square).Area", f"({S}.Circle).Area", f"{S}.Register")
    assert [d.message for d in result.diagnostics] == [
        f"rta: no body for {name}: its branch of reachability ends there" for name in result.missing]
    assert edges(result.graph) == WANT  # the calls into them are known; what they call is not


def test_roots_chosen_by_the_caller():
    result = rapid_type_analysis(load_fixture("rta-app/cmd/rtaapp"), roots=[f"{P}.report"])
    assert edges(result.graph) == set()  # nothing reachable converts a shape: the call reaches no method
    assert result.reachable == {f"{P}.report"}


def test_callgraph_command_prints_the_rta_rows():
    result = CliRunner().invoke(cli, ["callgraph", str(FIXTURES / "rta-app" / "cmd" / "rtaapp"), "--algo", "rta",
                                      "--no-cache", "--goroot", "none"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{P}.apply\t{P}.main$1\tcmd/rtaapp/main.go:20:76\tfuncvalue",
        f"{P}.apply\t{P}.report\tcmd/rtaapp/main.go:20:76\tfuncvalue",
        f"{P}.init\t{P}.init#1\t:0:0\tstatic",
        f"{P}.init\t{S}.Register\tcmd/rtaapp/main.go:8:33\tstatic",
        f"{P}.init\t{S}.init\t:0:0\tstatic",
        f"{P}.main\t(*{S}.Square).Area\tcmd/rtaapp/main.go:24:17\tinterface",
        f"{P}.main\t({S}.Circle).Area\tcmd/rtaapp/main.go:24:17\tinterface",
        f"{P}.main\t{P}.apply\tcmd/rtaapp/main.go:28:17\tstatic",
        f"{P}.main\t{P}.main$1\tcmd/rtaapp/main.go:26:15\tstatic",
        f"{P}.report\t(*{S}.Square).Area\tcmd/rtaapp/main.go:16:52\tinterface",
        f"{P}.report\t({S}.Circle).Area\tcmd/rtaapp/main.go:16:52\tinterface",
    ]


CONVERSIONS = """package main

type I interface{ M() }

type Arg struct{}
type Assigned struct{}
type Returned struct{}
type Field struct{}
type Elem struct{}
type MapValue struct{}
type Explicit struct{}
type Sent struct{}
type Appended struct{}
type Panicked struct{}
type Pair struct{}
type Variadic struct{}
type Never struct{}

func (Arg) M()      {}
func (Assigned) M() {}
func (Returned) M() {}
func (*Field) M()   {}
func (Elem) M()     {}
func (MapValue) M() {}
func (Explicit) M() {}
func (Sent) M()     {}
func (Appended) M() {}
func (Panicked) M() {}
func (Pair) M()     {}
func (Variadic) M() {}
func (Never) M()    {}

type holder struct{ i I }

func take(i I)           { i.M() }
func many(xs ...I)       {}
func give() I            { return Returned{} }
func pair() (Pair, bool) { return Pair{}, true }
func both() (I, bool)    { return pair() }

func main() {
	take(Arg{})
	var i I
	i = Assigned{}
	take(i)
	_ = holder{i: &Field{}}
	_ = []I{Elem{}}
	_ = map[string]I{"a": MapValue{}}
	_ = I(Explicit{})
	ch := make(chan I, 1)
	ch <- Sent{}
	var is []I
	is = append(is, Appended{})
	many(Variadic{})
	n := Never{}
	n.M()
	give()
	both()
	defer func() { recover() }()
	panic(Panicked{})
}
"""


def test_every_kind_of_conversion_to_an_interface_makes_a_runtime_type(tmp_path):
    program = goanalyzer.load(write_module(tmp_path, {"main.go": CONVERSIONS}, "example.com/conv"),
                              goroot="none", use_cache=False)
    graph = rapid_type_analysis(program).graph
    c = "example.com/conv"
    converted = ["Appended", "Arg", "Assigned", "Elem", "Explicit", "MapValue", "Pair", "Panicked", "Returned",
                 "Sent", "Variadic"]
    assert graph.callees(f"{c}.take") == sorted([f"(*{c}.Field).M", *(f"({c}.{t}).M" for t in converted)])
    assert graph.callees(f"{c}.main") == [f"({c}.Never).M", f"{c}.both", f"{c}.give", f"{c}.main$1", f"{c}.many",
                                          f"{c}.take"]


def test_a_tree_without_a_main_package_is_a_usage_error(capsys):
    assert main(["callgraph", str(FIXTURES / "rta-app" / "shapes"), "--algo", "rta", "--no-cache",
                 "--goroot", "none"]) == 2
    assert capsys.readouterr().err == \
        "error: Rapid Type Analysis starts from a main package: there is none under PATH\n"


DYNAMIC = """package main

func hello() {}

func bye() {}

func never() {}

func pick() func() { return bye }

var table = map[string]func(){"hello": hello}

func main() {
	n := 0
	func() { n++ }()
	func() {}()
	pick()()
	table["hello"]()
	run(func() {})
}

func run(f func()) { f() }
"""


def test_func_value_calls_reach_every_function_taken_with_their_signature(tmp_path):
    program = goanalyzer.load(write_module(tmp_path, {"main.go": DYNAMIC}, "example.com/dyn"),
                              goroot="none", use_cache=False)
    graph = rapid_type_analysis(program).graph
    d = "example.com/dyn"
    # main$1 captures n, so SSA makes a closure of it (taken); main$2 is called where it stands (not
    # taken); a call's result and a map element are func values too; never is never taken
    assert graph.callees(f"{d}.run") == [f"{d}.bye", f"{d}.hello", f"{d}.main$1", f"{d}.main$3"]
    assert graph.callees(f"{d}.main") == [f"{d}.bye", f"{d}.hello", f"{d}.main$1", f"{d}.main$2", f"{d}.main$3",
                                          f"{d}.pick", f"{d}.run"]


EMBEDDED_CYCLE = """package main

type Namer interface{ Name() string }

type Sizer interface{ Size() int }

type Node struct {
	*Tree
	label string
}

type Tree struct {
	*Node
	size int
}

func (n *Node) Name() string { return n.label }

func (t *Tree) Size() int { return t.size }

func show(n Namer) string { return n.Name() }

func measure(s Sizer) int { return s.Size() + s.Size() }

func main() {
	show(&Tree{})
	measure(&Node{})
}
"""


def test_methods_promoted_through_a_cycle_of_embedded_pointers_implement_interfaces(tmp_path):
    program = goanalyzer.load(write_module(tmp_path, {"main.go": EMBEDDED_CYCLE}, "example.com/cyc"),
                              goroot="none", use_cache=False)
    graph = rapid_type_analysis(program).graph
    c = "example.com/cyc"
    assert graph.callees(f"{c}.show") == [f"(*{c}.Node).Name"]  # *Tree has Name through its *Node
    assert graph.callees(f"{c}.measure") == [f"(*{c}.Tree).Size"]  # and *Node has Size through its *Tree
    assert [(caller, s.position, s.rule) for caller, callee, s in graph.rows() if callee == f"(*{c}.Tree).Size"] \
        == [(f"{c}.measure", "main.go:23:42", "interface"), (f"{c}.measure", "main.go:23:53", "interface")]
