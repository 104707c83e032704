"""The annotated walkthrough: Markdown pages (and diagrams) generated from the analyses.

`analyse()` runs what the pages are drawn from (call graph, commands, startup flow);
`build_walkthrough()` turns that into pages without touching the disk; `write_walkthrough()`
writes the pages and their diagrams. A tree without commands or without an entry point (a
library) gets a walkthrough of its packages and call graph instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goanalyzer.analysis.callgraph import CallGraph, build_callgraph
from goanalyzer.analysis.commands_model import Command, CommandSet
from goanalyzer.analysis.startup_model import StartupFlow, Step, StepKind
from goanalyzer.docs.annotations import Annotations, Problem, load_annotations
from goanalyzer.docs.excerpts import excerpt, format_excerpt
from goanalyzer.docs.links import Linker
from goanalyzer.errors import NotFoundError
from goanalyzer.program import Program

log = logging.getLogger("goanalyzer")

SPLIT_LINES = 250
"""Above this many lines, the walkthrough is split into index.md + one page per part."""

CALLGRAPH_LIMIT = 60
"""Node limit of the call-graph diagram before it collapses to packages."""


# --------------------------------------------------------------------------- analysis
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


def _find_commands(program: Program, cg: CallGraph) -> tuple[CommandSet | None, str | None]:
    try:
        from goanalyzer.analysis.commands import find_commands
    except ImportError:
        return None, "command detection is not available in this build"
    return find_commands(program, cg), None


def _startup_flow(program: Program, cg: CallGraph, entry: str, depth: int | None, into: tuple[str, ...]):
    from goanalyzer.analysis.startup import outline_flow, startup_flow

    return outline_flow(startup_flow(program, cg, entry=entry, depth=depth, into=into)), None


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
    """Run the analyses. `reload(into=...)`, when given, reloads the program with the command
    framework's packages added to `into` so the flow can follow `cli.Execute` into them."""
    cg = cg or build_callgraph(program, "full")
    notes: list[str] = []
    commands, note = _find_commands(program, cg)
    if note:
        notes.append(note)
    extra = tuple(p for p in framework_packages(program, commands) if not any(p.startswith(i) for i in into))
    if extra and reload is not None:
        into = tuple(sorted({*into, *extra}))
        program = reload(into=into)
        cg = build_callgraph(program, "full")
        commands, _ = _find_commands(program, cg)
    elif extra:
        into = tuple(sorted({*into, *extra}))
    if commands is not None and not commands.commands:
        commands = None
    flow = None
    entry_name = None
    try:
        flow, note = _startup_flow(program, cg, entry, depth, into)
        if note:
            notes.append(note)
            from goanalyzer.analysis.queries import find_function
            entry_name = find_function(cg, entry)
        else:
            entry_name = flow.entry
    except NotFoundError:
        if entry != "main" or _has_main(program):
            raise
        notes.append("no `main` function: this tree is a library, so the walkthrough shows its packages "
                     "and call graph")
    return Analysis(program, cg, commands, flow, entry_name, notes)


# --------------------------------------------------------------------------- helpers
def short(name: str) -> str:
    """`github.com/a/b/pkg.F` -> `pkg.F`; `(*github.com/a/b/pkg.T).M` -> `(*pkg.T).M`."""
    if name.startswith("("):
        close = name.index(")")
        inner, rest = name[1:close], name[close + 1:]
        star = "*" if inner.startswith("*") else ""
        return f"({star}{inner.lstrip('*').rsplit('/', 1)[-1]}){rest}"
    return name.rsplit("/", 1)[-1]


def _func_range(program: Program, name: str) -> tuple[int | None, int | None]:
    info = program.funcs.get(name.split("$", 1)[0])
    if info is None:
        return None, None
    return info.decl.line, info.decl.end_line


def _anchor(text: str) -> str:
    """The anchor MkDocs and GitHub derive from a heading (lowercase, punctuation dropped)."""
    out = []
    for ch in text.lower():
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch == " ":
            out.append("-")
    return "".join(out)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().splitlines())


@dataclass
class Ctx:
    analysis: Analysis
    linker: Linker
    notes: Annotations
    images: dict[str, str]
    """Diagram name -> file name of the picture to embed (svg), when one was rendered."""
    sources: dict[str, list[str]]
    """Diagram name -> its source files (dot, mmd), for a link."""

    @property
    def program(self) -> Program:
        return self.analysis.program


