from goanalyzer.model import TypeKind
from goanalyzer.syntax.extract import parse_source

SOURCE = b'''package cli

import (
	"io"
	yaml "gopkg.in/yaml.v2"
	. "strings"
	_ "embed"
)

// Command is a command.
type Command struct {
	// Name of the command.
	Name string `json:"name"`
	Run  func([]string) error // what runs
	*Base
	a, b int
}

// Loader loads.
type Loader interface {
	io.Reader
	Load(args []string, cmd *Command) (bool, error)
}

type Alias = Command

// Execute runs it.
func Execute(cmd *Command) error { return run(cmd) }

func (c *Command) AddCommand(sub *Command) error { return nil }

func (c Command) String() string { return c.Name }

func Map[T, U any](xs []T, f func(T) U) []U { return nil }
'''


def test_declarations_in_order_with_docs_tags_and_receivers():
    facts = parse_source("cli.go", SOURCE)
    assert facts.package == "cli"
    assert [(i.path, i.alias) for i in facts.imports] == [
        ("io", None), ("gopkg.in/yaml.v2", "yaml"), ("strings", "."), ("embed", "_")]
    command = facts.types[0]
    assert (command.name, command.kind, command.doc) == ("Command", TypeKind.STRUCT, "Command is a command.")
    assert [(f.name, f.type_text, f.tag, f.doc, f.embedded) for f in command.fields] == [
        ("Name", "string", 'json:"name"', "Name of the command.", False),
        ("Run", "func([]string) error", "", "what runs", False),
        ("Base", "*Base", "", "", True),
        ("a", "int", "", "", False),
        ("b", "int", "", "", False),
    ]
    loader = facts.types[1]
    assert loader.kind is TypeKind.INTERFACE
    assert [m.name for m in loader.methods] == ["Load"]
    assert loader.embeds == [("qual", "io", "Reader")]
    assert facts.types[2].kind is TypeKind.ALIAS
    funcs = [(f.name, f.receiver.type_name if f.receiver else None, f.receiver.pointer if f.receiver else None,
              f.line) for f in facts.funcs]
    assert funcs == [("Execute", None, None, 28), ("AddCommand", "Command", True, 30),
                     ("String", "Command", False, 32), ("Map", None, None, 34)]
    assert facts.funcs[0].doc == "Execute runs it."
    assert facts.funcs[3].type_params == ["T", "U"]
    assert facts.diagnostics == []


def test_broken_function_keeps_facts_outside_the_broken_region():
    source = b"package p\n\nfunc before() {}\n\nfunc broken() {\n\tif x := ; {\n}\n\nfunc after() int { return 1 }\n"
    facts = parse_source("p.go", source)
    names = [f.name for f in facts.funcs]
    assert "before" in names and "after" in names
    assert facts.diagnostics and facts.diagnostics[0].path == "p.go"
    assert "syntax error" in facts.diagnostics[0].message


def test_bodies_are_only_extracted_when_asked():
    facts = parse_source("cli.go", SOURCE, bodies=False)
    assert facts.funcs[0].body is None and facts.funcs[0].has_body


def test_a_generated_initialiser_too_deep_to_walk_keeps_its_declaration():
    # time/tzdata's zipdata is one string of thousands of `+`: the const stays, its value is dropped.
    from goanalyzer.syntax.extract import parse_source

    source = ("package p\n\nconst zipdata = " + " + ".join(['"x"'] * 5000) + "\n\nfunc F() {}\n").encode()
    for bodies in (False, True):
        facts = parse_source("p.go", source, bodies)
        assert [v.names for v in facts.values] == [["zipdata"]] and facts.values[0].values == [("other",)]
        assert [f.name for f in facts.funcs] == ["F"]
        assert [str(d) for d in facts.diagnostics] == [
            "p.go:3: initialiser of zipdata nested too deeply; its value is not analysed"]


def test_literals_and_slice_bounds_keep_their_text():
    from goanalyzer.syntax.ir import expr_text
    from goanalyzer.syntax.serial import unpack_body

    facts = parse_source("x.go", b"package p\n\nfunc f(args []string) {\n"
                                 b"\tg(args[1:], args[:n(2)], args[1:2:3], args[:], false, true, iota, 'x', 1.5)\n}\n",
                         bodies=True)
    call = unpack_body(facts.funcs[0].body)[1][0][1]
    assert [expr_text(a) for a in call[2]] == ["args[1:]", "args[:n(2)]", "args[1:2:3]", "args[:]",
                                              "false", "true", "iota", "'x'", "1.5"]


def test_calls_in_slice_bounds_are_call_sites(tmp_path):
    from conftest import write_module

    import goanalyzer
    from goanalyzer.analysis.callgraph import build_callgraph

    module = write_module(tmp_path / "m", {"main.go": "package main\n\nfunc low() int { return 1 }\n"
                                                      "func high() int { return 2 }\n\n"
                                                      "func main() {\n\t_ = []int{1, 2, 3}[low():high()]\n}\n"})
    cg = build_callgraph(goanalyzer.load(module, goroot="none", use_cache=False), "static")
    assert [(c, e, s.position) for c, e, s in cg.rows()] == [
        ("example.com/m.main", "example.com/m.high", "main.go:7:31"),  # the "(" of each call, as go/token places it
        ("example.com/m.main", "example.com/m.low", "main.go:7:24"),
    ]
