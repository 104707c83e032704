"""Patterns found missing on containerd v1.6.20 (bench/rta.py, bench/run.py): each program is small,
and its edges are those x/tools' `callgraph -algo=rta` (or `-algo=static`) prints for the same
sources (Go 1.19, x/tools 0.5.0)."""

import pytest
from conftest import write_module

import goanalyzer
from goanalyzer.analysis.callgraph import Algo, build_callgraph
from goanalyzer.analysis.rta import rapid_type_analysis


def rta_edges(tmp_path, files: dict[str, str], module: str) -> set[tuple[str, str, str]]:
    program = goanalyzer.load(write_module(tmp_path, files, module), goroot="none", use_cache=False)
    return {(caller, callee, data["rule"]) for caller, callee, data in rapid_type_analysis(program).graph.edges()}


ALIASED_METHODS = {
    "iface/iface.go": """package iface

type Methods = struct {
	Flags uint8
	Merge func(MergeInput) MergeOutput
}

type MergeInput = struct {
	Source int
}

type MergeOutput = struct {
	Flags uint8
}
""",
    "impl/impl.go": """package impl

import piface "example.com/p/iface"

var Aberrant = &piface.Methods{
	Merge: legacyMerge,
}

func legacyMerge(in piface.MergeInput) piface.MergeOutput {
	return piface.MergeOutput{}
}
""",
    "main.go": """package main

import (
	"example.com/p/iface"
	"example.com/p/impl"
)

func get() *iface.Methods { return impl.Aberrant }

func main() {
	methods := get()
	if methods != nil && methods.Merge != nil {
		in := iface.MergeInput{Source: 1}
		out := methods.Merge(in)
		_ = out
	}
}
""",
}


def test_a_func_field_of_an_aliased_struct_is_a_func_value_call(tmp_path):
    # protobuf's `protoMethods(m).Merge(in)`: protoiface.Methods is an alias of a struct literal type
    p = "example.com/p"
    assert rta_edges(tmp_path, ALIASED_METHODS, p) == {
        (f"{p}.init", f"{p}/iface.init", "static"),
        (f"{p}.init", f"{p}/impl.init", "static"),
        (f"{p}/impl.init", f"{p}/iface.init", "static"),
        (f"{p}.main", f"{p}.get", "static"),
        (f"{p}.main", f"{p}/impl.legacyMerge", "funcvalue"),
    }


MULTI_VALUE = """package main

type Closer interface{ Close() error }

type tcp struct{}

func (*tcp) Close() error { return nil }

type udp struct{}

func (*udp) Close() error { return nil }

func listen() (*tcp, error) { return &tcp{}, nil }

func main() {
	var l Closer
	var err error
	l, err = listen()
	_ = err
	l.Close()
	u := &udp{}
	_ = u
}
"""


def test_each_result_of_a_multi_value_assignment_converts_to_its_variable(tmp_path):
    # net's `l, err = sl.listenTCP(ctx, la)` with `var l Listener`; *udp is never converted
    q = "example.com/q"
    assert rta_edges(tmp_path, {"main.go": MULTI_VALUE}, q) == {
        (f"{q}.main", f"{q}.listen", "static"),
        (f"{q}.main", f"(*{q}.tcp).Close", "interface"),
    }


INDEXED_CALL = """package main

type Shape interface{ Area() int }

type square struct{}

func (square) Area() int { return 4 }

type circle struct{}

func (circle) Area() int { return 3 }

var pick = make([]func(int) Shape, 2)

func init() {
	pick[0] = func(int) Shape { return square{} }
	pick[1] = func(int) Shape { return circle{} }
}

func main() {
	id := 1
	s := pick[id](id)
	s.Area()
}
"""


