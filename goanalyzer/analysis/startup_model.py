"""The startup flow model: a tree of steps in statement order, with the control context of each."""

from __future__ import annotations

__all__ = ["FlowPart", "FlowSummary", "StartupFlow", "Step", "StepKind"]

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from goanalyzer.model import Record
from goanalyzer.naming import short_name


ERROR_CONDITION = re.compile(r"\berr\w*\s*!=\s*nil|!\s*ok\b|\bok\s*==\s*false")
"""A condition that checks for an error (`err != nil`, `!ok`): the steps under it are an error path."""


def checks_error(condition: str) -> bool:
    """Whether a condition holds only on an error: `err != nil`, `!ok`, `err != nil && x`, and
    `||` of such; `err != nil || isPlugin(c)` holds without one too (docker's plugin dispatch)."""
    alternatives = _operands(condition, "||")
    if len(alternatives) > 1:
        return all(checks_error(part) for part in alternatives)
    conjuncts = _operands(condition, "&&")
    if len(conjuncts) > 1:
        return any(checks_error(part) for part in conjuncts)
    term = condition.strip()
    if term.startswith("(") and _closing(term, 0) == len(term) - 1:
        return checks_error(term[1:-1])
    return bool(ERROR_CONDITION.search(term))


def _operands(condition: str, operator: str) -> list[str]:
    """The operands of a condition's top-level `operator` (the condition itself when it has none)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(condition):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and condition.startswith(operator, index):
            parts.append(condition[start:index])
            start = index + len(operator)
    return [*parts, condition[start:]]


def _closing(text: str, opening: int) -> int:
    """The index of the bracket closing the one at `opening` (-1 when unbalanced)."""
    depth = 0
    for index in range(opening, len(text)):
        depth += 1 if text[index] in "([{" else -1 if text[index] in ")]}" else 0
        if depth == 0:
            return index
    return -1


def is_error_check(condition: str) -> bool:
    """`if err != nil` and the like (not their `else`)."""
    return condition.startswith("if ") and checks_error(condition[3:])


class StepKind(str, enum.Enum):
    CALL = "call"
    GO = "go"
    """A call under a `go` statement or handed to a goroutine helper."""
    DEFER = "defer"
    EXIT = "exit"
    """os.Exit, log.Fatal*, logrus.Exit, panic: the program ends here."""
    RETURN = "return"
    WAIT = "wait"
    """select, channel receive, ctx.Done(), Wait(): the flow blocks here."""
    BUILD = "build"
    """A statement that builds a value of the program's own types with a composite literal:
    `cmdTraefik := &cli.Command{...}`, `loaders := []cli.ResourceLoader{&tcli.FileLoader{}, ...}`.
    A startup is made of such values as much as of calls; which literals count, and why, is
    goanalyzer/analysis/startup_builds.py's docstring."""
    MORE = "more"
    """The calls of a huge body (generated code: a 40,000-call init) left out of the flow: one step
    says how many, so no view is handed a graph no reader (and no Graphviz) can take."""


MAX_PAGES = 26
"""Startup pages a flow's summary has by default (with the index and the other pages, a walkthrough
stays under 30): past it, smaller parts go on their parent's page."""

DESCRIBED = frozenset({StepKind.RETURN, StepKind.BUILD, StepKind.MORE})
"""Kinds whose `callee` describes the statement (`return err`, `loaders := ...`) rather than naming
a function: shown as written, never shortened as a name."""


INIT_PHASE = "package initialisation"
"""The label of the folded step that runs before main's first statement: the main package's
synthetic `P.init` (analysis/startup_init.py)."""


def is_init_phase(step: "Step") -> bool:
    """The step `main` starts with: its package's `P.init`, which Go runs before `main`."""
    return step.kind is StepKind.CALL and step.caller.endswith(".main") and step.callee == step.caller[:-5] + ".init"


def dispatch_groups(steps: list["Step"]) -> list[list["Step"]]:
    """Consecutive steps of one call site (an interface or func-value call's implementations)."""
    groups: list[list["Step"]] = []
    for step in steps:
        last = groups[-1][-1] if groups else None
        if last is not None and step.rule != "static" and (last.path, last.line, last.col, last.rule) == \
                (step.path, step.line, step.col, step.rule):
            groups[-1].append(step)
        else:
            groups.append([step])
    return groups


def step_label(step: "Step") -> str:
    """What a view calls the step: the short function name, or the description as written; a call
    whose other implementations are folded says how many there are."""
    label = INIT_PHASE if is_init_phase(step) else step.callee if step.kind in DESCRIBED else short_name(step.callee)
    return f"{label} (+{step.alternatives} implementations)" if step.alternatives else label


SIDE_WORDS = {"errors": ("error path", "error paths"), "help": ("help path", "help paths"),
              "validation": ("validation", "validations"), "generated": ("generated call", "generated calls"),
              "serving": ("call after startup", "calls after startup")}


def side_note(side: dict[str, int]) -> str:
    """`3 error paths, logs twice`: what fold_side_paths left out of one body."""
    parts = []
    for kind, count in side.items():
        if kind == "logging":
            parts.append("logs once" if count == 1 else "logs twice" if count == 2 else f"logs {count} times")
        else:
            one, many = SIDE_WORDS.get(kind, (kind, kind))
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)