def _diagram(ctx: Ctx, name: str, caption: str) -> list[str]:
    lines = []
    if name in ctx.images:
        lines.append(f"![{caption}]({ctx.images[name]})")
        lines.append("")
    files = ctx.sources.get(name, [])
    if files:
        lines.append(f"*{caption}* — source: " + ", ".join(f"[{f}]({f})" for f in files))
        lines.append("")
    return lines


# --------------------------------------------------------------------------- sections
def overview_section(ctx: Ctx, title: str, links: dict[str, str] | None = None) -> list[str]:
    a, program = ctx.analysis, ctx.program
    root_module = program.workspace.modules[0].path if program.workspace.modules else "(no module)"
    roots = program.root_packages()
    lines = [f"# {title}", ""]
    what = ("where the program starts, which commands it has, and what happens, call by call, when it starts"
            if a.entry else "its packages, what each declares, and how their functions call each other")
    lines.append(f"This walkthrough reads **`{root_module}`** ({len(roots)} packages, "
                 f"{sum(len(p.files) for p in roots)} files) the way a person would: {what}. It is generated "
                 "from the source by goanalyzer; every citation links to the lines it comes from.")
    lines.append("")
    if a.entry:
        info = program.funcs.get(a.entry)
        where = ctx.linker.cite(info.file.path, info.decl.line) if info else "`?`"
        lines.append(f"- **Starts at:** `{short(a.entry)}` in {where}")
    if a.commands is not None:
        frameworks = sorted({c.framework for c in a.commands.commands})
        types = ", ".join(f"`{t}`" for t in a.commands.struct_types)
        lines.append(f"- **Command framework:** {', '.join(frameworks)} ({types})")
        names = ", ".join(f"`{c.name}`" for c in a.commands.commands)
        lines.append(f"- **Commands:** {names}")
    elif a.entry:
        lines.append("- **Command framework:** none found")
    if a.flow is not None:
        count = sum(1 for _ in a.flow.walk())
        lines.append(f"- **Startup flow:** {count} steps from `{short(a.flow.entry)}`"
                     + (f", following calls into {', '.join(f'`{p}`' for p in a.flow.into)}" if a.flow.into else ""))
    for note in a.notes:
        lines.append(f"- *{note}*")
    lines.append("")
    note = ctx.notes.for_function(a.entry) if a.entry else None
    if note:
        lines += [_quote(f"**Note:** {note}"), ""]
    if links:
        lines += ["## Contents", ""]
        for page, label in links.items():
            lines.append(f"- [{label}]({page})")
        lines.append("")
    return lines


def struct_table(ctx: Ctx, qualified: str) -> list[str]:
    package, _, name = qualified.rpartition(".")
    info = ctx.program.type_info(package, name)
    if info is None:
        return [f"`{qualified}` (declaration not loaded)", ""]
    lines = [f"### The `{short(qualified)}` struct", "",
             f"Declared in {ctx.linker.cite(info.file.path, info.decl.line)}."
             + (f" {info.decl.doc.strip()}" if info.decl.doc else ""), ""]
    lines += ["| # | Field | Type | Doc |", "|---|---|---|---|"]
    for i, f in enumerate(info.decl.fields, 1):
        fname = f.name or f.type_text
        doc = _md_cell(f.doc or "") + (" *(embedded)*" if f.embedded else "")
        lines.append(f"| {i} | `{fname}` | `{_md_cell(f.type_text)}` | {doc} |")
    lines.append("")
    return lines


def _command_anchor(command: Command) -> str:
    return _anchor(f"Command {command.name}")


