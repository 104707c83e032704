"""The startup walkthrough as pages: one per big part of the flow's summary, each with its
flowcharts and its steps in statement order (why each happens, an excerpt of the real lines,
where the callee is defined).

The overview page (`startup.md`) is the entry's part; a part whose callee is big heads a page of
its own (`startup-<callee>.md`); a small part is a section, with its own flowchart, right where
its call is described. Steps are numbered per page: `2.1.3` is the third call inside the first
call of step 2; a folded step's steps go on under its number (`7.1`, `7.2`) when they are on the
same page, and link to their page otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from goanalyzer.naming import PLAIN, ShortNames
from goanalyzer.analysis.startup_model import FlowPart, FlowSummary, Step, StepKind, side_note
from goanalyzer.views.excerpts import excerpt, format_excerpt, statement_end
from goanalyzer.views.markdown import Ctx, diagram, first_line, func_range, quote

EXTERNAL_LIMIT = 12
"""Calls outside the followed code listed by name per step, at most."""

LEGEND = ("How to read the flowcharts: a function's steps run top down in statement order; the steps "
          "inside a call are in the box beside it; a diamond is a condition (red `error` branch, green "
          "`ok`); red octagons end the program, grey boxes are returns, teal notes (a folded corner) "
          "are values the program builds; dashed purple arrows fan out to the functions a dynamic call "
          "may reach; a double border folds a callee's steps away, to a section below or to its own "
          "page. Each node links to its source line.")


@dataclass
class StartupPage:
    name: str
    """File name: `startup.md`, `startup-<callee>.md`."""
    title: str
    """Short title for navigation (`Overview`, `traefik.runCmd`)."""
    part: FlowPart
    lines: list[str]


def page_name(part: FlowPart) -> str:
    return f"{part.page}.md"


def page_title(summary: FlowSummary, part: FlowPart, names: ShortNames = PLAIN) -> str:
    return "Overview" if part is summary.overview else names.short(part.callee)


def heading(summary: FlowSummary, part: FlowPart, names: ShortNames = PLAIN) -> str:
    """The page's first heading (without the `#`s)."""
    if part is summary.overview:
        return "Startup, step by step"
    return f"Startup: `{names.short(part.callee)}`"


def startup_pages(ctx: Ctx, summary: FlowSummary, level: int = 1) -> list[StartupPage]:
    """Every page of the startup walkthrough, overview first, in flow order."""
    return [StartupPage(page_name(p), page_title(summary, p, ctx.names), p, _page(ctx, summary, p, level))
            for p in summary.pages()]


def why(step: Step, names: ShortNames = PLAIN) -> str:
    """One sentence: why this step happens (kind, conditions, dynamic resolution, recursion)."""
    parts = []
    if step.kind is StepKind.GO:
        parts.append("runs in a new goroutine, so the caller does not wait for it")
    elif step.kind is StepKind.DEFER:
        parts.append(f"deferred: runs when `{names.short(step.caller)}` returns")
    elif step.kind is StepKind.EXIT:
        parts.append("the program exits here")
    elif step.kind is StepKind.WAIT:
        parts.append("the flow blocks here until something happens")
    elif step.kind is StepKind.RETURN:
        parts.append(f"`{names.short(step.caller)}` returns here")
    elif step.kind is StepKind.BUILD:
        parts.append(f"`{names.short(step.caller)}` builds this value itself, with a composite literal of "
                     f"`{names.short(step.built)}`")
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
        parts.append(f"called unconditionally by `{names.short(step.caller)}`")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _is_heading(step: Step) -> bool:
    """Steps worth a section: anything expanded or folded, exits, waits, goroutines, defers,
    builds (the flow reads as what is built and called, in order), calls into the program."""
    if step.steps or step.folded or step.kind in (StepKind.EXIT, StepKind.WAIT, StepKind.GO, StepKind.DEFER,
                                                  StepKind.BUILD):
        return True
    return not step.external


def _caption(part: FlowPart, names: ShortNames) -> str:
    return f"Startup flowchart: {names.short(part.callee)}"


def _link(ctx: Ctx, summary: FlowSummary, part_id: str, here: str) -> str | None:
    """How a page links to the page showing part `part_id`; None when that is this page."""
    page = summary.part(part_id).page
    return None if page == here else ctx.page_links.get(page, f"{page}.md")


def _page(ctx: Ctx, summary: FlowSummary, part: FlowPart, level: int) -> list[str]:
    h = "#" * level
    lines = [f"{h} {heading(summary, part, ctx.names)}", ""]
    lines += _intro(ctx, summary, part)
    if part is summary.overview:
        lines += [LEGEND, ""]
    lines += diagram(ctx, part.id, _caption(part, ctx.names))
    _Writer(ctx, summary, part.page, lines).steps(part, "")
    subpages = [p for p in summary.pages() if p.parent and summary.part(p.parent).page == part.page]
    if subpages:
        lines += [f"{h}# Continues on", ""]
        for sub in subpages:
            href = ctx.page_links.get(sub.id, page_name(sub))
            lines.append(f"- [`{ctx.names.short(sub.callee)}`]({href}): {sub.call.folded} steps, called from "
                         f"`{ctx.names.short(sub.call.caller)}`")
        lines.append("")
    if part is summary.overview and len(summary.pages()) > 1:
        lines += [f"{h}# All startup pages", ""] + page_tree(ctx, summary) + [""]
    return lines


