"""The initialisation phase of a startup flow: what runs before main's first statement.

Go runs every imported package's initialisation first (depth first, in import order), each
package's var initialisers, then its `func init`s (`P.init#1..N`); then the main package's own.
The flow shows that phase as one folded step, the main package's synthetic `P.init`, labelled
"package initialisation", whose steps are, in run order, the initialisers that do more than set
standard-library values: those whose flow calls a function outside the standard library or
builds a value of the program's own types (an `init#1` calling cobra's `AddCommand`, a
`var root = newRoot()`). Only packages whose bodies were read can show; an initialiser that only
calls `flag.String` or `errors.New` is left out.
"""

from __future__ import annotations

__all__ = ["init_phase"]

from typing import Any, Protocol

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.analysis.startup_model import Step, StepKind
from goanalyzer.naming import init_name, package_of
from goanalyzer.program import Program
from goanalyzer.resolve.initorder import init_run_order, package_inits


class FlowWalker(Protocol):
    def function(self, name: str, stack: list[str]) -> list[Step]: ...

    def values(self, name: str, package: str) -> list[Step]: ...


def init_phase(program: Program, cg: CallGraph, walker: FlowWalker, entry: str) -> Step | None:
    """The folded "package initialisation" step for `entry` (a main package's `main`), or None
    when the entry is no such `main` or no initialiser does more than set standard values."""
    package = package_of(entry)
    info = program.packages.get(package)
    if info is None or info.name != "main" or entry != f"{package}.main":
        return None
    steps: list[Step] = []
    for path in init_run_order(program, package):
        if path == package:
            continue
        steps.extend(_package_steps(program, cg, walker, path, as_child=True))
    steps.extend(_package_steps(program, cg, walker, package, as_child=False))
    if not steps:
        return None
    decl = program.funcs[entry].decl
    return Step(StepKind.CALL, init_name(package), entry, program.display_path(program.funcs[entry].file.path),
                decl.line, decl.col, steps=steps)


def _package_steps(program: Program, cg: CallGraph, walker: FlowWalker, path: str, *, as_child: bool) -> list[Step]:
    """One package's initialisers worth showing: its var initialisers (as one `P.init` step for an
    imported package, inline for the main package) and its `init#N`s."""
    info = program.packages.get(path)
    if info is None or info.is_std or not any(f.with_bodies for f in info.files):
        return []
    synthetic = init_name(path)
    out: list[Step] = []
    values = walker.values(synthetic, path)
    if _does_more(program, cg, values):
        if as_child:
            out.append(_call(program, synthetic, synthetic, values, line=0, path=""))
        else:
            out.extend(values)
    for name in package_inits(program, path):
        steps = walker.function(name, [name])
        if _does_more(program, cg, steps):
            func = program.funcs[name]
            out.append(_call(program, name, synthetic, steps, line=func.decl.line, col=func.decl.col,
                             path=program.display_path(func.file.path)))
    return out


def _call(program: Program, callee: str, caller: str, steps: list[Step], *, line: int, path: str,
          col: int = 0) -> Step:
    if not path and steps:  # var initialisers: where the first one is
        path, line, col = steps[0].path, steps[0].line, steps[0].col
    return Step(StepKind.CALL, callee, caller, path, line, col, steps=steps)


def _does_more(program: Program, cg: CallGraph, steps: list[Step]) -> bool:
    """A build of the program's own types, or a call outside the standard library, anywhere inside."""
    for top in steps:
        for step in top.walk():
            if step.kind is StepKind.BUILD:
                return True
            if step.kind in (StepKind.CALL, StepKind.GO, StepKind.DEFER) and not _is_std(program, cg, step.callee):
                return True
    return False


def _is_std(program: Program, cg: CallGraph, name: str) -> bool:
    node: dict[str, Any] = cg.graph.nodes.get(name, {})
    return bool(node["std"]) if "std" in node else program.is_std(package_of(name))
