"""The pipeline a view is drawn from: call graph, commands, startup flow and its summary.

`analyse()` runs the analyses in order, following the command framework into its module when the
caller can reload the program with those bodies (`goanalyzer.with_bodies`). Views render the
`Analysis` they are given; they never compute.
"""

from __future__ import annotations

__all__ = ["Analysis", "analyse", "callgraph_view"]

from dataclasses import dataclass, field

from goanalyzer.analysis.callgraph import CallGraph, build_callgraph
from goanalyzer.analysis.commands import find_commands
from goanalyzer.analysis.commands_model import CommandSet
from goanalyzer.analysis.queries import filter_graph, reachable
from goanalyzer.analysis.startup import outline_flow, startup_flow
from goanalyzer.analysis.startup_model import FlowSummary, StartupFlow
from goanalyzer.errors import NotFoundError
from goanalyzer.program import Program


@dataclass
class Analysis:
    """Everything a walkthrough is drawn from."""

    program: Program
    cg: CallGraph
    commands: CommandSet | None
    flow: StartupFlow | None
    entry: str | None
    """x/tools name of the entry function, None for a library."""
    notes: list[str] = field(default_factory=list)
    """Why a part is missing (one line each)."""
    summary: FlowSummary | None = None
    """The flow cut into parts and pages (`analyse` computes it; None without a flow)."""


def definitions(cg: CallGraph) -> dict[str, tuple[str, int]]:
    """x/tools name -> (display path, line) of each function with a position in the call graph."""
    out = {}
    for name, data in cg.graph.nodes(data=True):
        path, _, rest = (data.get("position") or "").rpartition(":")
        path, _, line = path.rpartition(":")
        if path and line.isdigit():
            out[name] = (path, int(line))
    return out


def _has_main(program: Program) -> bool:
    return any(p.name == "main" for p in program.root_packages())


def framework_packages(program: Program, commands: CommandSet | None) -> tuple[str, ...]:
    """Dependency packages declaring the command struct types: the flow follows calls into them."""
    if commands is None:
        return ()
    out = []
    for qualified in commands.struct_types:
        package = qualified.rsplit(".", 1)[0]
        info = program.packages.get(package)
        if info is not None and not info.is_root and not info.is_std:
            out.append(package)
    return tuple(sorted(set(out)))


def analyse(program: Program, *, entry: str = "main", depth: int | None = None, into: tuple[str, ...] = (),
            cg: CallGraph | None = None, reload=None) -> Analysis:
    """Run the analyses. `reload(into=...)`, when given, returns the program with the bodies of the
    command framework's packages read too (`goanalyzer.with_bodies`), so the flow can follow
    `cli.Execute` into them."""
    cg = cg or build_callgraph(program, "full")
    notes: list[str] = []
    commands = find_commands(program, cg)
    extra = tuple(p for p in framework_packages(program, commands) if not any(p.startswith(i) for i in into))
    if extra and reload is not None:
        into = tuple(sorted({*into, *extra}))
        program = reload(into=into)
        cg = build_callgraph(program, "full")
        commands = find_commands(program, cg)
    elif extra:
        into = tuple(sorted({*into, *extra}))
    if commands is not None and not commands.commands:
        commands = None
    flow = None
    entry_name = None
    try:
        flow = outline_flow(startup_flow(program, cg, entry=entry, depth=depth, into=into))
        entry_name = flow.entry
    except NotFoundError:
        if entry != "main" or _has_main(program):
            raise
        notes.append("no `main` function: this tree is a library, so the walkthrough shows its packages "
                     "and call graph")
    summary = flow.summary(defined=definitions(cg)) if flow is not None else None
    return Analysis(program, cg, commands, flow, entry_name, notes, summary)



def callgraph_view(analysis: Analysis) -> CallGraph:
    """The part of the call graph a reader wants: from the entry when there is one, the module's
    own packages (and those followed with --into), no standard library."""
    cg = analysis.cg
    if analysis.entry and analysis.entry in cg.graph:
        cg = reachable(cg, [analysis.entry])
    include = [p.path for p in analysis.program.root_packages()]
    if analysis.flow is not None:
        include += list(analysis.flow.into)
    return filter_graph(cg, no_std=True, include=include, keep=[analysis.entry] if analysis.entry else [])


