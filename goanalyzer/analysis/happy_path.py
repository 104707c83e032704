"""The happy path: the calls that run, in run order, when nothing fails and the default command runs.

A startup flow holds every call that can happen; a reader first wants the one line through it. The
happy path keeps a step unless it is a side path (`side_path`): error handling, exits and returns,
logging, help and usage, validation. It lists every remaining statement of the entry and of the
function the default command runs, and inside the command framework only the calls that lead back
into the program (the hops: `cli.Execute` → `run` → the loaders' `Load` → the command's `Run`); of
the program's own functions it enters the default command's run function (through wrappers such as
`main$1`) and lists that function's statements without entering them.
Dispatch sites keep their run order: the implementations of an interface call are listed in the order
the program built them (Traefik's loaders slice: File, Flag, Env), a func-field call to the commands'
run functions keeps the default (root) command's, and a call with many implementations is one step.
"""

from __future__ import annotations

__all__ = ["HappyPath", "HappyStep", "SideKind", "fold_side_paths", "happy_path", "side_path"]

import enum
import re
from dataclasses import dataclass, replace
from typing import Iterable

from goanalyzer.analysis.startup_model import StartupFlow, Step, StepKind, dispatch_groups
from goanalyzer.naming import package_of

MANY = 3
"""A dispatch site with more implementations than this is one step ("23 implementations")."""

WRAPPER = 2
"""A function reached through a hop with at most this many steps is a wrapper (`main$1` calling
`runCmd`): the path goes through it into the function it wraps."""

GENERATED_WORDS = re.compile(r"^(?:DeepCopy|deepCopy|zz_generated|autoConvert|Convert_|SetObjectDefaults)")
SERVING_WORDS = re.compile(r"^(?:ServeHTTP|ServeTCP|ServeUDP|ServeDNS|ServeConn|HandleConn)$")

LOG_PACKAGES = frozenset({"log", "logrus", "klog", "glog", "zap", "zerolog", "slog", "logr", "logging"})
HELP_WORDS = re.compile(r"(?i)help|usage")
VALIDATE_WORDS = re.compile(r"^(?:[Vv]alidate|[Vv]erify|mustValidate)")


class SideKind(str, enum.Enum):
    """Why a step is off the happy path; each kind can be unfolded on its own (`--show`)."""

    ERRORS = "errors"
    LOGGING = "logging"
    HELP = "help"
    VALIDATION = "validation"
    GENERATED = "generated"
    """Generated code (DeepCopy*, zz_generated*): never worth reading step by step."""
    SERVING = "serving"
    """Code that runs once serving has begun (ServeHTTP, ServeTCP): after startup, not part of it."""


@dataclass(frozen=True, slots=True)
class HappyStep:
    """One step of the happy path; `depth` is how many calls deep it runs below the entry."""

    step: Step
    depth: int
    note: str = ""
    """What a reader should know that the step alone does not say ("stops at the first that reports done")."""


@dataclass(frozen=True, slots=True)
class HappyPath:
    entry: str
    steps: tuple[HappyStep, ...]
    after: tuple[Step, ...] = ()
    """What runs once serving has begun (`after_startup`): where request handling starts."""

    def as_flow(self, flow: StartupFlow) -> StartupFlow:
        """The happy path as a flow of its own (steps nested by depth), for the flowchart views."""
        top: list[Step] = []
        stack: list[Step] = []
        for happy in self.steps:
            step = replace(happy.step, steps=[], context=list(happy.step.context))
            del stack[happy.depth:]
            (stack[-1].steps if stack else top).append(step)
            stack.append(step)
        return replace(flow, steps=top, into=list(flow.into))


def side_path(step: Step) -> SideKind | None:
    """The side path a step belongs to, None when it is on the main line."""
    if step.error_path or step.kind in (StepKind.EXIT, StepKind.RETURN):
        return SideKind.ERRORS
    if step.kind in (StepKind.BUILD, StepKind.WAIT):
        return None
    function = _function(step.callee)
    if package_of(step.callee).rsplit("/", 1)[-1] in LOG_PACKAGES:
        return SideKind.LOGGING
    if HELP_WORDS.search(function) or any(HELP_WORDS.search(c) for c in step.context):
        return SideKind.HELP
    if VALIDATE_WORDS.match(function):
        return SideKind.VALIDATION
    if GENERATED_WORDS.match(function) or "zz_generated" in step.path:
        return SideKind.GENERATED
    if SERVING_WORDS.match(function):
        return SideKind.SERVING
    return None


