"""Patterns found missing on oc (OpenShift's client, 6,191 files; bench/README.md): each program
is small, and its edges are those x/tools' `callgraph -algo=static` (or `-algo=rta`) prints for the
same sources (Go 1.19, x/tools 0.5.0)."""

from conftest import write_module

import goanalyzer
from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.analysis.rta import rapid_type_analysis

BUILDER = """package main

type B struct{}

func New() *B { return &B{} }

""" + "".join(f"func (b *B) M{i}() *B {{ return b }}\n" for i in range(1, 10)) + """
func (b *B) Do() error { return nil }

func main() {
	if err := New()""" + ".M1().M2().M3().M4().M5().M6().M7().M8().M9()" * 2 + """.Do(); err != nil {
		println(err.Error())
	}
}
"""


def test_a_builder_chain_of_twenty_calls_is_typed_to_its_end(tmp_path):
    # kubectl's resource.NewBuilder(f).Unstructured()....Flatten().Do(): typing stopped after the
    # sixth call (each link was typed twice), so the rest of the chain and what it returned were lost
    c = "example.com/chain"
    program = goanalyzer.load(write_module(tmp_path, {"main.go": BUILDER}, c), goroot="none", use_cache=False)
    rows = build_callgraph(program, "static").rows()
    assert [(caller, callee, site.position) for caller, callee, site in rows if caller == f"{c}.main"] == [
        (f"{c}.main", f"(*{c}.B).Do", "main.go:20:110"),
        *[(f"{c}.main", f"(*{c}.B).M{i}", f"main.go:20:{col}")
          for i in range(1, 10) for col in (15 + 5 * i, 60 + 5 * i)],
        (f"{c}.main", f"{c}.New", "main.go:20:15")]


LOADERS = """package main

type Loader interface{ Load() error }

type a struct{}

func (*a) Load() error { return nil }

type b struct{}

func (b) Load() error { return nil }

type c struct{}

func (*c) Load() error { return nil }

func run(fns ...func() error) {
	for _, f := range fns {
		_ = f()
	}
}

func main() {
	loaders := []Loader{&a{}, b{}}
	var fns []func() error
	for _, l := range loaders {
		fns = append(fns, l.Load)
	}
	run(fns...)
	var x interface{} = &c{}
	_ = x
}
"""


def test_a_method_value_of_an_interface_called_through_a_func_value_reaches_every_implementation(tmp_path):
    # oc's describe: `loadingFuncs = append(loadingFuncs, loader.Load)`, then parallel.Run calls
    # `fns[i]()`: x/tools' bound thunk invokes Load on every runtime type (*c too: made an interface)
    v = "example.com/imv"
    program = goanalyzer.load(write_module(tmp_path, {"main.go": LOADERS}, v), goroot="none", use_cache=False)
    assert {(caller, callee, data["rule"]) for caller, callee, data in rapid_type_analysis(program).graph.edges()} == {
        (f"{v}.main", f"{v}.run", "static"),
        (f"{v}.run", f"(*{v}.a).Load", "interface"),
        (f"{v}.run", f"({v}.b).Load", "interface"),
        (f"{v}.run", f"(*{v}.c).Load", "interface")}
