"""The annotated walkthrough: Markdown pages (and diagrams) generated from the analyses.

`analyse()` runs what the pages are drawn from (call graph, commands, startup flow and its
summary in parts); `build_walkthrough()` turns that into pages without touching the disk;
`write_walkthrough()` writes the pages and their diagrams. A tree without commands or without an
entry point (a library) gets a walkthrough of its packages and call graph instead. The startup
pages are startup_pages.py's.
"""

from __future__ import annotations

__all__ = ["Walkthrough", "build_walkthrough", "write_walkthrough"]

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from goanalyzer.outputs import write_file
from goanalyzer.naming import PLAIN, ShortNames
from goanalyzer.analysis.commands_model import COMPUTED, Command, CommandSet
from goanalyzer.analysis.pipeline import Analysis, callgraph_view
from goanalyzer.analysis.startup_model import FlowSummary, StepKind
from goanalyzer.views.about import about, module_title
from goanalyzer.views.annotations import Annotations, Problem, load_annotations
from goanalyzer.views.links import Linker
from goanalyzer.render.outline import md_cell
from goanalyzer.views.markdown import Ctx, anchor, diagram, escape_text, first_line, func_range, quote
from goanalyzer.views.startup_pages import StartupPage, heading, nearby_charts, page_tree, startup_pages

log = logging.getLogger("goanalyzer")

SPLIT_LINES = 250
"""Above this many lines, the walkthrough is split into index.md + one page per part."""

OVERVIEW_COMMANDS = 20
"""Commands named on the index page; the command tree lists them all."""

CALLGRAPH_LIMIT = 60
"""Node limit of the call-graph diagram before it collapses to packages."""

DYNAMIC_HOW = {"interface": ", through an interface method", "funcfield": ", through a func-typed field",
               "funcvalue": ", through a func value"}


# --------------------------------------------------------------------------- sections
def overview_section(ctx: Ctx, title: str, contents: list[str] | None = None) -> list[str]:
    """The top of index.md: what the program is, where it starts, its commands; `contents` are
    the lines of the list of pages, when there are pages."""
    a, program = ctx.analysis, ctx.program
    root_module = program.workspace.modules[0].path if program.workspace.modules else "(no module)"
    roots = program.root_packages()
    lines = [f"# {title}", ""]
    what = ("where the program starts, which commands it has, and what happens, call by call, when it starts"
            if a.entry else "its packages, what each declares, and how their functions call each other")
    linked = "every citation links to the lines it comes from" if ctx.linker.has_links else \
        "citations name the file and line they come from"
    lines.append(f"This walkthrough reads **`{root_module}`** ({len(roots)} packages, "
                 f"{sum(len(p.files) for p in roots)} files) the way a person would: {what}. It is generated "
                 f"from the source by goanalyzer; {linked}.")
    lines.append("")
    described = about(program.workspace.root)
    if described:
        lines += [quote(f"**What it is** (from its README): {escape_text(described)}"), ""]
    if a.entry:
        info = program.funcs.get(a.entry)
        where = ctx.linker.cite(info.file.path, info.decl.line) if info else "`?`"
        lines.append(f"- **Starts at:** `{ctx.names.short(a.entry)}` in {where}")
    if a.commands is not None:
        frameworks = sorted({c.framework for c in a.commands.commands})
        types = ", ".join(f"`{t}`" for t in a.commands.struct_types)
        lines.append(f"- **Command framework:** {', '.join(frameworks)} ({types})")
        roots = a.commands.roots()
        top = {c.id for c in roots} | {k for c in roots for k in c.children}  # the roots and their sub-commands first
        ordered = sorted(a.commands.commands, key=lambda c: c.id not in top)  # stable: tree order within each
        titles = _command_titles(a.commands)
        shown = [c for c in ordered if c.name and c.name != COMPUTED][:OVERVIEW_COMMANDS]
        names = ", ".join(f"`{titles[c.id]}`" for c in shown)
        more = len(a.commands.commands) - len(shown)
        lines.append(f"- **Commands:** {names}" + (f" and {more} more (see the command tree)" if more else ""))
    elif a.entry:
        lines.append("- **Command framework:** none found")
    if a.flow is not None:
        count = sum(1 for _ in a.flow.walk())
        pages = len(a.summary.pages()) if a.summary is not None else 1
        lines.append(f"- **Startup flow:** {count} steps from `{ctx.names.short(a.flow.entry)}`"
                     + (f", following calls into {', '.join(f'`{p}`' for p in a.flow.into)}" if a.flow.into else "")
                     + (f"; {pages} pages, {len(a.summary.parts)} flowcharts" if pages > 1 else ""))
    for note in a.notes:
        lines.append(f"- *{note}*")
    lines.append("")
    note = ctx.notes.for_function(a.entry) if a.entry else None
    if note:
        lines += [quote(f"**Note:** {note}"), ""]
    lines += happy_path_section(ctx)
    lines += after_startup_section(ctx)
    if contents:
        if a.commands is not None:
            lines += ["## The command tree", "", f"{len(a.commands.commands)} commands; [Commands](commands.md) "
                      "describes each.", "", *diagram(ctx, "commands", "Command tree")]
        lines += ["## Where to read next", "", *contents, ""]
    return lines