def fold_side_paths(flow: StartupFlow, show: Iterable[SideKind | str] = ()) -> StartupFlow:
    """`flow` with the side paths not in `show` folded away: each body keeps a count of what it
    lost by kind (`Step.side` / `StartupFlow.side`, e.g. {"errors": 4, "logging": 3}), and a call
    with more than MANY implementations keeps its first one, counting the others
    (`Step.alternatives`). The happy path reads straight through; the counts say what is folded.
    `show` names the side paths to keep (SideKind values); "all" keeps the flow whole."""
    show = [getattr(k, "value", k) for k in show]
    if "all" in show:
        return flow
    shown = frozenset(SideKind(k) for k in show)

    def fold(steps: list[Step]) -> tuple[list[Step], dict[str, int]]:
        out: list[Step] = []
        side: dict[str, int] = {}
        for group in dispatch_groups(steps):
            kind = side_path(group[0])  # an `err.Error()` under `if err != nil` reaching 50 types: one side path
            if kind is not None and kind not in shown and all(side_path(s) is kind for s in group[1:]):
                side[kind.value] = side.get(kind.value, 0) + 1
                continue
            if len(group) > MANY:
                out.append(replace(group[0], steps=[], context=list(group[0].context),
                                   alternatives=len(group) - 1))
                continue
            for step in group:
                inner, inner_side = fold(step.steps)
                out.append(replace(step, steps=inner, context=list(step.context), side=inner_side))
        return out, side

    steps, side = fold(flow.steps)
    return replace(flow, steps=steps, into=list(flow.into), side=side)


def happy_path(flow: StartupFlow, *, root_module: str, default_runs: Iterable[str] = (),
               default_builders: Iterable[str] = ()) -> HappyPath:
    """The happy path of `flow`; `root_module` tells the program's code from its dependencies'.
    `default_runs` are the run functions of the default (root) commands and `default_builders` the
    functions that build them: a func-field call from the framework into the program (a command's
    Run, PreRun, Action) stays on the path only for those runs and the builders' closures."""
    walker = _Walker(root_module, frozenset(default_runs), tuple(f"{b}$" for b in default_builders))
    walker.visit(flow.steps, 0, in_program=True, follow=False)
    return HappyPath(flow.entry, tuple(walker.out), after_startup(flow))


def after_startup(flow: StartupFlow) -> tuple[Step, ...]:
    """The calls in `flow` that run once serving has begun (SideKind.SERVING: ServeHTTP, ServeTCP),
    each callee once, in flow order. What runs inside them is left out: they are where serving a
    request or connection starts, which is what a reader of the startup wants to know of it."""
    out: list[Step] = []
    seen: set[str] = set()

    def visit(steps: list[Step]) -> None:
        for step in steps:
            if side_path(step) is SideKind.SERVING:
                if step.callee not in seen:
                    seen.add(step.callee)
                    out.append(step)
                continue
            visit(step.steps)

    visit(flow.steps)
    return tuple(out)


class _Walker:
    def __init__(self, root_module: str, default_runs: frozenset[str], closures_of: tuple[str, ...]):
        self.root = root_module
        self.default_runs = default_runs
        self.closures_of = closures_of
        self.out: list[HappyStep] = []
        self._hops: dict[int, bool] = {}

    def visit(self, steps: list[Step], depth: int, *, in_program: bool, follow: bool) -> None:
        kept = [s for s in steps if side_path(s) is None and not s.expanded_below]
        wrapper = follow and len(kept) <= WRAPPER
        for group in dispatch_groups(kept):
            group = self._narrow(group)
            if not group:
                continue  # another command's run function
            if len(group) > MANY:
                first = group[0]
                self.out.append(HappyStep(first, depth, f"{len(group)} implementations"))
                continue
            for step in group:
                hop_below = self.hop_below(step)
                if not in_program and not hop_below and not self.is_hop(step):
                    continue  # framework plumbing that never leads back into the program
                self.out.append(HappyStep(step, depth, _note(step)))
                if step.seen_before or step.recursive:
                    continue
                runs = self.is_hop(step) and step.rule != "interface"  # the command's run function
                if hop_below or runs or wrapper:
                    self.visit(step.steps, depth + 1, in_program=self.in_root(step.callee), follow=runs or wrapper)

    def _narrow(self, group: list[Step]) -> list[Step]:
        if group[0].rule == "funcfield" and (self.default_runs or self.closures_of) \
                and any(self.is_hop(s) for s in group):  # cobra's `c.RunE(...)`: the framework's own closures too
            return [s for s in group if s.callee in self.default_runs or s.callee.startswith(self.closures_of)]
        return group

    def in_root(self, name: str) -> bool:
        package = package_of(name)
        return package == self.root or package.startswith(self.root + "/")

    def is_hop(self, step: Step) -> bool:
        """A call from a dependency back into the program through a func value or an interface."""
        return step.rule != "static" and self.in_root(step.callee) and not self.in_root(step.caller)

    def hop_below(self, step: Step) -> bool:
        key = id(step)
        if key not in self._hops:
            self._hops[key] = any(self.is_hop(s) or self.hop_below(s) for s in step.steps
                                  if side_path(s) is None)
        return self._hops[key]


def _function(name: str) -> str:
    return name.rsplit(".", 1)[-1].split("$", 1)[0]


def _note(step: Step) -> str:
    loops = [c for c in step.context if c.startswith("for ")]
    if step.rule == "interface" and loops:
        return f"each in turn ({loops[-1]})"
    return ""
