"""The startup flow cut into parts a person can read: an overview and one part per big callee.

A whole startup flow has hundreds of steps, and one flowchart of it is unreadable. Each part is
one flowchart: one function's steps and, beside them, its callees' steps, at most `depth` calls
down and as long as the part stays within `budget` steps. A callee that does not fit becomes a
folded step ("N more steps") naming the part that shows it, which is drawn on its own. The
heaviest callee is folded first, so the long path through the program ends up in parts of its
own while small helpers stay in view; a callee that only passes its work on to one call (a `Run`
closure that calls `runCmd`) is never a part by itself: the fold happens below it. Every step of
the flow is in exactly one part; a function's own steps are never cut, so a part whose function
alone has more than `budget` steps is larger than the budget.

Parts are grouped into pages: a part whose callee has at least `page_min` steps in all heads a
page of its own; a smaller one is a section of the page its call is on.

Pure: a StartupFlow in, a FlowSummary out; the flow given is not changed.
"""

from __future__ import annotations

__all__ = ["summarise_flow"]

import re
from dataclasses import replace

from goanalyzer.analysis.startup_model import MAX_PAGES, FlowPart, FlowSummary, StartupFlow, Step, StepKind
from goanalyzer.naming import short_name

PART_BUDGET = 20
"""Steps one part shows at most (beyond its own function's steps)."""

PART_DEPTH = 2
"""Levels of callees shown inside one part (a pass-through call does not count)."""

SMALL = 2
"""A callee with at most this many steps in all is not folded to save room (only at the depth limit):
a part of its own would be noise."""

PAGE_MIN = 12
"""A part whose callee has at least this many steps in all heads a page of its own."""


def summarise_flow(flow: StartupFlow, *, budget: int = PART_BUDGET, depth: int = PART_DEPTH,
                   page_min: int = PAGE_MIN, defined: dict[str, tuple[str, int]] | None = None,
                   max_pages: int | None = MAX_PAGES) -> FlowSummary:
    """The parts of `flow`: the entry's part first (id `startup`), then the folded callees' parts
    depth-first in statement order (ids `startup-<callee>`). A part's flow starts where its
    function is defined when `defined` (x/tools name -> (path, line)) knows it, else at its call.
    With more than `max_pages` pages, the threshold for a page of its own rises until they fit
    (None: every part of at least `page_min` steps heads a page)."""
    summary = _summarise(flow, budget, depth, page_min, defined or {})
    while max_pages is not None and len(summary.pages()) > max_pages:
        heads = sorted((p.call.folded for p in summary.pages() if p.call is not None), reverse=True)
        page_min = heads[max_pages - 1] + 1 if len(heads) >= max_pages else page_min + 1
        summary = _summarise(flow, budget, depth, page_min, defined or {})
    return summary


def _summarise(flow: StartupFlow, budget: int, depth: int, page_min: int,
               defined: dict[str, tuple[str, int]]) -> FlowSummary:
    parts: list[FlowPart] = []
    used: set[str] = set()
    page_of: dict[str, str] = {}

    def build(entry: StartupFlow, call: Step | None, parent: str | None, trail: list[str]) -> FlowPart:
        part_id = _unique("startup" if call is None else "startup-" + slug(entry.entry), used)
        own_page = parent is None or (call is not None and call.folded >= page_min)
        page_of[part_id] = part_id if own_page else page_of[parent]
        part = FlowPart(part_id, replace(entry, steps=[]), call, parent, trail, page_of[part_id])
        parts.append(part)
        cuts = _plan(entry.steps, budget, depth)
        folded: list[tuple[Step, Step, list[str]]] = []
        part.flow.steps = _copy(entry.steps, cuts, folded, trail)
        for original, copy, calls in folded:
            where, line = defined.get(original.callee, (original.path, original.line))
            sub = StartupFlow(original.callee, where, line, original.steps, list(flow.into), flow.depth)
            copy.shown_in = build(sub, copy, part_id, calls).id
        return part

    build(flow, None, None, [flow.entry])
    _link_seen_before(parts)
    return FlowSummary(parts, budget, depth, page_min)


def slug(name: str) -> str:
    """`(*github.com/a/cli.FileLoader).Load` -> `cli-fileloader-load`, `traefik.runCmd$1` -> `traefik-runcmd-1`."""
    return re.sub(r"[^a-z0-9]+", "-", short_name(name).lower()).strip("-") or "step"


def _unique(base: str, used: set[str]) -> str:
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}-{n}"
    used.add(name)
    return name


def size(step: Step) -> int:
    """Steps inside the callee, at every depth."""
    return sum(1 + size(s) for s in step.steps)


def _passes_through(step: Step) -> bool:
    """The callee's only step is one call with steps of its own: the callee hands its work on."""
    return len(step.steps) == 1 and bool(step.steps[0].steps) and step.steps[0].kind is StepKind.CALL


def _plan(steps: list[Step], budget: int, depth: int) -> set[int]:
    """The steps (by id()) to fold when `steps` are a part's own steps."""
    cuts: set[int] = set()

    def fold(step: Step) -> int:
        """Fold `step` (or the call it passes through to); returns the steps left in view under it."""
        hops = 0
        while _passes_through(step):
            step, hops = step.steps[0], hops + 1
        cuts.add(id(step))
        return hops

    def shown(steps: list[Step], level: int) -> int:
        total = len(steps)
        open_: list[tuple[int, int, Step]] = []
        for index, step in enumerate(steps):
            if not step.steps:
                continue
            if level >= depth:
                total += fold(step)
            elif size(step) <= SMALL:
                total += size(step)
            else:
                inner = shown(step.steps, level if _passes_through(step) else level + 1)
                open_.append((inner, index, step))
                total += inner
        for inner, _index, step in sorted(open_, key=lambda item: (-item[0], item[1])):
            if total <= budget:
                break
            total -= inner - fold(step)
        return total

    shown(steps, 1)
    return cuts


def _copy(steps: list[Step], cuts: set[int], folded: list[tuple[Step, Step, list[str]]],
          trail: list[str]) -> list[Step]:
    """The steps as the part shows them: folded steps lose their steps and say how many."""
    out = []
    for step in steps:
        calls = [*trail, step.callee]
        if id(step) in cuts:
            copy = replace(step, context=list(step.context), steps=[], folded=size(step))
            folded.append((step, copy, calls))
        else:
            copy = replace(step, context=list(step.context), steps=_copy(step.steps, cuts, folded, calls))
        out.append(copy)
    return out


def _link_seen_before(parts: list[FlowPart]) -> None:
    """A step whose callee is expanded elsewhere names the part that shows the callee's steps."""
    where: dict[str, str] = {}
    for part in parts:
        for step in part.walk():
            if step.folded:
                where.setdefault(step.callee, step.shown_in)
            elif step.steps:
                where.setdefault(step.callee, part.id)
    for part in parts:
        for step in part.walk():
            if step.seen_before and step.callee in where:
                step.shown_in = where[step.callee]
