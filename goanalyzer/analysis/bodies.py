"""The function bodies a program has (declared functions and closures), and their statements in
source order: what the startup flow and the command analysis read besides the call graph."""

from __future__ import annotations

from typing import Any

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.program import Program


def function_bodies(program: Program, cg: CallGraph) -> dict[str, tuple[Any, Any, int]]:
    """x/tools name -> (body IR, file facts, line) for every function and closure with a body."""
    out: dict[str, tuple[Any, Any, int]] = {}
    for info in program.funcs.values():
        if info.decl.body is not None:
            out[info.name] = (info.decl.body, info.file, info.decl.line)
    if cg.sites is not None:
        for name, closure in cg.sites.closures.items():
            if closure.lit.body is not None:
                out[name] = (closure.lit.body, closure.file, closure.lit.line)
    return out


def statements(s: Any):
    """`s` and every statement nested in it, in source order (func literals are bodies of their own)."""
    if s is None:
        return
    yield s
    tag = s[0]
    if tag in ("block", "decls"):
        children = s[1]
    elif tag == "if":
        children = [s[1], s[3], s[4]]
    elif tag == "for":
        children = [s[1], s[3], s[4]]
    elif tag == "range":
        children = [s[4]]
    elif tag == "switch":
        children = [s[1], *(b for _values, body, _default in s[3] for b in body)]
    elif tag == "typeswitch":
        children = [s[1], *(b for _types, body, _default in s[4] for b in body)]
    elif tag == "select":
        children = [x for comm, body in s[1] for x in (comm, *body)]
    elif tag == "labeled":
        children = [s[2]]
    else:
        children = []
    for child in children:
        yield from statements(child)