def happy_path_section(ctx: Ctx) -> list[str]:
    """The happy path on one screen: its flowchart, then the steps numbered in run order."""
    happy = ctx.analysis.happy
    if happy is None or not happy.steps:
        return []
    lines = ["## The happy path", "",
             "What runs, in order, when nothing fails and the default command runs: error handling, logging, "
             "help and validation are left out (the startup pages say where; `--show errors,logging,help` "
             "writes them out).", ""]
    lines += diagram(ctx, "happy-path", "The happy path")
    numbers: list[int] = []
    for item in happy.steps:
        del numbers[item.depth + 1:]
        while len(numbers) <= item.depth:
            numbers.append(0)
        numbers[item.depth] += 1
        step = item.step
        label = f"`{ctx.label(step)}`"
        kind = "" if step.kind is StepKind.CALL else f"*{step.kind.value}* "
        where = ctx.linker.cite(step.path, step.line)
        note = f" — {item.note}" if item.note else ""
        lines.append(f"{'   ' * item.depth}{numbers[item.depth]}. {kind}{label} at {where}{note}")
    lines.append("")
    return lines


def after_startup_section(ctx: Ctx) -> list[str]:
    """What serves requests: the calls that run once serving has begun, which the startup pages
    fold away, each with where it is defined and where it is reached from."""
    happy = ctx.analysis.happy
    if happy is None or not happy.after:
        return []
    lines = ["## After startup", "",
             "Once the program serves, these run for each request or connection; they are not part of the "
             "startup, so the startup pages fold them (`--show serving` writes them out):", ""]
    for step in happy.after:
        info = ctx.program.funcs.get(step.callee)
        defined = f"defined in {ctx.linker.cite(info.file.path, info.decl.line)}; " if info else ""
        how = DYNAMIC_HOW.get(str(getattr(step.rule, "value", step.rule)), "")
        lines.append(f"- `{ctx.label(step)}`: {defined}called by `{ctx.names.short(step.caller)}` at "
                     f"{ctx.linker.cite(step.path, step.line)}{how}")
    lines.append("")
    return lines


def struct_table(ctx: Ctx, qualified: str) -> list[str]:
    package, _, name = qualified.rpartition(".")
    info = ctx.program.type_info(package, name)
    if info is None:
        return [f"`{qualified}` (declaration not loaded)", ""]
    lines = [f"### The `{ctx.names.short(qualified)}` struct", "",
             f"Declared in {ctx.linker.cite(info.file.path, info.decl.line)}."
             + (f" {escape_text(info.decl.doc.strip())}" if info.decl.doc else ""), ""]
    lines += ["| # | Field | Type | Doc |", "|---|---|---|---|"]
    for i, f in enumerate(info.decl.fields, 1):
        fname = f.name or f.type_text
        doc = md_cell(escape_text(f.doc or "")) + (" *(embedded)*" if f.embedded else "")
        lines.append(f"| {i} | `{fname}` | `{md_cell(f.type_text)}` | {doc} |")
    lines.append("")
    return lines


def _command_titles(commands: CommandSet) -> dict[str, str]:
    """Command id -> how pages name it: its name, or its path from the root when another command
    has the same name (docker's `checkpoint ls` and `volume ls`: `docker volume ls`)."""
    by_id = commands.by_id()
    counts = Counter(c.name for c in commands.commands)

    def path(command: Command) -> str:
        names, seen = [], set()
        while command is not None and command.id not in seen:
            seen.add(command.id)
            names.append(command.name)
            command = by_id.get(command.parent)
        return " ".join(reversed(names))

    return {c.id: path(c) if counts[c.name] > 1 else c.name for c in commands.commands}