def test_a_call_of_an_indexed_func_the_parser_takes_for_a_conversion(tmp_path):
    # promhttp's `pickDelegator[id](d)`: tree-sitter sees a conversion to the generic type pick[id]
    t = "example.com/t"
    want = {
        (f"{t}.init", f"{t}.init#1", "static"),
        (f"{t}.main", f"({t}.circle).Area", "interface"),
        (f"{t}.main", f"({t}.square).Area", "interface"),
        (f"{t}.main", f"{t}.init#1$1", "funcvalue"),
        (f"{t}.main", f"{t}.init#1$2", "funcvalue"),
    }
    assert rta_edges(tmp_path, {"main.go": INDEXED_CALL}, t) == want
    program = goanalyzer.load(tmp_path, goroot="none", use_cache=False)
    static = {(caller, callee) for caller, callee, _ in build_callgraph(program, Algo.STATIC).edges()}
    assert static == {(f"{t}.init", f"{t}.init#1")}  # x/tools' static graph has no dynamic call either


DOTTED_PACKAGE = {
    "lib.v2/lib.go": """package lib

var table = build()

func build() map[string]int { return map[string]int{"a": 1} }

func init() { register() }

func register() {}

func Get(k string) int { return table[k] }
""",
    "main.go": """package main

import lib "example.com/d/lib.v2"

func main() { lib.Get("a") }
""",
}


def test_the_initialiser_of_a_package_whose_last_element_has_a_dot(tmp_path):
    # gopkg.in/yaml.v2, go.opentelemetry.io/otel/semconv/v1.7.0: `lib.v2.init` is init of lib.v2
    d = "example.com/d"
    assert rta_edges(tmp_path, DOTTED_PACKAGE, d) == {
        (f"{d}.init", f"{d}/lib.v2.init", "static"),
        (f"{d}.main", f"{d}/lib.v2.Get", "static"),
        (f"{d}/lib.v2.init", f"{d}/lib.v2.build", "static"),
        (f"{d}/lib.v2.init", f"{d}/lib.v2.init#1", "static"),
        (f"{d}/lib.v2.init#1", f"{d}/lib.v2.register", "static"),
    }


TYPED_CONSTANT = """package main

type Duration int64

const Minute Duration = 60

func (d Duration) Seconds() float64 { return float64(d) }

const cacheTTL = 1 * Minute

func main() {
	_ = cacheTTL.Seconds()
	_ = (2 * Minute).Seconds()
}
"""


def test_an_untyped_constant_times_a_typed_one_has_the_typed_one_s_type(tmp_path):
    # cri/streaming's `cacheTTL = 1 * time.Minute`, then `cacheTTL.Seconds()`: a static call
    program = goanalyzer.load(write_module(tmp_path, {"main.go": TYPED_CONSTANT}, "example.com/w"),
                              goroot="none", use_cache=False)
    rows = build_callgraph(program, Algo.STATIC).rows()
    assert [(caller, callee, site.position) for caller, callee, site in rows if caller == "example.com/w.main"] == [
        ("example.com/w.main", "(example.com/w.Duration).Seconds", "main.go:12:22"),
        ("example.com/w.main", "(example.com/w.Duration).Seconds", "main.go:13:26"),
    ]


EMBEDDING_TYPES = """package main

type Reader interface{ Read(p []byte) (int, error) }

type Closer interface{ Close() error }

type ReadCloser interface {
	Reader
	Closer
}

type empty struct{}

func (empty) Read(p []byte) (int, error) { return 0, nil }

type closer struct{}

func (c *closer) Close() error { return nil }

type writer struct{}

func (*writer) Write(p []byte) (int, error) { return len(p), nil }
func (*writer) Close() error                { return nil }

type file struct{}

func (*file) Read(p []byte) (int, error) { return 0, nil }
func (*file) Close() error               { return nil }

type body struct {
	Reader
	Closer
}

type inner struct{ Closer }

type outer struct {
	Reader
	inner
}

type nop struct{ Closer }

func use(rc ReadCloser) { rc.Close() }
"""