def page_tree(ctx: Ctx, summary: FlowSummary, root_label: str = "Overview") -> list[str]:
    """The pages as a nested list, each under the page it is reached from."""
    lines: list[str] = []

    def visit(page: FlowPart, depth: int) -> None:
        href = ctx.page_links.get(page.id, page_name(page))
        count = sum(1 for p in summary.parts if p.page == page.id for _ in p.walk())
        label = root_label if page is summary.overview else f"`{ctx.names.short(page.callee)}`"
        lines.append(f"{'    ' * depth}- [{label}]({href}) ({count} steps)")
        for sub in summary.pages():
            if sub.parent and summary.part(sub.parent).page == page.id:
                visit(sub, depth + 1)

    visit(summary.overview, 0)
    return lines


def _intro(ctx: Ctx, summary: FlowSummary, part: FlowPart) -> list[str]:
    program, flow = ctx.program, part.flow
    short = ctx.names.short
    lines = []
    if part is summary.overview:
        lines.append(f"The program starts in `{short(flow.entry)}` ({ctx.linker.cite(flow.path, flow.line)}). "
                     "Each step below is a call, or a value the program builds, in statement order; nested "
                     "numbers are what happens inside the callee. Conditions, loops, goroutines, defers and exits "
                     "are said where they apply."
                     + (" The flow is long, so it is cut into pages: callees with many steps of their own "
                        "continue on their own page (listed at the end)." if len(summary.pages()) > 1 else ""))
        lines.append("")
    else:
        trail = []
        for name in part.trail:
            home = summary.parts[0].id if name == summary.overview.callee else _shown_in(summary, name)
            href = _link(ctx, summary, home, part.page) if home else None
            trail.append(f"[`{short(name)}`]({href})" if href and name != part.callee else f"`{short(name)}`")
        lines += ["Reached by: " + " → ".join(trail) + ".", ""]
        call = part.call
        callee = program.funcs.get(part.callee)
        text = f"`{short(call.caller)}` calls `{short(part.callee)}` at {ctx.linker.cite(call.path, call.line)}"
        if callee is not None:
            doc = first_line(callee.decl.doc)
            text += (f"; it is defined in {ctx.linker.cite(callee.file.path, callee.decl.line)}"
                     + (f": *{doc}*" if doc else "."))
        else:
            text += "."
        lines += [text + f" {why(call, ctx.names)}", ""]
    info = program.funcs.get(part.callee)
    if info is not None:
        rows = excerpt(info.file.path, info.decl.line, before=0, after=3, hi=info.decl.end_line)
        if rows:
            lines += [format_excerpt(rows), ""]
    note = ctx.notes.for_function(part.callee) if part is not summary.overview else None
    if note:
        lines += [quote(f"**Note:** {note}"), ""]
    return lines


def reading_order(summary: FlowSummary, page: str) -> list[tuple[Step, FlowPart]]:
    """The steps with a section of their own on `page`, in the order the page shows them (as
    _Writer writes them: depth first, a small folded part's steps under its call), each with the
    part it belongs to."""
    out: list[tuple[Step, FlowPart]] = []

    def visit(steps: list[Step], part: FlowPart) -> None:
        for step in steps:
            if (step.kind is StepKind.RETURN and not step.steps) or not _is_heading(step):
                continue
            out.append((step, part))
            if step.steps:
                visit(step.steps, part)
            elif step.folded and summary.part(step.shown_in).page == page:
                sub = summary.part(step.shown_in)
                visit(sub.flow.steps, sub)

    visit(summary.part(page).flow.steps, summary.part(page))
    return out


def nearby_charts(summary: FlowSummary) -> dict[str, dict[str, str]]:
    """Part id -> the other parts drawn on its page -> `above` or `below` its flowchart: a page
    opens with its own part's chart, a small part's chart comes under the call it folds."""
    out: dict[str, dict[str, str]] = {}
    for page in summary.pages():
        at = {page.id: -1.0}
        for index, (step, _part) in enumerate(reading_order(summary, page.id)):
            if step.folded and step.shown_in and summary.part(step.shown_in).page == page.id:
                at[step.shown_in] = index + 0.5
        for part, mine in at.items():
            out[part] = {other: "above" if there < mine else "below" for other, there in at.items() if other != part}
    return out


def _shown_in(summary: FlowSummary, callee: str) -> str | None:
    """The part that shows `callee`'s steps (where it is expanded or heads a part)."""
    for part in summary.parts:
        if part.callee == callee and part.call is not None:
            return part.id
        for step in part.walk():
            if step.callee == callee and step.steps:
                return part.id
    return None


