"""Huge generated code (issue 17): time stays linear in calls, and the views summarise a body no
reader (and no Graphviz) could take. Timings are in bench/hostile.py, not here."""

from conftest import write_module

import goanalyzer
from goanalyzer.analysis.startup import KEPT_STEPS, startup_flow
from goanalyzer.analysis.startup_model import StepKind
from goanalyzer.render.dot import TOOLTIP_SITES, render_callgraph_dot


def _many_calls(tmp_path, calls: int, callees: int = 100):
    body = "\n".join(f"\tf{i % callees}()" for i in range(calls))
    funcs = "\n".join(f"func f{i}() {{}}" for i in range(callees))
    return write_module(tmp_path / "big", {"main.go": f"package main\n\nfunc main() {{\n{body}\n}}\n\n{funcs}\n"},
                        module="example.com/big")


def test_every_site_of_a_function_with_twenty_thousand_calls_is_kept(tmp_path):
    program = goanalyzer.load(_many_calls(tmp_path, 20_000), goroot="none", use_cache=False)
    graph = goanalyzer.build_callgraph(program, "static")
    rows = graph.rows()
    assert len(rows) == 20_000 and len({callee for _, callee, _ in rows}) == 100
    assert [site.line for _, callee, site in rows if callee == "example.com/big.f7"] == \
        [4 + i for i in range(7, 20_000, 100)]


def test_the_flow_of_a_huge_body_keeps_its_first_steps_and_says_how_many_are_left_out(tmp_path):
    program = goanalyzer.load(_many_calls(tmp_path, 1_000), goroot="none", use_cache=False)
    flow = startup_flow(program, goanalyzer.build_callgraph(program, "static"))
    assert [s.callee for s in flow.steps[:3]] == ["example.com/big.f0", "example.com/big.f1", "example.com/big.f2"]
    assert len(flow.steps) == KEPT_STEPS + 1
    more = flow.steps[-1]
    assert (more.kind, more.callee, more.line) == (StepKind.MORE, "… and 950 more steps (a generated body?)", 4 + 50)


def test_a_body_under_the_limit_is_whole(tmp_path):
    program = goanalyzer.load(_many_calls(tmp_path, 150), goroot="none", use_cache=False)
    flow = startup_flow(program, goanalyzer.build_callgraph(program, "static"))
    assert len(flow.steps) == 150 and all(s.kind is StepKind.CALL for s in flow.steps)


def test_a_declaration_nested_too_deeply_loses_only_itself(tmp_path):
    deep = "(" * 5000 + "1" + ")" * 5000
    module = write_module(tmp_path / "m", {
        "a.go": f"package m\n\nfunc A() {{ B() }}\n\nfunc Deep() int {{\n\tx := {deep}\n\treturn x\n}}\n\n"
                "func B() { C() }\n\nfunc C() {}\n",
        "t.go": "package m\n\ntype T " + "[]" * 1000 + "int\n\nfunc D() { C() }\n"})
    for bodies in ("roots", "none"):
        program = goanalyzer.load(module, goroot="none", use_cache=False, bodies=bodies)
        assert {"example.com/m.A", "example.com/m.B", "example.com/m.C", "example.com/m.D",
                "example.com/m.Deep"} <= set(program.funcs)
        assert ("example.com/m", "T") not in program.types
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    edges = [(a, b) for a, b, _ in goanalyzer.build_callgraph(program, "static").rows()]
    assert edges == [("example.com/m.A", "example.com/m.B"), ("example.com/m.B", "example.com/m.C"),
                     ("example.com/m.D", "example.com/m.C")]
    assert sorted((d.message, d.line) for d in program.diagnostics) == [
        ("declaration nested too deeply to read; left out", 3),
        ("nested more than 200 deep (line 6): cut there, calls below the cut left out", 6)]


def _deep_statement(kind: str) -> str:
    return {"parens": "_ = " + "(" * 5000 + "h()" + ")" * 5000,
            "sum": "_ = " + " + ".join(["h()"] * 100_000),
            "calls": "_ = " + "g(" * 600 + "h()" + ")" * 600,
            "else-ifs": "if a == 0 { h() }" + "".join(f" else if a == {i} {{ h() }}" for i in range(1, 600)),
            "func literals": "_ = " + "func() int { return " * 400 + "1" + " }()" * 400,
            "blocks": "{" * 300 + " h() " + "}" * 300}[kind]


