"""Notebook display helpers: the `_repr_*_` methods of the models delegate here.

Program._repr_markdown_      -> program_markdown(self)
CommandSet._repr_markdown_   -> commands_markdown(self)
CommandSet._repr_svg_        -> commands_svg(self)
StartupFlow._repr_markdown_  -> flow_markdown(self)
StartupFlow._repr_svg_       -> flow_svg(self)
(CallGraph._repr_svg_ already renders through goanalyzer.render.svg.callgraph_svg.)
SVG helpers return None when no Graphviz engine is present, so Jupyter falls back to Markdown.
"""

from __future__ import annotations

from goanalyzer.views.markdown import short


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def program_markdown(program, limit: int = 40) -> str:
    s = program.summary()
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
    by_id = command_set.by_id()
    lines = ["| Command | Parent | Description | Run | Position |", "|---|---|---|---|---|"]
    for c in command_set.commands:
        parent = by_id[c.parent].name if c.parent in by_id else ""
        desc = c.description.strip().splitlines()[0] if c.description.strip() else ""
        lines.append(f"| `{c.name}` | {parent} | {_md(desc)} | `{short(c.run) if c.run else ''}` | "
                     f"`{c.position}` |")
    return "\n".join(lines)


def flow_markdown(flow, limit: int = 200) -> str:
    lines = [f"**Startup flow from `{short(flow.entry)}`** (`{flow.path}:{flow.line}`)", ""]
    count = 0

    def emit(steps, depth):
        nonlocal count
        for s in steps:
            if count >= limit:
                return
            count += 1
            marks = [m for m in (s.kind.value if s.kind.value != "call" else "",
                                 "error path" if s.error_path else "", "recursive" if s.recursive else "") if m]
            extra = f" *({', '.join(marks)})*" if marks else ""
            lines.append(f"{'  ' * depth}- `{short(s.callee)}`{extra} — `{s.path}:{s.line}`")
            emit(s.steps, depth + 1)

    emit(flow.steps, 0)
    total = sum(1 for _ in flow.walk())
    if total > count:
        lines.append(f"- … {total - count} more steps")
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


def flow_svg(flow, part: str | None = None) -> str | None:
    """The flow's overview flowchart (the first part of its summary; `part` names another part,
    e.g. `startup-traefik-runcmd`): a whole flow in one picture is unreadable."""
    from goanalyzer.analysis.startup import outline_flow
    from goanalyzer.analysis.startup_summary import summarise_flow
    from goanalyzer.render.dot import render_startup_dot
    summary = summarise_flow(outline_flow(flow))
    shown = summary.part(part) if part else summary.overview
    return _svg(render_startup_dot(shown.flow))


def walkthrough_markdown(walkthrough) -> str:
    return walkthrough.markdown()
