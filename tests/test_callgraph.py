"""The resolver against Go's type checker (golden cases) and the Traefik startup edges."""


import pytest
from conftest import PAERSER, ROOT, T, load_fixture

import goanalyzer
from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.analysis.queries import find_function, reachable
from goanalyzer.errors import AmbiguousNameError
from goanalyzer.workspace.workspace import default_goroot

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "oracle.static.tsv").exists())
GOROOT = default_goroot()


def oracle(case: str) -> set[tuple[str, str, str]]:
    """Every edge of the case's oracle, the synthetic package-initialiser ones (`:0:0`) included."""
    edges = set()
    for line in (GOLDEN / case / "oracle.static.tsv").read_text().splitlines():
        caller, callee, where, _ = line.split("\t")
        edges.add((caller, callee, where))
    return edges


@pytest.mark.parametrize("case", CASES)
def test_static_edges_match_x_tools(case):
    want = oracle(case)
    if GOROOT is None and any(c.startswith(("(*strings.", "(*bytes.", "(*sync.", "(*os.", "(errors.")) or
                              c.startswith("(*errors.") for _, c, _ in want):
        pytest.skip("needs a GOROOT for standard-library method sets")
    if case == "generics":
        pytest.xfail("x/tools 0.5.0 deletes generic instances and re-attaches their callees to the caller; "
                     "goanalyzer resolves F[T](x) to F, as issue 3 asks")
    program = goanalyzer.load(GOLDEN / case, use_cache=False)
    got = {(c, e, s.position) for c, e, s in build_callgraph(program, "static").rows()}
    assert got == want


def edges(cg, caller):
    return {(callee, cg.graph.edges[caller, callee]["rule"]) for callee in cg.callees(caller)}


def test_traefik_startup_edges(traefik_cg):
    cg = traefik_cg
    main = f"{T}/cmd/traefik.main"
    assert {c for c, _ in edges(cg, main)} == {
        f"{T}/cmd.NewTraefikConfiguration", f"(*{PAERSER}/cli.Command).AddCommand", f"{T}/cmd/healthcheck.NewCmd",
        f"{T}/cmd/version.NewCmd", f"{PAERSER}/cli.Execute", "log.Println", "os.Exit",
        "github.com/sirupsen/logrus.Exit"}
    assert cg.graph.nodes["github.com/sirupsen/logrus.Exit"]["kind"] == "external"
    assert (f"{PAERSER}/cli.execute", "static") in edges(cg, f"{PAERSER}/cli.Execute")
    assert (f"{PAERSER}/cli.run", "static") in edges(cg, f"{PAERSER}/cli.execute")
    run = edges(cg, f"{PAERSER}/cli.run")
    assert {c for c, r in run if r == "funcfield"} == {
        f"{T}/cmd/traefik.main$1", f"{T}/cmd/healthcheck.runCmd$1", f"{T}/cmd/version.NewCmd$1"}
    assert {c for c, r in run if r == "interface"} == {
        f"(*{T}/pkg/cli.FileLoader).Load", f"(*{T}/pkg/cli.FlagLoader).Load", f"(*{T}/pkg/cli.EnvLoader).Load"}
    assert f"(*{PAERSER}/cli.FlagLoader).Load" not in cg.callees(f"{PAERSER}/cli.run")  # never constructed
    assert edges(cg, f"{T}/cmd/traefik.main$1") == {(f"{T}/cmd/traefik.runCmd", "static")}
    assert {f"{T}/cmd/traefik.configureLogging", f"{T}/cmd/traefik.setupServer",
            f"(*{T}/pkg/config/static.Configuration).SetEffectiveConfiguration",
            f"(*{T}/pkg/server.Server).Start"} <= set(cg.callees(f"{T}/cmd/traefik.runCmd"))
    assert {f"{T}/pkg/server.NewServer", f"{T}/pkg/server.NewTCPEntryPoints",
            f"{T}/pkg/server.NewConfigurationWatcher"} <= set(cg.callees(f"{T}/cmd/traefik.setupServer"))


def test_tsv_rows_carry_module_relative_positions(traefik_cg):
    rows = {(c, e): s for c, e, s in traefik_cg.rows()}
    site = rows[(f"{T}/cmd/traefik.main", f"{PAERSER}/cli.Execute")]
    assert (site.position, site.rule) == ("cmd/traefik/traefik.go:67:19", "static")


def test_static_algo_has_no_dynamic_edges(traefik):
    cg = build_callgraph(traefik, "static")
    assert {d["rule"] for _, _, d in cg.graph.edges(data=True)} == {"static"}


def test_names_by_suffix_and_ambiguity(traefik_cg):
    assert find_function(traefik_cg, "cli.Execute") == f"{PAERSER}/cli.Execute"
    assert find_function(traefik_cg, "main") == f"{T}/cmd/traefik.main"
    with pytest.raises(AmbiguousNameError) as error:
        find_function(traefik_cg, "runCmd")
    assert error.value.candidates == [f"{T}/cmd/healthcheck.runCmd", f"{T}/cmd/traefik.runCmd"]