def test_an_expression_nested_too_deeply_is_cut_and_the_rest_of_its_function_kept(tmp_path):
    for kind in ("parens", "sum", "calls", "else-ifs", "func literals", "blocks"):
        module = write_module(tmp_path / kind.replace(" ", "-"), {"main.go": (
            "package main\n\nfunc g(x int) int { return x }\nfunc h() int { return 0 }\nfunc k() {}\n\n"
            f"func main() {{\n\ta := 1\n\t_ = a\n\tk()\n\t{_deep_statement(kind)}\n\tk()\n}}\n")},
            module="example.com/d")
        program = goanalyzer.load(module, goroot="none", use_cache=False)
        graph = goanalyzer.build_callgraph(program, "full")
        lines = [site.line for caller, callee, site in graph.rows() if callee == "example.com/d.k"]
        assert lines == [10, 12], kind
        assert [(d.message, d.line) for d in program.diagnostics] == [
            ("nested more than 200 deep (line 11): cut there, calls below the cut left out", 11)], kind
        flow = startup_flow(program, graph)  # every later walk takes what the extractor lets through
        assert [s.callee for s in flow.steps][:1] == ["example.com/d.k"], kind


def test_a_main_whose_body_cannot_be_read_still_has_a_flow(tmp_path):
    deep = "[]" * 5000 + "int"
    module = write_module(tmp_path / "m", {"main.go": f"package main\n\nfunc main() {{\n\tvar x {deep}\n\t_ = x\n}}\n"},
                          module="example.com/d")
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    flow = startup_flow(program, goanalyzer.build_callgraph(program, "static"))
    assert [(s.kind, s.callee) for s in flow.steps] == [(StepKind.MORE, "(its body could not be read)")]


def test_nothing_after_an_unterminated_comment_is_listed(tmp_path):
    module = write_module(tmp_path / "m", {"c.go": 'package m\n\nvar s = "/* not a comment"\n\nfunc E() {}\n\n'
                                                   "/* unterminated\nfunc Hidden() {}\n"})
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert sorted(program.funcs) == ["example.com/m.E"]
    assert [(d.message, d.line) for d in program.diagnostics] == [
        ("comment not terminated (from line 7): the rest of the file is that comment, as go reads it", 7)]


def test_a_generated_call_chain_is_followed_sixty_calls_down(tmp_path):
    chain = "\n".join(f"func f{i}() {{ f{i + 1}() }}" for i in range(2000))
    module = write_module(tmp_path / "m", {"main.go": f"package main\n\nfunc main() {{ f0() }}\n\n{chain}\nfunc f2000() {{}}\n"},
                          module="example.com/c")
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    step, depth = startup_flow(program, goanalyzer.build_callgraph(program, "static")).steps[0], 0
    while step.kind is StepKind.CALL:
        step, depth = step.steps[0], depth + 1
    # main, then f0 ... f59 expanded: f60 is shown, its body is the step saying what is left out
    assert (depth, step.kind, step.callee) == (61, StepKind.MORE, "… calls deeper than 60 left out")


def test_an_edge_called_from_thousands_of_sites_lists_twenty_in_its_tooltip(tmp_path):
    program = goanalyzer.load(_many_calls(tmp_path, 2_000, callees=1), goroot="none", use_cache=False)
    dot = render_callgraph_dot(goanalyzer.build_callgraph(program, "static"))
    edge = next(line for line in dot.splitlines() if " -> " in line)
    tip = edge.split('tooltip="', 1)[1]
    assert tip.startswith("example.com/big.main -> example.com/big.f0 (static)\\nmain.go:4:4\\nmain.go:5:4\\n")  # x/tools places a call at its paren
    assert tip.count("main.go:") == TOOLTIP_SITES
    assert tip.endswith(f'main.go:{3 + TOOLTIP_SITES}:4\\n… and 1980 more call sites"];')
