"""The startup flow: from an entry function, the calls in statement order, descending into callees
of the module (and of chosen dependencies), with the control context of each step.

Which function a call reaches comes from the call graph (so dynamic hops such as a Run field or a
ResourceLoader interface are followed); the order and the context come from the body's statements.
Besides calls, the flow shows where a body builds a value of the program's own types with a
composite literal (a build step, after the calls its fields make: startup_builds.py).
"""

from __future__ import annotations

__all__ = ["in_build_order", "outline_flow", "startup_flow"]

import re
from dataclasses import replace
from typing import Any

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.analysis.entry import default_entry
from goanalyzer.analysis.startup_builds import Builds
from goanalyzer.analysis.startup_init import init_phase
from goanalyzer.analysis.startup_model import StartupFlow, Step, StepKind, checks_error, dispatch_groups
from goanalyzer.errors import NotFoundError
from goanalyzer.model import FileFacts, SymbolKind
from goanalyzer.naming import package_of
from goanalyzer.program import Program, resolve_name
from goanalyzer.resolve.resolution import sites_of
from goanalyzer.resolve.values import ValueFlow
from goanalyzer.syntax.ir import expr_text

EXIT_FUNCS = re.compile(r"^(os\.Exit|log\.(Fatal|Panic)\w*|github\.com/sirupsen/logrus\.(Exit|Fatal\w*|Panic\w*)|"
                        r"\(\*github\.com/sirupsen/logrus\.(Logger|Entry)\)\.(Exit|Fatal\w*|Panic\w*)|"
                        r"k8s\.io/klog(/v2)?\.(Fatal\w*|Exit\w*)|runtime\.Goexit|syscall\.Exit)$")
WAIT_METHODS = re.compile(r"\)\.(Wait|Done)$")


def startup_flow(program: Program, cg: CallGraph, entry: str = "main", depth: int | None = None,
                 into: tuple[str, ...] | list[str] = ()) -> StartupFlow:
    """The flow from `entry` (a function name or suffix; `main` is the default entry of
    analysis/entry.py: the main package at PATH, else the module's primary command)."""
    bodies = _bodies(program, cg)
    candidates = sorted(bodies)
    choice = default_entry(program, cg) if entry == "main" else None
    try:
        name = choice.name if choice is not None else resolve_name(entry, candidates, "entry function")
    except NotFoundError as error:
        if entry in program.funcs:  # declared, but its body could not be read (nested too deeply)
            return _unread_entry(program, entry, into, depth)
        mains = [c for c in candidates if c.endswith(".main")]
        raise NotFoundError(f"no entry function {entry!r}", candidates=mains or error.candidates) from None
    if name not in bodies and name in program.funcs:
        return _unread_entry(program, name, into, depth)
    walker = _FlowWalker(program, cg, bodies, depth, tuple(into))
    body, facts, line = bodies[name]
    steps = walker.function(name, [name])
    if depth != 0:  # what runs before main, one level down: startup_init.py
        inits = _FlowWalker(program, cg, bodies, depth - 1 if depth else None, tuple(into))
        phase = init_phase(program, cg, inits, name)
        steps = [phase, *steps] if phase is not None else steps
    return in_build_order(StartupFlow(entry=name, path=program.display_path(facts.path), line=line, steps=steps,
                                      into=list(into), depth=depth or 0))


def _unread_entry(program: Program, name: str, into, depth: int | None) -> StartupFlow:
    """The flow of an entry whose body could not be read: one step that says so."""
    info = program.funcs[name]
    path = program.display_path(info.file.path)
    gap = Step(StepKind.MORE, "(its body could not be read)", name, path, info.decl.line, 1)
    return StartupFlow(entry=name, path=path, line=info.decl.line, steps=[gap], into=list(into), depth=depth or 0)


