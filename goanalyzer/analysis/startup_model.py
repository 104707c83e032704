"""The startup flow model: a tree of steps in statement order, with the control context of each."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from goanalyzer.model import Record


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


@dataclass(slots=True)
class Step(Record):
    """One call (or exit/return/wait) in the flow; `steps` are what happens inside the callee."""

    kind: StepKind
    callee: str
    """x/tools name of the function called (or a short description for returns and waits)."""
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
    """The callee was already expanded earlier in this flow: its steps are not repeated."""
    steps: list["Step"] = field(default_factory=list)

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
        }


@dataclass(slots=True)
class StartupFlow(Record):
    entry: str
    path: str
    line: int
    steps: list[Step]
    into: list[str] = field(default_factory=list)
    depth: int = 0

    def walk(self):
        for step in self.steps:
            yield from step.walk()

    def to_json(self) -> dict[str, Any]:
        return {"entry": self.entry, "position": f"{self.path}:{self.line}", "into": self.into,
                "depth": self.depth, "steps": [s.to_json() for s in self.steps]}

    def _repr_markdown_(self):  # notebooks
        from goanalyzer.docs import notebook
        return notebook.flow_markdown(self)

    def _repr_svg_(self):  # notebooks
        from goanalyzer.docs import notebook
        return notebook.flow_svg(self)