class _Writer:
    """Appends the step sections of one page to `lines`."""

    def __init__(self, ctx: Ctx, summary: FlowSummary, page: str, lines: list[str]):
        self.ctx = ctx
        self.summary = summary
        self.page = page
        self.lines = lines
        order = reading_order(summary, page)
        self.order = {id(step): index for index, (step, _part) in enumerate(order)}
        self.expanded: dict[str, int] = {}
        """Callee -> the section (in reading order) its steps follow, for those expanded on this page."""
        for index, (step, _part) in enumerate(order):
            if step.steps or (step.folded and summary.part(step.shown_in).page == page):
                self.expanded.setdefault(step.callee, index)

    def where(self, step: Step) -> str:
        """Where on this page the steps of a step's callee (expanded elsewhere) are: above or below."""
        at = self.expanded.get(step.callee)
        if at is None:
            return "elsewhere on this page"
        return "above" if at < self.order[id(step)] else "below"

    def steps(self, part: FlowPart, prefix: str) -> None:
        self.emit(part.flow.steps, prefix, part.callee)

    def emit(self, steps: list[Step], prefix: str, owner: str) -> None:
        ctx, lines = self.ctx, self.lines
        short = ctx.names.short
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
            self.section(step, label)
        if returns:
            items = "; ".join(f"{ctx.linker.cite(r.path, r.line)}" + (f" under `{r.context[-1]}`" if r.context else "")
                              for r in returns)
            lines += [f"*`{short(returns[0].caller)}` returns at:* {items}.", ""]
        if external:
            listed: list[str] = []
            for s in external:
                name = f"`{short(s.callee)}`" + (" (error path)" if s.error_path else "")
                if name not in listed:
                    listed.append(name)
            shown = ", ".join(listed[:EXTERNAL_LIMIT]) + (f" and {len(listed) - EXTERNAL_LIMIT} more"
                                                          if len(listed) > EXTERNAL_LIMIT else "")
            where = f"step {prefix[:-1]}" if prefix else f"`{short(owner)}`"
            lines += [f"*Also called in {where}, outside the code followed:* {shown}.", ""]

    def section(self, step: Step, label: str) -> None:
        ctx, lines, program = self.ctx, self.lines, self.ctx.program
        short = ctx.names.short
        verb = {"go": "go ", "defer": "defer ", "exit": "exit: ", "wait": "wait: ", "return": "return: ",
                "build": "build: "}.get(step.kind.value, "")
        title = f"### {label} {verb}`{ctx.label(step)}`" + (" (error path)" if step.error_path else "")
        lines += [title, ""]
        where = "Built in" if step.kind is StepKind.BUILD else "Called from"
        lines += [f"{where} `{short(step.caller)}` at {ctx.linker.cite(step.path, step.line)}. "
                  f"{why(step, ctx.names)}", ""]
        if step.side:
            kinds = ",".join(step.side)
            lines += [f"*Folded inside: {side_note(step.side)} (`--show {kinds}` shows them).*", ""]
        absolute = ctx.linker.absolute(step.path)
        if absolute:
            lo, hi = func_range(program, step.caller)
            after = statement_end(absolute, step.line) - step.line if step.kind is StepKind.BUILD else 2
            rows = excerpt(absolute, step.line, before=1, after=max(after, 2), lo=lo, hi=hi)
            if rows:
                lines += [format_excerpt(rows, mark=step.line), ""]
        callee = program.funcs.get(step.callee)
        if callee is not None and step.kind not in (StepKind.EXIT, StepKind.RETURN, StepKind.WAIT):
            doc = first_line(callee.decl.doc)
            lines += [f"`{short(step.callee)}` is defined in {ctx.linker.cite(callee.file.path, callee.decl.line)}"
                      + (f": *{doc}*" if doc else "."), ""]
        built = program.types.get(tuple(step.built.rsplit(".", 1))) if step.built else None
        if built is not None:
            lines += [f"`{short(step.built)}` is declared in {ctx.linker.cite(built.file.path, built.decl.line)}"
                      + (f": *{first_line(built.decl.doc)}*" if built.decl.doc.strip() else "."), ""]
        note = ctx.notes.for_step(step.caller, step.callee) or ctx.notes.for_function(step.callee)
        if note:
            lines += [quote(f"**Note:** {note}"), ""]
        if step.seen_before and step.shown_in:
            href = _link(ctx, self.summary, step.shown_in, self.page)
            home = self.summary.part(self.summary.part(step.shown_in).page)
            where = f"on the page of [`{short(home.callee)}`]({href})" if href else self.where(step)
            lines += [f"What `{short(step.callee)}` does is shown {where}.", ""]
        if step.steps:
            self.emit(step.steps, f"{label}.", step.callee)
        elif step.folded:
            sub = self.summary.part(step.shown_in)
            href = _link(ctx, self.summary, sub.id, self.page)
            steps = "Its step" if step.folded == 1 else f"Its {step.folded} steps"
            if href:
                verb = "continues on its" if step.folded == 1 else "continue on their"
                lines += [f"**{steps} {verb} own page: [`{short(sub.callee)}`]({href}).**", ""]
            else:
                lines += [f"{steps}, drawn on {'its' if step.folded == 1 else 'their'} own:", ""]
                lines += diagram(ctx, sub.id, _caption(sub, ctx.names))
                self.steps(sub, f"{label}.")