def _command_anchor(title: str) -> str:
    return anchor(f"Command {title}")


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
    lines += diagram(ctx, "commands", "Command tree")
    for qualified in cs.struct_types:
        lines += struct_table(ctx, qualified)
    lines += ["### The commands", "", "| Command | Parent | Description | Built in | Runs |", "|---|---|---|---|---|"]
    titles = _command_titles(cs)
    for c in cs.commands:
        parent = titles[c.parent] if c.parent in by_id else "—"
        first = first_line(c.description)
        run = f"`{ctx.names.short(c.run)}`" if c.run else "—"
        lines.append(f"| [`{titles[c.id]}`](#{_command_anchor(titles[c.id])}) | {parent} | {md_cell(first)} | "
                     f"`{ctx.names.short(c.built_in)}` | {run} |")
    lines.append("")
    for c in cs.commands:
        lines += [f"### Command {titles[c.id]}", ""]
        if c.description.strip():
            lines += [quote(escape_text(c.description)), ""]
        if c.long.strip() and c.long.strip() != c.description.strip():
            lines += [quote(escape_text(c.long)), ""]
        lines.append(f"- **Built at:** {ctx.linker.cite(c.path, c.line)}, in `{ctx.names.short(c.built_in)}`")
        if c.parent in by_id:
            lines.append(f"- **Parent:** [`{titles[c.parent]}`](#{_command_anchor(titles[c.parent])})")
        if c.children:
            kids = ", ".join(f"[`{titles[k]}`](#{_command_anchor(titles[k])})" for k in c.children if k in by_id)
            lines.append(f"- **Sub-commands:** {kids}")
        if c.run:
            run = f"- **Runs:** `{c.run}`"
            start, _ = func_range(ctx.program, c.run)
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
            targets = f" → {', '.join(f'`{ctx.names.short(t)}`' for t in f.targets)}" if f.targets else ""
            lines.append(f"- **{f.name}:** `{md_cell(value)}`{targets}")
        lines.append("")
        note = ctx.notes.for_command(c.name)
        if note:
            lines += [quote(f"**Note:** {note}"), ""]
    return lines


def packages_section(ctx: Ctx, level: int = 1) -> list[str]:
    program = ctx.program
    h = "#" * level
    lines = [f"{h} Packages", "", "| Package | Files | Funcs | Types | Doc |", "|---|---|---|---|---|"]
    for package in program.root_packages():
        funcs = sum(len(f.funcs) for f in package.files)
        types = sum(len(f.types) for f in package.files)
        doc = next((getattr(f, "package_doc", "") or "" for f in package.files if getattr(f, "package_doc", "")), "")
        lines.append(f"| [`{package.path}`](#{anchor(package.path)}) | {len(package.files)} | {funcs} | {types} | "
                     f"{md_cell(doc.splitlines()[0] if doc else '')} |")
    lines.append("")
    for package in program.root_packages():
        lines += [f"### {package.path}", ""]
        symbols = [s for s in program.symbols(package_prefix=package.path) if s.package == package.path]
        if not symbols:
            lines += ["*(no symbols)*", ""]
            continue
        lines += ["| Symbol | Kind | Where | Doc |", "|---|---|---|---|"]
        for s in sorted(symbols, key=lambda s: (s.path, s.line)):
            doc = first_line(s.doc)
            lines.append(f"| `{md_cell(ctx.names.short(s.name))}` | {s.kind.value} | "
                         f"{ctx.linker.cite(s.path, s.line)} | "
                         f"{md_cell(doc)} |")
        lines.append("")
    return lines