EMBEDDING_MAINS = {
    "an unnamed struct": """
func main() {
	var c Closer = &closer{}
	var w interface{ Close() error } = &writer{}
	_, _ = c, w
	use(struct {
		Reader
		Closer
	}{empty{}, c})
}
""",
    "a named struct": """
func main() {
	var c Closer = &closer{}
	var w interface{ Close() error } = &writer{}
	_, _ = c, w
	use(body{empty{}, c})
}
""",
    "a pointer to an unnamed struct embedding a pointer": """
func main() {
	var c Closer = &closer{}
	var w interface{ Close() error } = &writer{}
	_, _ = c, w
	use(&struct {
		Reader
		*inner
	}{empty{}, &inner{c}})
}
""",
    "two levels deep": """
func main() {
	var c Closer = &closer{}
	var w interface{ Close() error } = &writer{}
	_, _ = c, w
	use(outer{empty{}, inner{c}})
}
""",
    "an embedded interface that embeds the method's": """
func main() {
	var c Closer = &closer{}
	var w interface{ Close() error } = &writer{}
	var f ReadCloser = &file{}
	_, _, _ = c, w, f
	use(struct{ ReadCloser }{f})
}
""",
    "a wrapper reaching another wrapper": """
func main() {
	var c Closer = nop{&closer{}}
	var w interface{ Close() error } = &writer{}
	_, _ = c, w
	use(struct {
		Reader
		Closer
	}{empty{}, c})
}
""",
    "an unnamed struct embedding concrete types": """
func main() {
	use(struct {
		empty
		*closer
	}{empty{}, &closer{}})
	var w interface{ Close() error } = &writer{}
	_ = w
}
""",
}
"""The `main` of each variant, after EMBEDDING_TYPES."""

PROMOTED_FROM_AN_EMBEDDED_INTERFACE = EMBEDDING_TYPES + EMBEDDING_MAINS["an unnamed struct"]


def test_a_method_promoted_from_an_embedded_interface_reaches_every_implementation_of_it(tmp_path):
    # containerd: net/http's `struct{ io.Reader; io.Closer }` body makes every io.ReadCloser.Close
    # (and content.ReaderAt.Close) reach every runtime Close: 4,077 of the 4,935 missed edges
    v = "example.com/v"
    assert rta_edges(tmp_path, {"main.go": PROMOTED_FROM_AN_EMBEDDED_INTERFACE}, v) == {
        (f"{v}.main", f"{v}.use", "static"),
        (f"{v}.use", f"(*{v}.closer).Close", "interface"),
        (f"{v}.use", f"(*{v}.writer).Close", "interface"),
    }



EVERY_CLOSE = {("main", "use"), ("use", "(*{}.closer).Close"), ("use", "(*{}.writer).Close")}
"""Edges as (caller, callee) in package {} (`use` stands for `{}.use`)."""


@pytest.mark.parametrize("variant, want", [
    ("a named struct", EVERY_CLOSE),
    ("a pointer to an unnamed struct embedding a pointer", EVERY_CLOSE),
    ("two levels deep", EVERY_CLOSE),
    # the wrapper calls ReadCloser.Close: *writer, a runtime type with Close but no Read, is not reached
    ("an embedded interface that embeds the method's", {("main", "use"), ("use", "(*{}.file).Close")}),
    ("a wrapper reaching another wrapper", EVERY_CLOSE),
    # the wrapper calls (*closer).Close itself: *writer's Close is not reached
    ("an unnamed struct embedding concrete types", {("main", "use"), ("use", "(*{}.closer).Close")}),
])
def test_the_embedded_interface_a_method_is_promoted_from(tmp_path, variant, want):
    u = "example.com/u"
    source = EMBEDDING_TYPES + EMBEDDING_MAINS[variant]
    got = {(caller, callee) for caller, callee, _ in rta_edges(tmp_path, {"main.go": source}, u)}
    assert got == {(f"{u}.{caller}", callee.format(u) if "{}" in callee else f"{u}.{callee}")
                   for caller, callee in want}