def _bodies(program: Program, cg: CallGraph) -> dict[str, tuple[Any, Any, int]]:
    """x/tools name -> (body IR, file facts, line) for every function and closure with a body."""
    out: dict[str, tuple[Any, Any, int]] = {}
    for info in program.funcs.values():
        if info.decl.body is not None:
            out[info.name] = (info.body, info.file, info.decl.line)
    for name, closure in sites_of(program).closures.items():
        if closure.lit.body is not None:
            out[name] = (closure.lit.body, closure.file, closure.lit.line)
    return out


class _FlowWalker:
    def __init__(self, program: Program, cg: CallGraph, bodies: dict, depth: int | None, into: tuple[str, ...]):
        self.program = program
        self.cg = cg
        self.bodies = bodies
        self.depth = depth
        self.into = into
        self.builds = Builds(program)
        self.expanded: set[str] = set()
        self.flow = ValueFlow(sites_of(program))
        self.passed = self.flow.sites.passed
        """The functions each call passes (what a goroutine helper runs)."""
        self.site_index: dict[tuple[str, str, int, int], list[tuple[str, str]]] = {}
        for caller, callee, data in cg.graph.edges(data=True):
            for site in data["sites"]:
                self.site_index.setdefault((caller, site.path, site.line, site.col), []).append((callee, site.rule))

    def expandable(self, callee: str) -> bool:
        if callee not in self.bodies:
            return False
        node = self.cg.graph.nodes.get(callee, {})
        package = node.get("package", "")
        if node.get("std"):
            return False
        root = self.program.packages.get(package)
        return (root is not None and root.is_root) or any(package.startswith(p) for p in self.into)

    def function(self, name: str, stack: list[str]) -> list[Step]:
        body, facts, _line = self.bodies[name]
        ctx = _Context(self, name, facts, self.program.display_path(facts.path), stack)
        ctx.block(body, [], False)
        steps, calls = _at_most(ctx.steps, ctx.calls, name)
        self.expand_calls(calls, stack)
        return steps

    def values(self, name: str, package: str) -> list[Step]:
        """The steps of a package's var initialisers (`name` is its `P.init`), files in order."""
        steps: list[Step] = []
        calls: list[Step] = []
        for facts in sorted(self.program.packages[package].files, key=lambda f: f.path):
            ctx = _Context(self, name, facts, self.program.display_path(facts.path), [name])
            for spec in facts.values:
                if spec.kind is SymbolKind.VAR and spec.values:
                    ctx.statement(("var", spec.names, spec.type, spec.values, spec.line), [], False)
            steps += ctx.steps
            calls += ctx.calls
        self.expand_calls(calls, [name])
        return steps

    def expand_calls(self, calls: list[Step], stack: list[str]) -> None:
        """Expand one body's calls in statement order, except that a callee called several times
        here is expanded at its least nested call: the main path rather than a guard clause.
        paerser's run calls `cmd.Run` under `if cmd.Configuration == nil { return ... }` and again
        after the loaders' loop; the flow reads loaders, then Run's steps."""
        main_call: dict[str, int] = {}
        for index, step in enumerate(calls):
            best = main_call.get(step.callee)
            if best is None or len(step.context) < len(calls[best].context):
                main_call[step.callee] = index
        for index, step in enumerate(calls):
            if main_call[step.callee] == index:
                self.expand(step, stack)
        for index, step in enumerate(calls):
            if main_call[step.callee] != index:
                self.expand(step, stack)
                step.expanded_below = step.seen_before and index < main_call[step.callee] \
                    and bool(calls[main_call[step.callee]].steps)

    def expand(self, step: Step, stack: list[str]) -> None:
        callee = step.callee
        if callee in stack:
            step.recursive = True
            return
        if not self.expandable(callee):
            step.external = callee not in self.bodies
            return
        if self.depth is not None and len(stack) > self.depth:
            return
        if len(stack) > MAX_FLOW_DEPTH:  # a generated chain f0 -> f1 -> ... -> f5000
            step.steps = [Step(StepKind.MORE, f"… calls deeper than {MAX_FLOW_DEPTH} left out", callee, step.path,
                               step.line, step.col)]
            return
        if callee in self.expanded:
            step.seen_before = True
            return
        self.expanded.add(callee)
        step.steps = self.function(callee, [*stack, callee])