def callgraph_section(ctx: Ctx, level: int = 1) -> list[str]:
    a = ctx.analysis
    h = "#" * level
    view = callgraph_view(a)
    g = view.graph
    lines = [f"{h} Call graph", ""]
    scope = f"reachable from `{ctx.names.short(a.entry)}`" if a.entry else "of the module's packages"
    lines.append(f"The call graph {scope}, without the standard library: {g.number_of_nodes()} functions, "
                 f"{g.number_of_edges()} calls. Dashed edges are dynamic calls (interface, func field, func value)."
                 + (" The happy path's functions and calls are drawn bold in orange." if happy_calls(a) else ""))
    lines.append("")
    lines += diagram(ctx, "callgraph", "Call graph")
    if g.number_of_nodes():
        ranked = sorted(g.nodes, key=lambda n: (-g.in_degree(n), n))[:15]
        lines += ["### Most called", "", "| Function | Callers | Callees | Where |", "|---|---|---|---|"]
        for n in ranked:
            position = g.nodes[n].get("position", "")
            where = "—"
            if position:
                path, line, _col = position.rsplit(":", 2)
                where = ctx.linker.cite(path, int(line))
            lines.append(f"| `{md_cell(ctx.names.short(n))}` | {g.in_degree(n)} | {g.out_degree(n)} | {where} |")
        lines.append("")
        noted = [n for n in sorted(g.nodes) if ctx.notes.for_function(n) and n != a.entry]
        if noted:
            lines += ["### Notes", ""]
            for n in noted:
                lines.append(f"- `{ctx.names.short(n)}`: {ctx.notes.for_function(n)}")
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
        lines.append(f"    - note: *{md_cell(p.note)}*")
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