EMBEDDED_ERROR = """package main

type plain struct{}

func (*plain) Error() string { return "plain" }

type other struct{}

func (other) Error() string { return "other" }

type coded interface {
	error
	Code() int
}

type withCode struct{ error }

func (withCode) Code() int { return 1 }

func describe(c coded) string { return c.Error() }

func main() {
	var e error = &plain{}
	var o interface{ Error() string } = other{}
	_ = o
	describe(withCode{e})
}
"""


def test_a_struct_embedding_error_makes_every_error_method_reachable_from_each_error_call(tmp_path):
    # only withCode implements coded: the call reaches the others' Error through its wrapper
    e = "example.com/e"
    assert rta_edges(tmp_path, {"main.go": EMBEDDED_ERROR}, e) == {
        (f"{e}.main", f"{e}.describe", "static"),
        (f"{e}.describe", f"(*{e}.plain).Error", "interface"),
        (f"{e}.describe", f"({e}.other).Error", "interface"),
    }


INTERFACE_LITERAL = """package main

type Reader interface{ Read() int }

type Closer interface{ Close() error }

type file struct{}

func (*file) Read() int     { return 0 }
func (*file) Close() error { return nil }

type pipe struct{}

func (pipe) Close() error { return nil }

type writer struct {
	store interface {
		Reader
		Closer
	}
}

func (w *writer) copy() {
	w.store.Read()
	w.store.Close()
}

func main() {
	w := &writer{store: &file{}}
	w.copy()
	var c Closer = pipe{}
	_ = c
}
"""


@pytest.mark.parametrize("algo", ["rta", "full"])
def test_an_interface_literal_has_the_methods_of_the_interfaces_it_embeds(tmp_path, algo):
    # containerd's namespacedWriter: a field `interface{ content.Provider; content.Ingester }`
    # (141 missed edges); pipe has Close but no Read: it does not implement the literal
    i = "example.com/ilit"
    program = goanalyzer.load(write_module(tmp_path, {"main.go": INTERFACE_LITERAL}, i), goroot="none", use_cache=False)
    graph = rapid_type_analysis(program).graph if algo == "rta" else build_callgraph(program, Algo.FULL)
    assert {(caller, callee, data["rule"]) for caller, callee, data in graph.edges()} == {
        (f"{i}.main", f"(*{i}.writer).copy", "static"),
        (f"(*{i}.writer).copy", f"(*{i}.file).Read", "interface"),
        (f"(*{i}.writer).copy", f"(*{i}.file).Close", "interface")}


ZERO_THEN_SET = """package main

type file struct{}

func (*file) Close() error { return nil }

func same() error { return nil }

func main() {
	var closer func() error
	if f := (&file{}); f != nil {
		closer = f.Close
	}
	if closer != nil {
		closer()
	}
	var direct func() error
	direct = same
	direct()
}
"""


def test_a_func_local_declared_without_a_value_and_set_in_an_inner_block_is_called_dynamically(tmp_path):
    # diff.NewBinaryProcessor's `closer`: SSA merges its zero value with the one set in the `if`, so
    # `closer()` has no static callee (70 missed edges); `direct`, set in its own block, keeps one
    z = "example.com/z"
    program = goanalyzer.load(write_module(tmp_path, {"main.go": ZERO_THEN_SET}, z), goroot="none", use_cache=False)
    assert {(caller, callee) for caller, callee, _ in rapid_type_analysis(program).graph.edges()} == {
        (f"{z}.main", f"(*{z}.file).Close"), (f"{z}.main", f"{z}.same")}
    assert [(caller, callee) for caller, callee, _ in build_callgraph(program, Algo.STATIC).edges()] == [
        (f"{z}.main", f"{z}.same")]
