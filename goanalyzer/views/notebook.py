"""Notebook display: the `_repr_*_` methods of the models delegate here, and only render.

Program._repr_markdown_      -> program_markdown(self)
CommandSet._repr_markdown_   -> the command table of goanalyzer.render.outline
CommandSet._repr_svg_        -> commands_svg(self)
StartupFlow._repr_markdown_  -> flow_markdown(self), the first steps as a nested list
FlowSummary._repr_markdown_  -> summary_markdown(self), its parts
FlowSummary._repr_svg_       -> summary_svg(self), the overview part's flowchart
CallGraph._repr_svg_         -> goanalyzer.render.svg.callgraph_svg
SVG helpers return None when no Graphviz engine is present, so Jupyter falls back to Markdown.
"""

from __future__ import annotations

from goanalyzer.naming import short_name
from goanalyzer.render import outline

FLOW_LIMIT = 200
"""Steps a notebook lists before saying how many more there are."""


def program_markdown(program, limit: int = 40) -> str:
    s = program.counts()
    module = program.workspace.modules[0].path if program.workspace.modules else "(no module)"
    lines = [f"**Program `{module}`**: {s['root_packages']} packages of its own ({s['packages']} loaded), "
             f"{s['files']} files, {s['funcs']} funcs, {s['diagnostics']} diagnostics", "",
             "| Package | Files | Funcs |", "|---|---|---|"]
    roots = program.root_packages()
    for p in roots[:limit]:
        lines.append(f"| `{p.path}` | {len(p.files)} | {sum(len(f.funcs) for f in p.files)} |")
    if len(roots) > limit:
        lines.append(f"| … {len(roots) - limit} more | | |")
    return "\n".join(lines)


def commands_markdown(command_set) -> str:
    return outline.commands_markdown(command_set)


def flow_markdown(flow) -> str:
    return outline.flow_markdown(flow, limit=FLOW_LIMIT)


def summary_markdown(summary) -> str:
    lines = [f"**Startup of `{short_name(summary.overview.flow.entry)}`** in {len(summary.parts)} parts "
             f"({len(summary.pages())} pages)", ""]
    for part in summary.parts:
        page = "" if part.page == part.id else f" (on page `{part.page}`)"
        lines.append(f"- `{part.id}`: `{short_name(part.flow.entry)}`, {sum(1 for _ in part.flow.walk())} steps{page}")
    return "\n".join(lines)


def _svg(dot_source: str) -> str | None:
    from goanalyzer.render.engine import RenderError, render
    try:
        return render(dot_source, "svg").decode("utf-8")
    except RenderError:
        return None


def commands_svg(command_set) -> str | None:
    from goanalyzer.render.dot import render_commands_dot
    return _svg(render_commands_dot(command_set))


def summary_svg(summary) -> str | None:
    """The overview part's flowchart: a whole flow in one picture is unreadable."""
    from goanalyzer.render.dot import render_startup_dot
    return _svg(render_startup_dot(summary.overview.flow))