def commands_section(ctx: Ctx, level: int = 1) -> list[str]:
    a = ctx.analysis
    h = "#" * level
    lines = [f"{h} Commands", ""]
    if a.commands is None:
        lines += ["No command framework was found: the program has no command structs (paerser, cobra, "
                  "urfave/cli or a hand-rolled one).", ""]
        return lines
    cs = a.commands
    by_id = cs.by_id()
    frameworks = sorted({c.framework for c in cs.commands})
    lines += [f"The program builds its command line with **{', '.join(frameworks)}**: "
              f"{len(cs.commands)} command{'s' if len(cs.commands) != 1 else ''}, each a literal of "
              + ", ".join(f"`{t}`" for t in cs.struct_types) + ".", ""]
    lines += _diagram(ctx, "commands", "Command tree")
    for qualified in cs.struct_types:
        lines += struct_table(ctx, qualified)
    lines += ["### The commands", "", "| Command | Parent | Description | Built in | Runs |", "|---|---|---|---|---|"]
    for c in cs.commands:
        parent = by_id[c.parent].name if c.parent in by_id else "—"
        first = c.description.strip().splitlines()[0] if c.description.strip() else ""
        run = f"`{short(c.run)}`" if c.run else "—"
        lines.append(f"| [`{c.name}`](#{_command_anchor(c)}) | {parent} | {_md_cell(first)} | "
                     f"`{short(c.built_in)}` | {run} |")
    lines.append("")
    for c in cs.commands:
        lines += [f"### Command {c.name}", ""]
        if c.description.strip():
            lines += [_quote(c.description), ""]
        if c.long.strip() and c.long.strip() != c.description.strip():
            lines += [_quote(c.long), ""]
        lines.append(f"- **Built at:** {ctx.linker.cite(c.path, c.line)}, in `{short(c.built_in)}`")
        if c.parent in by_id:
            lines.append(f"- **Parent:** [`{by_id[c.parent].name}`](#{_command_anchor(by_id[c.parent])})")
        if c.children:
            kids = ", ".join(f"[`{by_id[k].name}`](#{_command_anchor(by_id[k])})" for k in c.children if k in by_id)
            lines.append(f"- **Sub-commands:** {kids}")
        if c.run:
            run = f"- **Runs:** `{c.run}`"
            start, _ = _func_range(ctx.program, c.run)
            position = ctx.analysis.cg.graph.nodes[c.run].get("position", "") if c.run in ctx.analysis.cg.graph else ""
            if position:
                path, line, _col = position.rsplit(":", 2)
                run += f" ({ctx.linker.cite(path, int(line))})"
            lines.append(run)
            for target in c.run_calls:
                info = ctx.program.funcs.get(target)
                where = f" ({ctx.linker.cite(info.file.path, info.decl.line)})" if info else ""
                lines.append(f"    - which calls `{target}`{where}")
        for f in c.fields:
            value = f.value if len(f.value) <= 80 else f.value[:77] + "..."
            targets = f" → {', '.join(f'`{short(t)}`' for t in f.targets)}" if f.targets else ""
            lines.append(f"- **{f.name}:** `{_md_cell(value)}`{targets}")
        lines.append("")
        note = ctx.notes.for_command(c.name)
        if note:
            lines += [_quote(f"**Note:** {note}"), ""]
    return lines


_EXTERNAL_LIMIT = 12


def _why(step: Step) -> str:
    parts = []
    if step.kind is StepKind.GO:
        parts.append("runs in a new goroutine, so the caller does not wait for it")
    elif step.kind is StepKind.DEFER:
        parts.append(f"deferred: runs when `{short(step.caller)}` returns")
    elif step.kind is StepKind.EXIT:
        parts.append("the program exits here")
    elif step.kind is StepKind.WAIT:
        parts.append("the flow blocks here until something happens")
    elif step.kind is StepKind.RETURN:
        parts.append(f"`{short(step.caller)}` returns here")
    if step.context:
        parts.append("only under " + ", then ".join(f"`{c}`" for c in step.context))
    if step.error_path:
        parts.append("this is an error path")
    rule = step.rule.value if hasattr(step.rule, "value") else str(step.rule)
    if rule != "static":
        how = {"funcfield": "through a func-typed field (e.g. a command's Run)",
               "funcvalue": "through a func value", "interface": "through an interface method"}.get(rule, rule)
        parts.append(f"a dynamic call, resolved {how}")
    if step.recursive:
        parts.append("already on the path (recursion): not expanded again")
    if not parts:
        parts.append(f"called unconditionally by `{short(step.caller)}`")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _is_heading(step: Step) -> bool:
    """Steps worth a section: anything expanded, exits, waits, goroutines, defers, calls into the program."""
    if step.steps or step.kind in (StepKind.EXIT, StepKind.WAIT, StepKind.GO, StepKind.DEFER):
        return True
    return not step.external