class _Context:
    """The walk of one body, collecting steps in statement order."""

    def __init__(self, walker: _FlowWalker, caller: str, facts: FileFacts, path: str, stack: list[str]):
        self.w = walker
        self.caller = caller
        self.file = facts.path
        self.scope = walker.builds.scope(facts)
        """What the body's file can name: the types of the literals it builds."""
        self.path = path
        self.stack = stack
        self.steps: list[Step] = []
        self.calls: list[Step] = []
        """The steps that call a function (expanded once the whole body is read)."""
        self.line = 0
        """The line of the statement being read (a channel receive has no position of its own)."""

    def block(self, block: Any, context: list[str], error: bool) -> None:
        if block is None:
            return
        for statement in block[1]:
            self.statement(statement, context, error)

    def statement(self, s: Any, context: list[str], error: bool) -> None:  # noqa: C901
        if s is None:
            return
        tag = s[0]
        self.line = s[-1] if isinstance(s[-1], int) else self.line
        if tag == "expr":
            self.expr(s[1], context, error)
        elif tag in ("define", "var", "assign"):
            values = s[2] if tag == "define" else s[3]
            builds = self.w.builds.statement(s, self.scope)
            for value, build in zip(values, builds or [None] * len(values)):
                self.expr(value, context, error)  # the calls that make the value's fields come first
                if build is not None:
                    self.steps.append(Step(StepKind.BUILD, build.text, self.caller, self.path, build.line, build.col,
                                           context=list(context), error_path=error, built=build.type))
        elif tag in ("go", "defer"):
            kind = StepKind.GO if tag == "go" else StepKind.DEFER
            call = s[1]
            if call[0] == "call":
                for arg in call[2]:
                    self.expr(arg, context, error)
                self.call(call, context, error, kind, position=(s[3], s[2]))
        elif tag == "return":
            for value in s[1]:
                self.expr(value, context, error)
            text = ", ".join(expr_text(v, 40) for v in s[1])
            if context:
                self.steps.append(Step(StepKind.RETURN, f"return {text}".strip(), self.caller, self.path, s[2], 1,
                                       context=list(context), error_path=error))
        elif tag in ("block", "decls"):
            self.block(s, context, error)
        elif tag == "if":
            self.statement(s[1], context, error)
            self.expr(s[2], context, error)
            condition = expr_text(s[2], 60)
            is_error = checks_error(condition)
            self.block(s[3], [*context, f"if {condition}"], error or is_error)
            if s[4] is not None:
                self.statement(s[4], [*context, f"else (not {condition})"], error)
        elif tag == "for":
            self.statement(s[1], context, error)
            label = "for " + (expr_text(s[2], 50) if s[2] is not None else "(ever)")
            self.block(s[4], [*context, label + _until(s[4])], error)
        elif tag == "range":
            self.expr(s[3], context, error)
            self.block(s[4], [*context, f"for range {expr_text(s[3], 50)}{_until(s[4])}"], error)
        elif tag == "switch":
            self.statement(s[1], context, error)
            for values, body, default in s[3]:
                label = "default" if default else "case " + ", ".join(expr_text(v, 30) for v in values)
                for statement in body:
                    self.statement(statement, [*context, f"switch {label}"], error)
        elif tag == "typeswitch":
            self.statement(s[1], context, error)
            for _types, body, default in s[4]:
                for statement in body:
                    self.statement(statement, [*context, "type switch" + (" default" if default else "")], error)
        elif tag == "select":
            self.steps.append(Step(StepKind.WAIT, "select", self.caller, self.path, s[2], 1, context=list(context),
                                   error_path=error))
            for comm, body in s[1]:
                label = "select case " + (_comm_text(comm) if comm is not None else "default")
                self.statement(comm, [*context, label], error)
                for statement in body:
                    self.statement(statement, [*context, label], error)
        elif tag == "labeled":
            self.statement(s[2], context, error)

    def expr(self, e: Any, context: list[str], error: bool) -> None:
        tag = e[0]
        if tag == "call":
            function = e[1]
            if function[0] != "funclit":
                self._inner(function, context, error)
            for arg in e[2]:
                self.expr(arg, context, error)
            self.call(e, context, error, StepKind.CALL)
        elif tag == "unary":
            self.expr(e[2], context, error)
            if e[1] == "<-":
                self.steps.append(Step(StepKind.WAIT, f"<-{expr_text(e[2], 40)}", self.caller, self.path, self.line, 1,
                                       context=list(context), error_path=error))
        elif tag == "binary":
            self.expr(e[2], context, error)
            self.expr(e[3], context, error)
        elif tag == "lit":
            for key, value in e[2]:
                self.expr(value, context, error)
        elif tag in ("sel", "index", "slice", "assert"):
            self._inner(e, context, error)

    def _inner(self, e: Any, context: list[str], error: bool) -> None:
        """Calls inside the operand of a selector, index, slice or assertion (`f().x`)."""
        if e[0] in ("sel", "index", "slice", "assert"):
            self.expr(e[1], context, error)
        if e[0] == "slice":
            for bound in e[2:5]:
                if bound is not None:
                    self.expr(bound, context, error)

    def call(self, e: Any, context: list[str], error: bool, kind: StepKind,
             position: tuple[int, int] | None = None) -> None:
        line, col = position or (e[3], e[4])
        targets = sorted(self.w.site_index.get((self.caller, self.path, line, col), []))
        if not targets:
            return
        passed = self.w.passed.get((self.caller, self.file, line, col), {})
        goroutines = sorted(self.w.flow.functions(set().union(*passed.values()))) \
            if passed and kind is StepKind.CALL and _is_go_helper(targets[0][0]) else []
        for callee, rule in targets:
            step_kind = kind
            if EXIT_FUNCS.match(callee):
                step_kind = StepKind.EXIT
            elif kind is StepKind.CALL and WAIT_METHODS.search(callee):
                step_kind = StepKind.WAIT
            step = Step(step_kind, callee, self.caller, self.path, line, col, rule=rule, context=list(context),
                        error_path=error)
            self.steps.append(step)
            if goroutines and step_kind is StepKind.CALL:
                step.context.append("goroutine helper")  # plumbing: what it runs follows, as `go` steps
            else:
                self.calls.append(step)
        for function in goroutines:
            step = Step(StepKind.GO, function, self.caller, self.path, line, col, rule="funcvalue",
                        context=list(context), error_path=error)
            self.steps.append(step)
            self.calls.append(step)