@dataclass(slots=True)
class Step(Record):
    """One call (or exit/return/wait/build) in the flow; `steps` are what happens inside the callee."""

    kind: StepKind
    callee: str
    """x/tools name of the function called (or a short description for returns, waits and builds)."""
    caller: str
    path: str
    line: int
    col: int
    rule: str = "static"
    """How the callee was resolved: static, interface, funcfield, funcvalue."""
    context: list[str] = field(default_factory=list)
    """Enclosing conditions and loops, outermost first: `if err != nil`, `for ... range`, `select`."""
    error_path: bool = False
    """Under an `if err != nil` (or similar) condition."""
    recursive: bool = False
    """The callee is already on the path: not expanded again."""
    external: bool = False
    """The callee is outside the expanded packages: not expanded."""
    seen_before: bool = False
    """The callee is expanded at another step of this flow (earlier, or further down in the same
    body: see `expanded_below`): its steps are not repeated."""
    expanded_below: bool = False
    """seen_before, and the callee's steps are shown further down in this same body, at its least
    nested call (a guard clause's `return cmd.Run(args)` before the main path's)."""
    steps: list["Step"] = field(default_factory=list)
    folded: int = 0
    """In a part of a FlowSummary: how many steps inside the callee were left out here."""
    shown_in: str = ""
    """In a part of a FlowSummary: the id of the part that shows the callee's steps (folded or
    seen_before steps)."""
    built: str = ""
    """For a build step: the qualified name of the program's type the value is made of
    (`github.com/traefik/paerser/cli.Command`; a collection's element type)."""
    side: dict[str, int] = field(default_factory=dict)
    """Side paths folded out of the callee's steps, counted by kind (`fold_side_paths`)."""
    alternatives: int = 0
    """Other implementations of this dynamic call, folded into this one step (`fold_side_paths`)."""

    @property
    def position(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def walk(self):
        yield self
        for step in self.steps:
            yield from step.walk()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value, "callee": self.callee, "caller": self.caller, "position": self.position,
            "rule": self.rule, "context": self.context, "error_path": self.error_path,
            "recursive": self.recursive, "external": self.external, "seen_before": self.seen_before,
            "steps": [s.to_json() for s in self.steps],
        } | ({"folded": self.folded} if self.folded else {}) | ({"shown_in": self.shown_in} if self.shown_in else {}) \
            | ({"expanded_below": True} if self.expanded_below else {}) \
            | ({"built": self.built} if self.built else {}) | ({"side": self.side} if self.side else {}) \
            | ({"alternatives": self.alternatives} if self.alternatives else {})


@dataclass(slots=True)
class StartupFlow(Record):
    entry: str
    path: str
    line: int
    steps: list[Step]
    into: list[str] = field(default_factory=list)
    depth: int = 0
    side: dict[str, int] = field(default_factory=dict)
    """Side paths folded out of the entry's own steps, counted by kind (`fold_side_paths`)."""

    def walk(self):
        for step in self.steps:
            yield from step.walk()

    def to_json(self) -> dict[str, Any]:
        return {"entry": self.entry, "position": f"{self.path}:{self.line}", "into": self.into,
                "depth": self.depth, "steps": [s.to_json() for s in self.steps]}

    def summary(self, *, defined: dict[str, tuple[str, int]] | None = None,
                max_pages: int | None = MAX_PAGES) -> FlowSummary:
        """The flow as people read it (outlined), cut into parts and at most `max_pages` pages (None:
        no cap); `defined` (x/tools name -> (path, line)) starts each part where its function is defined."""
        from goanalyzer.analysis.startup import outline_flow
        from goanalyzer.analysis.startup_summary import summarise_flow
        return summarise_flow(outline_flow(self), defined=defined, max_pages=max_pages)

    def _repr_markdown_(self):  # notebooks
        from goanalyzer.views import notebook
        return notebook.flow_markdown(self)


@dataclass(slots=True)
class FlowPart(Record):
    """One readable piece of a startup flow: a function's steps, with callees that did not fit
    folded into single steps that name the part showing them."""

    id: str
    """Stable slug, unique in the summary: `startup` for the overview, `startup-<callee>` otherwise."""
    flow: StartupFlow
    """The part as a flow of its own: `entry` is the function shown, `steps` its (folded) steps."""
    call: Step | None = None
    """The step that calls this part's function, in the parent part (None for the overview)."""
    parent: str | None = None
    """Id of the part holding `call`."""
    trail: list[str] = field(default_factory=list)
    """x/tools names of the calls from the entry down to this part's function, both included."""
    page: str = ""
    """Id of the part heading the page this part is on (its own id when it heads one)."""

    @property
    def callee(self) -> str:
        return self.flow.entry

    def walk(self):
        return self.flow.walk()


@dataclass(slots=True)
class FlowSummary(Record):
    """A startup flow cut into parts: the overview (the entry) first, then the others depth-first
    in statement order. Every step of the flow is in exactly one part."""

    parts: list[FlowPart]
    budget: int
    depth: int
    page_min: int = 0

    @property
    def overview(self) -> FlowPart:
        return self.parts[0]

    def part(self, part_id: str) -> FlowPart:
        return next(p for p in self.parts if p.id == part_id)

    def children(self, part_id: str) -> list[FlowPart]:
        return [p for p in self.parts if p.parent == part_id]

    def pages(self) -> list[FlowPart]:
        """The parts that head a page, overview first."""
        return [p for p in self.parts if p.page == p.id]

    def _repr_markdown_(self):  # notebooks
        from goanalyzer.views import notebook
        return notebook.summary_markdown(self)

    def _repr_svg_(self):  # notebooks
        from goanalyzer.views import notebook
        return notebook.summary_svg(self)