def startup_section(ctx: Ctx, level: int = 1) -> list[str]:
    a = ctx.analysis
    h = "#" * level
    lines = [f"{h} Startup, step by step", ""]
    flow = a.flow
    if flow is None:
        lines += ["No startup flow: " + ("; ".join(a.notes) if a.notes else "no entry point was found") + ".", ""]
        return lines
    program = ctx.program
    info = program.funcs.get(flow.entry)
    lines.append(f"The program starts in `{short(flow.entry)}` ({ctx.linker.cite(flow.path, flow.line)}). "
                 "Each step below is a call in statement order; nested numbers are what happens inside "
                 "the callee. Conditions, loops, goroutines, defers and exits are said where they apply.")
    lines.append("")
    if info is not None:
        rows = excerpt(info.file.path, info.decl.line, before=0, after=3, hi=info.decl.end_line)
        lines += [format_excerpt(rows), ""]
    lines += _diagram(ctx, "startup", "Startup flowchart")

    def emit(steps: list[Step], prefix: str) -> None:
        nonlocal lines
        external: list[Step] = []
        returns: list[Step] = []
        number = 0
        for step in steps:
            if step.kind is StepKind.RETURN and not step.steps:
                returns.append(step)
                continue
            if not _is_heading(step):
                external.append(step)
                continue
            number += 1
            label = f"{prefix}{number}"
            verb = {"go": "go ", "defer": "defer ", "exit": "exit: ", "wait": "wait: ", "return": "return: "}.get(
                step.kind.value, "")
            heading = f"### {label} {verb}`{short(step.callee)}`"
            if step.error_path:
                heading += " (error path)"
            lines.append(heading)
            lines.append("")
            where = ctx.linker.cite(step.path, step.line)
            lines.append(f"Called from `{short(step.caller)}` at {where}. {_why(step)}")
            lines.append("")
            absolute = ctx.linker.absolute(step.path)
            if absolute:
                lo, hi = _func_range(program, step.caller)
                rows = excerpt(absolute, step.line, before=1, after=2, lo=lo, hi=hi)
                if rows:
                    lines += [format_excerpt(rows, mark=step.line), ""]
            callee = program.funcs.get(step.callee)
            if callee is not None and step.kind not in (StepKind.EXIT, StepKind.RETURN, StepKind.WAIT):
                doc = callee.decl.doc.strip().splitlines()[0] if callee.decl.doc.strip() else ""
                lines.append(f"`{short(step.callee)}` is defined in "
                             f"{ctx.linker.cite(callee.file.path, callee.decl.line)}" + (f": *{doc}*" if doc else "."))
                lines.append("")
            note = ctx.notes.for_step(step.caller, step.callee) or ctx.notes.for_function(step.callee)
            if note:
                lines += [_quote(f"**Note:** {note}"), ""]
            if step.steps:
                emit(step.steps, f"{label}.")
        if returns:
            owner = short(returns[0].caller)
            items = "; ".join(f"{ctx.linker.cite(r.path, r.line)}" + (f" under `{r.context[-1]}`" if r.context else "")
                              for r in returns)
            lines.append(f"*`{owner}` returns at:* {items}.")
            lines.append("")
        if external:
            names = []
            for s in external:
                name = f"`{short(s.callee)}`" + (" (error path)" if s.error_path else "")
                if name not in names:
                    names.append(name)
            shown = ", ".join(names[:_EXTERNAL_LIMIT]) + (f" and {len(names) - _EXTERNAL_LIMIT} more"
                                                          if len(names) > _EXTERNAL_LIMIT else "")
            owner = f"step {prefix[:-1]}" if prefix else f"`{short(flow.entry)}`"
            lines.append(f"*Also called in {owner}, outside the code followed:* {shown}.")
            lines.append("")

    emit(flow.steps, "")
    return lines


def packages_section(ctx: Ctx, level: int = 1) -> list[str]:
    program = ctx.program
    h = "#" * level
    lines = [f"{h} Packages", "", "| Package | Files | Funcs | Types | Doc |", "|---|---|---|---|---|"]
    for package in program.root_packages():
        funcs = sum(len(f.funcs) for f in package.files)
        types = sum(len(f.types) for f in package.files)
        doc = next((getattr(f, "package_doc", "") or "" for f in package.files if getattr(f, "package_doc", "")), "")
        lines.append(f"| [`{package.path}`](#{_anchor(package.path)}) | {len(package.files)} | {funcs} | {types} | "
                     f"{_md_cell(doc.splitlines()[0] if doc else '')} |")
    lines.append("")
    for package in program.root_packages():
        lines += [f"### {package.path}", ""]
        symbols = [s for s in program.symbols(package_prefix=package.path) if s.package == package.path]
        if not symbols:
            lines += ["*(no symbols)*", ""]
            continue
        lines += ["| Symbol | Kind | Where | Doc |", "|---|---|---|---|"]
        for s in sorted(symbols, key=lambda s: (s.path, s.line)):
            doc = s.doc.strip().splitlines()[0] if s.doc.strip() else ""
            lines.append(f"| `{_md_cell(short(s.name))}` | {s.kind.value} | {ctx.linker.cite(s.path, s.line)} | "
                         f"{_md_cell(doc)} |")
        lines.append("")
    return lines