MAX_FLOW_DEPTH = 60
"""The flow descends at most this many calls: each level costs every view a few frames of
recursion, and no reader follows a startup 60 calls down (a deeper chain is generated code)."""

MAX_BODY_STEPS = 200
"""A body with more steps than this is generated code (tables of registrations, huge switches):
the flow keeps its first KEPT_STEPS and one `more` step for the rest."""
KEPT_STEPS = 50


def _at_most(steps: list[Step], calls: list[Step], caller: str) -> tuple[list[Step], list[Step]]:
    """A body's steps and calls, cut to KEPT_STEPS (with a step saying how many are left out) when
    there are more than MAX_BODY_STEPS; only the kept calls are expanded."""
    if len(steps) <= MAX_BODY_STEPS:
        return steps, calls
    kept, rest = steps[:KEPT_STEPS], steps[KEPT_STEPS:]
    first = rest[0]
    more = Step(StepKind.MORE, f"… and {len(rest):,} more steps (a generated body?)", caller, first.path,
                first.line, first.col)
    ids = {id(step) for step in kept}
    return [*kept, more], [call for call in calls if id(call) in ids]


def _comm_text(comm: Any) -> str:
    if comm[0] == "expr":
        return expr_text(comm[1], 40)
    if comm[0] in ("define", "assign"):
        values = comm[2] if comm[0] == "define" else comm[3]
        return expr_text(values[0], 40) if values else "..."
    if comm[0] == "send":
        return f"{expr_text(comm[1], 20)} <- ..."
    return "..."