def test_reachable_respects_depth(traefik_cg):
    sub = reachable(traefik_cg, [f"{T}/cmd/traefik.main"], depth=1)
    assert f"{PAERSER}/cli.execute" not in sub and f"{PAERSER}/cli.Execute" in sub


def test_unresolved_imports_still_give_named_external_edges():
    program = load_fixture("odd/unresolved")
    cg = build_callgraph(program)
    externals = {n for n, d in cg.graph.nodes(data=True) if d["kind"] == "external"}
    assert externals and all("." in n for n in externals)


def test_graph_is_built_on_demand_with_the_same_nodes_edges_and_sites():
    program = load_fixture("traefik-2.5.2")
    cg = build_callgraph(program)
    rows = cg.rows()
    names = cg.node_names()
    main = "github.com/traefik/traefik/v2/cmd/traefik.main"
    assert main in cg
    graph = cg.graph  # networkx from here on
    assert list(graph.nodes) == names and cg.rows() == rows
    assert graph.nodes[main]["kind"] == "func" and graph.nodes[main]["position"] == "cmd/traefik/traefik.go:38:1"
    assert sum(len(data["sites"]) for _, _, data in graph.edges(data=True)) == len(rows)


def test_tsv_output_does_not_import_networkx():
    # networkx costs a tenth of a cold run; writing TSV never needs it.
    import subprocess
    import sys

    from conftest import TRAEFIK

    code = ("import sys; from goanalyzer.cli.main import main; "
            f"main(['callgraph', {str(TRAEFIK)!r}, '--goroot', 'none', '--no-cache', '-q', '-o', '/dev/null']); "
            "print('networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-1] == "False"


def test_a_func_through_an_interface_reaches_the_type_switch_case_of_its_signature(tmp_path):
    from conftest import write_module

    module = write_module(tmp_path / "m", {"main.go": """package main

type Command struct {
	Action interface{}
}

func handle(action interface{}) {
	switch a := action.(type) {
	case func() error:
		_ = a()
	case func(int):
		a(1)
	}
}

func run(c Command) { handle(c.Action) }

func hello() error { return nil }

func count(n int) {}

func main() {
	run(Command{Action: hello})
	run(Command{Action: count})
	handle(func() error { return nil })
}
"""})
    cg = build_callgraph(goanalyzer.load(module, goroot="none", use_cache=False))
    dynamic = sorted((c, e, s.position) for c, e, s in cg.rows() if s.rule == "funcvalue")
    assert dynamic == [("example.com/m.handle", "example.com/m.count", "main.go:12:4"),
                       ("example.com/m.handle", "example.com/m.hello", "main.go:10:8"),
                       ("example.com/m.handle", "example.com/m.main$1", "main.go:10:8")]


def test_a_func_returned_among_several_results_reaches_its_call(tmp_path):
    # gofmt: `file, sourceAdj, indentAdj, err := parse(...)`, sourceAdj a named result set to a
    # closure, then passed to format, which calls it
    from conftest import write_module

    module = write_module(tmp_path / "m", {"main.go": """package main

func parse(fragment bool) (n int, adjust func(int) int, err error) {
	if fragment {
		adjust = func(x int) int { return x + 1 }
	}
	return
}

func pair() (int, func()) { return 0, hello }

func hello() {}

func format(adjust func(int) int) int { return adjust(1) }

func main() {
	_, adjust, _ := parse(true)
	format(adjust)
	var f func()
	_, f = pair()
	f()
}
"""})
    cg = build_callgraph(goanalyzer.load(module, goroot="none", use_cache=False))
    dynamic = sorted((c, e, s.position) for c, e, s in cg.rows() if s.rule == "funcvalue")
    assert dynamic == [("example.com/m.format", "example.com/m.parse$1", "main.go:14:54"),
                       ("example.com/m.main", "example.com/m.hello", "main.go:21:3")]


def test_conversions_are_never_calls(tmp_path):
    # unsafe is never loaded: `unsafe.Pointer(p)` must not pass for an unloaded package's function,
    # nor `unsafe.Sizeof` (a builtin); conversions to local, package and composite types give no edge
    from conftest import write_module

    module = write_module(tmp_path / "m", {"main.go": """package main

import "unsafe"

type Celsius float64

func (c Celsius) String() string { return "C" }

func use(p unsafe.Pointer, n uintptr) {}

func main() {
	x := 1
	p := unsafe.Pointer(&x)
	type local int
	_ = local(2)
	_ = Celsius(3).String()
	_ = (*int)(unsafe.Pointer(p))
	_ = []byte("x")
	use(p, unsafe.Sizeof(x)+unsafe.Alignof(x))
}
"""})
    for algo in ("static", "full"):
        cg = build_callgraph(goanalyzer.load(module, goroot="none", use_cache=False), algo)
        assert [(c, e, s.position) for c, e, s in cg.rows() if s.path] == [  # init edges have no position
            ("example.com/m.main", "(example.com/m.Celsius).String", "main.go:16:23"),
            ("example.com/m.main", "example.com/m.use", "main.go:19:5")]