def callgraph_view(analysis: Analysis) -> CallGraph:
    """The part of the call graph a reader wants: from the entry when there is one, the module's
    own packages (and those followed with --into), no standard library."""
    from goanalyzer.analysis.queries import filter_graph, reachable
    cg = analysis.cg
    if analysis.entry and analysis.entry in cg.graph:
        cg = reachable(cg, [analysis.entry])
    include = [p.path for p in analysis.program.root_packages()]
    if analysis.flow is not None:
        include += list(analysis.flow.into)
    return filter_graph(cg, no_std=True, include=include, keep=[analysis.entry] if analysis.entry else [])


def callgraph_section(ctx: Ctx, level: int = 1) -> list[str]:
    a = ctx.analysis
    h = "#" * level
    view = callgraph_view(a)
    g = view.graph
    lines = [f"{h} Call graph", ""]
    scope = f"reachable from `{short(a.entry)}`" if a.entry else "of the module's packages"
    lines.append(f"The call graph {scope}, without the standard library: {g.number_of_nodes()} functions, "
                 f"{g.number_of_edges()} calls. Dashed edges are dynamic calls (interface, func field, func value).")
    lines.append("")
    lines += _diagram(ctx, "callgraph", "Call graph")
    if g.number_of_nodes():
        ranked = sorted(g.nodes, key=lambda n: (-g.in_degree(n), n))[:15]
        lines += ["### Most called", "", "| Function | Callers | Callees | Where |", "|---|---|---|---|"]
        for n in ranked:
            position = g.nodes[n].get("position", "")
            where = "—"
            if position:
                path, line, _col = position.rsplit(":", 2)
                where = ctx.linker.cite(path, int(line))
            lines.append(f"| `{_md_cell(short(n))}` | {g.in_degree(n)} | {g.out_degree(n)} | {where} |")
        lines.append("")
        noted = [n for n in sorted(g.nodes) if ctx.notes.for_function(n) and n != a.entry]
        if noted:
            lines += ["### Notes", ""]
            for n in noted:
                lines.append(f"- `{short(n)}`: {ctx.notes.for_function(n)}")
            lines.append("")
    return lines


def problems_section(problems: list[Problem], level: int = 2) -> list[str]:
    if not problems:
        return []
    lines = [f"{'#' * level} Annotations that no longer match", "",
             "These notes are keyed by a symbol that is not in the code any more (renamed or removed) "
             "or that is ambiguous. Update the annotations file:", ""]
    for p in problems:
        more = f" — did you mean {', '.join(f'`{c}`' for c in p.candidates[:3])}?" if p.candidates else ""
        lines.append(f"- `{p.key}`: {p.reason}{more}")
        lines.append(f"    - note: *{_md_cell(p.note)}*")
    lines.append("")
    return lines