def diagram_sources(analysis: Analysis, link_base: str | None = None, *, linker: Linker | None = None,
                    page_links: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """Diagram name -> (DOT, Mermaid): commands, one startup flowchart per part of the summary
    (named by the part's id: `startup`, `startup-<callee>`), callgraph. Nodes link to their
    source through `linker` (else `link_base`); folded startup steps link to `page_links[page id]`."""
    from goanalyzer.render import dot, mermaid
    links = linker.url if linker is not None else None
    names = analysis.names
    out: dict[str, tuple[str, str]] = {}
    if analysis.commands is not None:
        out["commands"] = (dot.render_commands_dot(analysis.commands, names=names),
                           mermaid.render_commands_mermaid(analysis.commands))
    if analysis.happy is not None and analysis.flow is not None and analysis.happy.steps:
        happy = analysis.happy.as_flow(analysis.flow)
        out["happy-path"] = (dot.render_startup_dot(happy, link_base=link_base, links=links, names=names),
                             mermaid.render_startup_mermaid(happy, names=names))
    if analysis.summary is not None:
        nearby = nearby_charts(analysis.summary)
        for part in analysis.summary.parts:
            elsewhere = {p.id: page_links[p.page] for p in analysis.summary.parts
                         if page_links and p.page in page_links and p.page != part.page}
            out[part.id] = (dot.render_startup_dot(part.flow, link_base=link_base, links=links, parts=elsewhere,
                                                   nearby=nearby.get(part.id), names=names),
                            mermaid.render_startup_mermaid(part.flow, parts=elsewhere, nearby=nearby.get(part.id),
                                                           names=names))
    view = callgraph_view(analysis)
    focus = analysis.program.workspace.modules[0].path if analysis.program.workspace.modules else None
    path = happy_calls(analysis)
    out["callgraph"] = (dot.render_callgraph_dot(view, limit=CALLGRAPH_LIMIT, focus=focus, link_base=link_base,
                                                 links=links, names=names, highlight=path),
                        mermaid.render_callgraph_mermaid(view, names=names, highlight=path))
    return out


def happy_calls(analysis: Analysis) -> list[tuple[str, str]]:
    """The happy path's calls as (caller, callee) pairs, for the call graph to highlight."""
    if analysis.happy is None:
        return []
    return [(h.step.caller, h.step.callee) for h in analysis.happy.steps
            if h.step.kind not in (StepKind.BUILD, StepKind.RETURN)]


def function_names(analysis: Analysis) -> list[str]:
    return sorted(set(analysis.program.funcs) | set(analysis.cg.graph.nodes))


def build_walkthrough(analysis: Analysis, *, title: str | None = None, annotations: Annotations | None = None,
                      linker: Linker | None = None, images: dict[str, str] | None = None,
                      sources: dict[str, list[str]] | None = None, split: bool | None = None) -> Walkthrough:
    """The pages, as Markdown strings. `images`/`sources` name the diagram files written beside them.

    Split (index.md + one file per part, the startup flow on several pages when it is long) when
    `split` says so or, by default, when the text is long or the startup flow has several pages;
    otherwise everything is on index.md and links between startup pages are anchors."""
    program = analysis.program
    title = title or f"{module_title(program)}: a walkthrough"
    annotations = annotations or Annotations()
    ctx = Ctx(analysis, linker or Linker(program), annotations, images or {}, sources or {})
    summary = analysis.summary
    decide = split is None
    if decide:
        split = summary is not None and len(summary.pages()) > 1
    if not split and summary is not None:
        ctx.page_links = {p.id: "#" + anchor(heading(summary, p, analysis.names)) for p in summary.pages()}
    parts: list[tuple[str, str, list[str]]] = []
    if analysis.commands is not None or analysis.entry:
        parts.append(("commands.md", "Commands", commands_section(ctx, 1)))
    startup = startup_pages(ctx, summary) if summary is not None else []
    for page in startup:
        parts.append((page.name, "Startup, step by step" if page.part is summary.overview else page.title,
                      page.lines))
    if analysis.entry is None:
        parts.append(("packages.md", "Packages", packages_section(ctx, 1)))
    parts.append(("callgraph.md", "Call graph", callgraph_section(ctx, 1)))
    if decide and not split and sum(len(p[2]) for p in parts) > SPLIT_LINES:
        return build_walkthrough(analysis, title=title, annotations=annotations, linker=linker, images=images,
                                 sources=sources, split=True)
    pages: dict[str, str] = {}
    problems = problems_section(annotations.problems, 2)
    if split:
        contents = []
        for name, label, _lines in parts:
            if name == "startup.md":
                contents += page_tree(ctx, summary, root_label=label)
            elif not name.startswith("startup-"):
                contents.append(f"- [{label}]({name})")
        pages["index.md"] = "\n".join(overview_section(ctx, title, contents) + problems).rstrip() + "\n"
        for name, _label, lines in parts:
            pages[name] = "\n".join([_nav(summary, startup, name, analysis.names), "", *lines]).rstrip() + "\n"
    else:
        index = overview_section(ctx, title)
        for _name, _label, lines in parts:
            index += ["#" + line if line.startswith("#") else line for line in lines]
        index += problems
        pages["index.md"] = "\n".join(index).rstrip() + "\n"
    return Walkthrough(title, pages, analysis, annotations)


def _nav(summary: FlowSummary | None, startup: list[StartupPage], name: str, names: ShortNames = PLAIN) -> str:
    """The line atop a page: back to the overview and, on a startup page, the startup pages it is
    reached through and the next one."""
    nav = "[← Overview](index.md)"
    files = [page.name for page in startup]
    if summary is None or name not in files or len(files) < 2:
        return nav

    def crumb(part) -> str:
        return "Startup" if part is summary.overview else f"`{names.short(part.callee)}`"

    here = startup[files.index(name)]
    chain, part = [], here.part
    while part.parent is not None:
        part = summary.part(summary.part(part.parent).page)
        chain.insert(0, part)
    nav += " · " + " › ".join([f"[{crumb(p)}]({p.id}.md)" for p in chain] + [f"**{crumb(here.part)}**"])
    following = files.index(name) + 1
    if following < len(files):
        nav += f" · next: [{crumb(startup[following].part)}]({files[following]}) →"
    return nav


def write_diagrams(analysis: Analysis, out_dir: Path, link_base: str | None = None, *, linker: Linker | None = None,
                   page_links: dict[str, str] | None = None
                   ) -> tuple[dict[str, str], dict[str, list[str]], list[Path]]:
    """Write <name>.dot/.mmd/.svg for each diagram; returns (images, sources, written paths).
    Each render is a Graphviz process: they run side by side, one per core (a real program's
    startup has hundreds of flowcharts)."""
    from concurrent.futures import ThreadPoolExecutor

    from goanalyzer.render.svg import write_diagram
    images: dict[str, str] = {}
    sources: dict[str, list[str]] = {}
    written: list[Path] = []
    diagrams = diagram_sources(analysis, link_base, linker=linker, page_links=page_links)

    def write(name: str) -> list[Path]:
        dot_source, mermaid_source = diagrams[name]
        return write_diagram(dot_source, out_dir / name, ("svg",), mermaid=mermaid_source)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        rendered = list(pool.map(write, diagrams))
    for name, paths in zip(diagrams, rendered):
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
    linker = Linker(analysis.program, link_base, page_dir=out)
    page_links = None
    if split is not False and analysis.summary is not None and len(analysis.summary.pages()) > 1:
        page_links = {p.id: f"{p.id}.md" for p in analysis.summary.pages()}
    images, sources, written = write_diagrams(analysis, out, link_base, linker=linker, page_links=page_links)
    walk = build_walkthrough(analysis, title=title, annotations=notes, linker=linker, images=images,
                             sources=sources, split=split)
    for name, text in walk.pages.items():
        written.append(write_file(out / name, text, out))
    return walk, written
