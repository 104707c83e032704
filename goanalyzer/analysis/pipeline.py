"""The pipeline a view is drawn from: call graph, commands, startup flow and its summary.

`analyse()` runs the analyses in order, following the command framework into its module when the
caller can reload the program with those bodies (`goanalyzer.with_bodies`). Views render the
`Analysis` they are given; they never compute.
"""

from __future__ import annotations

__all__ = ["Analysis", "analyse", "callgraph_view"]

from dataclasses import dataclass, field
from typing import Iterable

from goanalyzer.analysis.callgraph import CallGraph, build_callgraph
from goanalyzer.analysis.commands import find_commands, helper_packages, within_program
from goanalyzer.analysis.commands_model import CommandSet
from goanalyzer.analysis.entry import EntryChoice, default_entry, program_packages, scope_to_entry
from goanalyzer.analysis.happy_path import HappyPath, SideKind, fold_side_paths, happy_path
from goanalyzer.analysis.queries import filter_graph, reachable
from goanalyzer.analysis.startup import outline_flow, startup_flow
from goanalyzer.analysis.startup_model import MAX_PAGES, FlowSummary, StartupFlow
from goanalyzer.errors import NotFoundError
from goanalyzer.naming import ShortNames, package_of, short_names
from goanalyzer.program import Program


@dataclass
class Analysis:
    """Everything a walkthrough is drawn from."""

    program: Program
    cg: CallGraph
    commands: CommandSet | None
    flow: StartupFlow | None
    """The startup flow as views show it: outlined, its side paths folded unless asked for."""
    entry: str | None
    """x/tools name of the entry function, None for a library."""
    notes: list[str] = field(default_factory=list)
    """Why a part is missing (one line each)."""
    summary: FlowSummary | None = None
    """The flow cut into parts and pages (`analyse` computes it; None without a flow)."""
    happy: HappyPath | None = None
    """The calls that run when nothing fails and the default command runs (None without a flow)."""
    entry_choice: EntryChoice | None = None
    """The default entry `analyse` chose for `entry="main"`, and why (None when one was named)."""
    names: ShortNames = field(default_factory=ShortNames)
    """How views print package names: two packages sharing a last path element get distinct labels."""


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


def follow_framework(program: Program, cg: CallGraph, into: tuple[str, ...] = (), reload=None,
                     algo: str = "full") -> tuple[Program, CallGraph, CommandSet | None, tuple[str, ...]]:
    """The program with the command framework's packages added to `into` (and their bodies read
    through `reload`, when given), so a flow follows `cli.Execute` into them: what `walkthrough`,
    `startup` and `callgraph --from` all do. Returns (program, call graph, commands, into); commands
    is None when the program was reloaded (they are found again on the graph the caller ends with)."""
    commands = find_commands(program, cg)
    wanted = (*framework_packages(program, commands), *helper_packages(program, commands))
    extra = tuple(p for p in wanted if not any(p.startswith(i) for i in into))
    if extra:
        into = tuple(sorted({*into, *extra}))
    if extra and reload is not None:
        program = reload(into=into)
        cg = build_callgraph(program, algo)
        commands = None
    return program, cg, commands, into


def entry_commands(program: Program, cg: CallGraph, commands: CommandSet | None,
                   entry: str) -> tuple[CallGraph, CommandSet]:
    """The call graph and the commands of `entry`'s program: for a main, only the packages it
    imports. `commands`, found on `cg` already (None: not yet), are filtered rather than found
    again when the graph loses nothing."""
    packages = program_packages(program, entry)
    scoped = scope_to_entry(program, cg, entry)
    if scoped is not cg or commands is None:
        return scoped, find_commands(program, scoped, packages)
    return cg, commands if packages is None else within_program(program, commands, packages)


def analyse(program: Program, *, entry: str = "main", depth: int | None = None, into: tuple[str, ...] = (),
            cg: CallGraph | None = None, reload=None, show: Iterable[SideKind | str] = (),
            max_pages: int | None = MAX_PAGES) -> Analysis:
    """Run the analyses. `reload(into=...)`, when given, returns the program with the bodies of the
    command framework's packages read too (`goanalyzer.with_bodies`), so the flow can follow
    `cli.Execute` into them. `show` names the side paths the flow keeps (errors, logging, help,
    validation, generated, serving, or all); the others are folded into counts. The startup flow is
    cut into at most `max_pages` pages (None: every sizeable part has its own)."""
    cg = cg or build_callgraph(program, "full")
    notes: list[str] = []
    program, cg, commands, into = follow_framework(program, cg, into, reload)
    choice = default_entry(program, cg) if entry == "main" else None  # one rule: analysis/entry.py
    entry = choice.name if choice is not None else entry
    cg, commands = entry_commands(program, cg, commands, entry)
    if commands is not None and not commands.commands:
        commands = None
    whole = None
    entry_name = None
    try:
        whole = outline_flow(startup_flow(program, cg, entry=entry, depth=depth, into=into))
        entry_name = whole.entry
    except NotFoundError:
        if entry != "main" or _has_main(program):
            raise
        notes.append("no `main` function: this tree is a library, so the walkthrough shows its packages "
                     "and call graph")
    happy = _happy_path(program, commands, whole)
    flow = fold_side_paths(whole, show) if whole is not None else None
    summary = flow.summary(defined=definitions(cg), max_pages=max_pages) if flow is not None else None
    return Analysis(program, cg, commands, flow, entry_name, notes, summary, happy, entry_choice=choice,
                    names=naming_table(program, cg, entry_name))


def naming_table(program: Program, cg: CallGraph, entry: str | None = None) -> ShortNames:
    """The labels of the packages a view can print (the program's own and those in the call graph):
    the entry's package keeps its name, another named like one more is called by the alias the
    program imports it under (Traefik's `pkg/cli` as `tcli`), else by its path's tail."""
    packages = {p.path for p in program.root_packages()} | {package_of(n) for n in cg.graph.nodes}
    used: dict[str, dict[str, int]] = {}
    for package in program.root_packages():
        for facts in package.files:
            for imp in facts.imports:
                if imp.alias and imp.alias not in ("_", "."):
                    counts = used.setdefault(imp.path, {})
                    counts[imp.alias] = counts.get(imp.alias, 0) + 1
    aliases = {path: min(counts, key=lambda a: (-counts[a], a)) for path, counts in used.items()}
    return short_names(packages, aliases, keep=package_of(entry) if entry else None)


def _happy_path(program: Program, commands: CommandSet | None, flow: StartupFlow | None) -> HappyPath | None:
    if flow is None or not program.workspace.modules:
        return None
    roots = commands.roots() if commands is not None else []
    if any(r.children for r in roots):  # the command tree's root, not a stray command with no parent found
        roots = [r for r in roots if r.children]
    return happy_path(flow, root_module=program.module_path,
                      default_runs=[c.run for c in roots if c.run], default_builders=[c.built_in for c in roots])


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


