"""Plain-text and Markdown outlines of the command tree, a struct and the startup flow."""

from __future__ import annotations

__all__ = [
    "commands_markdown", "commands_tree", "flow_markdown", "flow_text", "struct_markdown", "struct_text",
]

from goanalyzer.analysis.commands import StructView
from goanalyzer.analysis.commands_model import CommandSet
from goanalyzer.analysis.startup_model import StartupFlow, Step, StepKind, step_label
from goanalyzer.naming import short_name

MARKS = {StepKind.CALL: "→", StepKind.GO: "⇉ go", StepKind.DEFER: "↺ defer", StepKind.EXIT: "✖ exit",
         StepKind.RETURN: "↩", StepKind.WAIT: "⏸ wait", StepKind.BUILD: "■ build", StepKind.MORE: "…"}


def commands_tree(commands: CommandSet) -> str:
    """`traefik  (cmd/traefik/traefik.go:44:16)  run: main$1 → runCmd` with children indented."""
    index = commands.by_id()
    lines: list[str] = []

    def visit(command, depth: int) -> None:
        run = f"  run: {short_name(command.run)}" if command.run else ""
        if command.run_calls:
            run += " → " + ", ".join(short_name(c) for c in command.run_calls)
        lines.append(f"{'  ' * depth}{command.name}  [{command.framework}] {command.description.splitlines()[0] if command.description else ''}")
        lines.append(f"{'  ' * depth}    built at {command.position} in {short_name(command.built_in)}{run}")
        for child in command.children:
            visit(index[child], depth + 1)

    for root in commands.roots():
        visit(root, 0)
    return "\n".join(lines) if lines else "no commands found"


def commands_markdown(commands: CommandSet) -> str:
    index = commands.by_id()
    rows = ["| command | parent | description | built at | run |", "|---|---|---|---|---|"]
    for c in commands.commands:
        parent = index[c.parent].name if c.parent else ""
        run = f"`{c.run}`" if c.run else ""
        description = md_cell(escape_text((c.description.splitlines() or [""])[0]))
        rows.append(f"| `{c.name}` | {parent} | {description} | `{c.position}` | {run} |")
    return "\n".join(rows)


_PROSE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;"})


def escape_text(text: str) -> str:
    """Untrusted prose (a README paragraph, a doc comment, a command's description) as Markdown
    text that reads the same and renders no HTML and no link: `<script>` stays text, and
    `[x](javascript:...)` cannot become a link once its brackets are entities."""
    return text.translate(_PROSE)


def md_cell(text: str) -> str:
    """Text safe inside one Markdown table cell: pipes escaped, one line."""
    return text.replace("|", "\\|").replace("\n", " ")


def struct_text(view: StructView) -> str:
    lines = [f"type {view.name} struct   // {view.path}:{view.line}"]
    if view.doc:
        lines.insert(0, "// " + view.doc.replace("\n", "\n// "))
    width = max((len(f["name"]) for f in view.fields), default=0)
    for f in view.fields:
        doc = f"  // {f['doc'].splitlines()[0]}" if f["doc"] else ""
        tag = f" `{f['tag']}`" if f["tag"] else ""
        lines.append(f"    {f['name']:<{width}}  {f['type']}{tag}{doc}")
    lines.append("")
    lines.append("methods:" if view.methods else "methods: none")
    lines += [f"    {m}" for m in view.methods]
    lines.append("constructed at:" if view.constructed_at else "constructed at: nowhere in the walked code")
    lines += [f"    {c}" for c in view.constructed_at]
    if view.field_uses:
        lines.append("field uses:")
        for name, uses in view.field_uses.items():
            lines += [f"    {name}: {u}" for u in uses]
    return "\n".join(lines)


def struct_markdown(view: StructView) -> str:
    rows = [f"### `{view.name}`", "", escape_text(view.doc), "", "| field | type | doc |", "|---|---|---|"]
    rows += [f"| `{f['name']}` | `{f['type']}` | {md_cell(escape_text(f['doc']))} |" for f in view.fields]
    return "\n".join(rows)


def flow_text(flow: StartupFlow) -> str:
    """The flow as an indented outline; a call whose callee is expanded elsewhere says whether that
    is above or below in the outline (its reading order: depth first)."""
    lines = [f"startup of {flow.entry} ({flow.path}:{flow.line})"]
    order = {id(step): index for index, step in enumerate(flow.walk())}
    expanded: dict[str, int] = {}
    for step in flow.walk():
        if not (step.seen_before or step.recursive or step.external):  # where its body was followed
            expanded.setdefault(step.callee, order[id(step)])

    def visit(step: Step, depth: int) -> None:
        notes = []
        if step.rule != "static":
            notes.append(step.rule)
        if step.error_path:
            notes.append("error path")
        if step.recursive:
            notes.append("recursive: not followed")
        if step.seen_before and step.callee in expanded:
            notes.append("expanded below" if expanded[step.callee] > order[id(step)] else "expanded above")
        where = f"  {step.position}" if step.line else ""
        context = f"  [{' / '.join(step.context)}]" if step.context else ""
        extra = f"  ({', '.join(notes)})" if notes else ""
        lines.append(f"{'  ' * depth}{MARKS[step.kind]} {step_label(step)}{context}{extra}{where}")
        for inner in step.steps:
            visit(inner, depth + 1)

    for step in flow.steps:
        visit(step, 1)
    return "\n".join(lines)


def flow_markdown(flow: StartupFlow, limit: int | None = None) -> str:
    """The flow as a nested list; past `limit` steps one line says how many more there are."""
    lines = [f"# Startup of `{flow.entry}`", "", f"Entry: `{flow.path}:{flow.line}`", ""]
    shown = 0

    def visit(step: Step, depth: int) -> None:
        nonlocal shown
        if limit is not None and shown >= limit:
            return
        shown += 1
        context = f" — *{' / '.join(step.context)}*" if step.context else ""
        flags = " **(error path)**" if step.error_path else ""
        flags += " *(recursive)*" if step.recursive else ""
        lines.append(f"{'  ' * depth}- {MARKS[step.kind]} `{step_label(step)}`{context}{flags}"
                     + (f" (`{step.position}`)" if step.line else ""))
        for inner in step.steps:
            visit(inner, depth + 1)

    for step in flow.steps:
        visit(step, 0)
    total = sum(1 for _ in flow.walk())
    if total > shown:
        lines.append(f"- … {total - shown} more steps")
    return "\n".join(lines)