# --------------------------------------------------------------------------- pages
@dataclass
class Walkthrough:
    title: str
    pages: dict[str, str]
    """File name -> Markdown, index.md first."""
    analysis: Analysis
    annotations: Annotations
    diagrams: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Diagram name -> (dot source, mermaid source)."""

    @property
    def problems(self) -> list[Problem]:
        return self.annotations.problems

    def markdown(self) -> str:
        return "\n".join(self.pages.values())

    def _repr_markdown_(self) -> str:
        return self.markdown()


def diagram_sources(analysis: Analysis, link_base: str | None = None) -> dict[str, tuple[str, str]]:
    from goanalyzer.render import dot, mermaid
    out: dict[str, tuple[str, str]] = {}
    if analysis.commands is not None:
        out["commands"] = (dot.render_commands_dot(analysis.commands),
                           mermaid.render_commands_mermaid(analysis.commands))
    if analysis.flow is not None:
        out["startup"] = (dot.render_startup_dot(analysis.flow, link_base=link_base),
                          mermaid.render_startup_mermaid(analysis.flow))
    view = callgraph_view(analysis)
    focus = analysis.program.workspace.modules[0].path if analysis.program.workspace.modules else None
    out["callgraph"] = (dot.render_callgraph_dot(view, limit=CALLGRAPH_LIMIT, focus=focus, link_base=link_base),
                        mermaid.render_callgraph_mermaid(view))
    return out


def function_names(analysis: Analysis) -> list[str]:
    return sorted(set(analysis.program.funcs) | set(analysis.cg.graph.nodes))


def build_walkthrough(analysis: Analysis, *, title: str | None = None, annotations: Annotations | None = None,
                      linker: Linker | None = None, images: dict[str, str] | None = None,
                      sources: dict[str, list[str]] | None = None, split: bool | None = None) -> Walkthrough:
    """The pages, as Markdown strings. `images`/`sources` name the diagram files written beside them."""
    program = analysis.program
    module = program.workspace.modules[0].path if program.workspace.modules else Path(program.workspace.root).name
    title = title or f"{module}: a walkthrough"
    annotations = annotations or Annotations()
    ctx = Ctx(analysis, linker or Linker(program), annotations, images or {}, sources or {})
    parts: list[tuple[str, str, list[str]]] = []
    if analysis.commands is not None or analysis.entry:
        parts.append(("commands.md", "Commands", commands_section(ctx, 1)))
    if analysis.flow is not None:
        parts.append(("startup.md", "Startup, step by step", startup_section(ctx, 1)))
    if analysis.entry is None:
        parts.append(("packages.md", "Packages", packages_section(ctx, 1)))
    parts.append(("callgraph.md", "Call graph", callgraph_section(ctx, 1)))
    total = sum(len(p[2]) for p in parts)
    if split is None:
        split = total > SPLIT_LINES
    pages: dict[str, str] = {}
    problems = problems_section(annotations.problems, 2)
    if split:
        index = overview_section(ctx, title, {name: label for name, label, _ in parts})
        index += problems
        pages["index.md"] = "\n".join(index).rstrip() + "\n"
        for name, label, lines in parts:
            nav = f"[← Overview](index.md)"
            pages[name] = "\n".join([nav, "", *lines]).rstrip() + "\n"
    else:
        index = overview_section(ctx, title)
        for _name, _label, lines in parts:
            index += ["#" + line if line.startswith("#") else line for line in lines]
        index += problems
        pages["index.md"] = "\n".join(index).rstrip() + "\n"
    return Walkthrough(title, pages, analysis, annotations)


def write_diagrams(analysis: Analysis, out_dir: Path, link_base: str | None = None
                   ) -> tuple[dict[str, str], dict[str, list[str]], list[Path]]:
    """Write <name>.dot/.mmd/.svg for each diagram; returns (images, sources, written paths)."""
    from goanalyzer.render.svg import write_diagram
    images: dict[str, str] = {}
    sources: dict[str, list[str]] = {}
    written: list[Path] = []
    for name, (dot_source, mermaid_source) in diagram_sources(analysis, link_base).items():
        paths = write_diagram(dot_source, out_dir / name, ("svg",), mermaid=mermaid_source)
        written += paths
        for p in paths:
            if p.suffix == ".svg":
                images[name] = p.name
        sources[name] = [p.name for p in paths if p.suffix in (".dot", ".mmd")]
    return images, sources, written


def write_walkthrough(analysis: Analysis, out_dir: str | Path, *, title: str | None = None,
                      annotations_file: str | Path | None = None, link_base: str | None = None,
                      split: bool | None = None) -> tuple[Walkthrough, list[Path]]:
    """Write the pages and diagrams into out_dir; returns the walkthrough and every file written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    command_names = [c.name for c in analysis.commands.commands] if analysis.commands else []
    notes = load_annotations(annotations_file, function_names(analysis), command_names)
    images, sources, written = write_diagrams(analysis, out, link_base)
    linker = Linker(analysis.program, link_base, page_dir=out)
    walk = build_walkthrough(analysis, title=title, annotations=notes, linker=linker, images=images,
                             sources=sources, split=split)
    for name, text in walk.pages.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return walk, written