def _is_go_helper(callee: str) -> bool:
    last = callee.rsplit(".", 1)[-1]
    return last.startswith("Go") or last in ("go", "Go")


def _until(body) -> str:
    """`, until done` for a loop whose body stops it early with `if done { break }` (paerser's loaders
    run in turn until one reports it is done): the loop's label says so."""
    statements = body[1] if isinstance(body, tuple) and body and body[0] == "block" else []
    for statement in statements:
        if statement[0] == "if" and statement[4] is None and _breaks(statement[3]):
            return f", until {expr_text(statement[2], 40)}"
    return ""


def _breaks(block) -> bool:
    statements = block[1] if isinstance(block, tuple) and block and block[0] == "block" else []
    return len(statements) == 1 and statements[0][:2] == ("branch", "break")


def in_build_order(flow: StartupFlow) -> StartupFlow:
    """`flow` with the implementations of each dispatch site in the order the program built their
    types (Traefik's `loaders := []cli.ResourceLoader{&tcli.FileLoader{}, &tcli.FlagLoader{}, ...}`
    makes `resource.Load` run File, Flag, Env), not in name order; types never built stay last, by name."""
    built = [s.callee for s in flow.walk() if s.kind is StepKind.BUILD]

    def rank(step: Step) -> tuple[int, str]:
        receiver = _receiver(step.callee)
        for index, text in enumerate(built):
            if receiver and receiver in text:
                return index * 10_000 + text.index(receiver), step.callee
        return 1 << 30, step.callee

    def order(steps: list[Step]) -> list[Step]:
        out: list[Step] = []
        for group in dispatch_groups(steps):
            if len(group) > 1:
                group = sorted(group, key=rank)
            out += [replace(s, steps=order(s.steps), context=list(s.context)) for s in group]
        return out

    return replace(flow, steps=order(flow.steps), into=list(flow.into))


def _receiver(name: str) -> str:
    """`(*github.com/x/pkg/cli.FileLoader).Load` -> `.FileLoader{`: how a literal of it is written,
    whatever the package is imported as (`&tcli.FileLoader{}`)."""
    if not name.startswith("("):
        return ""
    inner = name[1:name.index(")")].lstrip("*")
    return "." + inner.rsplit(".", 1)[-1] + "{"


SHUTDOWN_WIRING = ("os/signal.", "context.WithCancel", "context.WithTimeout", "context.WithDeadline")
"""Standard-library calls kept in an outline: how the program learns it must stop
(`signal.NotifyContext`, `signal.Notify`, a cancellable context) is part of how it runs."""


def outline_flow(flow: StartupFlow) -> StartupFlow:
    """The flow as people read it: calls into the standard library or unexpanded externals that
    lead nowhere are dropped, but for the shutdown wiring (SHUTDOWN_WIRING); exits, waits,
    goroutines, defers, builds, dynamic hops, returns (they end a branch, so a flowchart must not
    join that branch to the next statement) and every step with steps of its own are kept."""

    def prune(steps: list[Step]) -> list[Step]:
        out = []
        for step in steps:
            if step.kind is StepKind.CALL and not step.steps and _is_std(step.callee) \
                    and not step.callee.startswith(SHUTDOWN_WIRING):
                continue  # a std function with no steps of its own (log.Println, fmt.Errorf)
            out.append(replace(step, context=list(step.context), steps=prune(step.steps)))
        return out

    return replace(flow, steps=prune(flow.steps), into=list(flow.into))


def _is_std(name: str) -> bool:
    return "." not in package_of(name).split("/", 1)[0]
