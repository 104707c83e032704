"""What the walk of every loaded function body found: call sites, closures, struct literals, and
the value-flow facts the dynamic rules and the command analysis need. Plain data; the walk is
walk.py (with body.py, scope.py, callees.py and valueflow.py), the expansion of references values.py.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from goanalyzer.model import FileFacts
from goanalyzer.resolve.refs import CallTarget, FieldCall, FuncRef, InterfaceCall, LiteralRef, ParamRef, StaticCall, ValueCall
from goanalyzer.syntax.ir import FuncLit


class Rule(enum.StrEnum):
    """How a call's callee was found (x/tools' algorithms name the same split): the callee named in
    the code, or one of the dynamic rules. A StrEnum: it prints and serialises as its value."""

    STATIC = "static"
    INTERFACE = "interface"
    FUNCFIELD = "funcfield"
    FUNCVALUE = "funcvalue"


@dataclass(slots=True)
class CallSite:
    """A call found in a body and what its function expression denotes."""

    caller: str
    file: str
    line: int
    col: int
    target: CallTarget
    go: bool = False
    defer: bool = False

    @property
    def callee(self) -> str | None:
        """The function a static call names (None for a call through a local or a dynamic one)."""
        return self.target.callee if isinstance(self.target, StaticCall) else None

    @property
    def rule(self) -> str:
        """The rule that resolves it: static for a named function or a local known at the call."""
        if isinstance(self.target, InterfaceCall):
            return Rule.INTERFACE
        if isinstance(self.target, FieldCall):
            return Rule.FUNCFIELD
        if isinstance(self.target, ValueCall):
            return Rule.FUNCVALUE
        return Rule.STATIC


@dataclass(slots=True)
class Closure:
    name: str
    parent: str
    package: str
    file: FileFacts
    lit: FuncLit


@dataclass(slots=True)
class FieldValue:
    """A field set in a struct literal: its text and what it refers to."""

    text: str
    funcs: set = field(default_factory=set)
    """Function names and `refs.FuncRef`s."""
    literals: set = field(default_factory=set)
    """Struct literals (ids, or `refs.LiteralRef`s) the value holds, e.g. sub-commands."""
    made: set = field(default_factory=set)
    """Named types constructed in the value (`pkg.T`), e.g. the loaders in Resources; a
    `refs.ParamRef` when the value is a parameter (see `ValueFlow.made_types`)."""


@dataclass(slots=True)
class LiteralFact:
    """A composite literal of a named struct type, found in a walked body (also a keyed literal of a
    named type whose non-standard package is not loaded: a struct, its fields by name)."""

    id: str
    type: tuple[str, str]
    caller: str
    file: str
    line: int
    col: int
    fields: dict[str, FieldValue] = field(default_factory=dict)
    parent: str | None = None
    """The literal this one is nested in, with the field it sits in."""
    parent_field: str | None = None
    copy_of: frozenset = frozenset()
    """For a copy of a struct (`cmd := *NewPsCommand(cli)`, a new value at run time): the literal
    refs it copies; its fields start as theirs (docker's `ls`, a renamed copy of `ps`)."""


@dataclass(slots=True)
class Link:
    """A method call whose receiver or arguments are (or return) struct literals: `a.AddCommand(b)`."""

    caller: str
    method: str
    receiver: set[str | LiteralRef]
    args: list[set[str | LiteralRef]]
    file: str
    line: int
    col: int


@dataclass(slots=True)
class FieldUse:
    owner: tuple[str, str]
    field: str
    caller: str
    file: str
    line: int
    col: int
    call: bool
    assigned: bool = False
    """The target of an assignment (`CmdBuild.Run = runBuild`, `x.n++`), not a read."""


@dataclass
class Sites:
    """What the walk found, for the dynamic rules and the graph."""

    calls: list[CallSite] = field(default_factory=list)
    closures: dict[str, Closure] = field(default_factory=dict)
    field_stores: dict[tuple, set[str | FuncRef]] = field(default_factory=dict)
    """(struct key, field name) -> functions stored there."""
    value_stores: dict[tuple, set[str | FuncRef]] = field(default_factory=dict)
    """A func-typed variable or parameter (a `scope.LocalVar.key`, ("param", function, index) or
    ("global", package, name)) -> functions assigned or passed to it."""
    constructed: set[tuple[str, str]] = field(default_factory=set)
    """Named types a value of which is made somewhere (literal, new, conversion, constructor result)."""
    returned: dict[str, set[str | FuncRef]] = field(default_factory=dict)
    """Function -> functions it returns (factories of closures)."""
    returned_at: dict[tuple[str, int], set[str | FuncRef]] = field(default_factory=dict)
    """(function, result index) -> functions its `return` statements give at that index, for
    functions of several results."""
    named_results: dict[tuple[str, int], tuple] = field(default_factory=dict)
    """(function, result index) -> the key of its named result variable (a bare `return` gives it)."""
    callers_walked: set[str] = field(default_factory=set)
    literals: dict[str, LiteralFact] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    returned_literals: dict[str, set[str | LiteralRef]] = field(default_factory=dict)
    literal_stores: dict[tuple, set[str | LiteralRef]] = field(default_factory=dict)
    """("global", pkg, name) -> literal refs assigned to a package-level var."""
    field_uses: list[FieldUse] = field(default_factory=list)
    field_assigns: list[tuple[set[str | LiteralRef], str, FieldValue]] = field(default_factory=list)
    """`x.F = v` where x holds struct literals, in walk order: (literal refs of x, F, what v is). A
    command filled in after its literal (`CmdBuild.Run = runBuild`, `app.Name = ...` after
    `cli.NewApp()`) and children attached by assignment (`parent.Commands = ...`) come from here."""
    case_types: dict[tuple, Any] = field(default_factory=dict)
    """The variable of a type switch's func case (its `scope.LocalVar.key`) -> the func type that case
    demands: only functions of that signature reach it (narrowed once every body is walked)."""
    passed_made: dict[tuple[str, int], set[str | ParamRef]] = field(default_factory=dict)
    """(function, parameter index) -> named types constructed in what its callers pass there (a
    FieldValue's `made` may name the parameter: healthcheck.NewCmd's `Resources: loaders`)."""
    passed_literals: dict[tuple[str, int], set[str | LiteralRef]] = field(default_factory=dict)
    """(function, parameter index) -> the struct literals its callers pass there (a variadic
    parameter's: every argument from its index on)."""
    call_literals: dict[str, list[tuple]] = field(default_factory=dict)
    """Function -> for each static call of it passing struct literals, per parameter a
    `refs.ArgRefs` of them: a helper attaching what it is given (`AddGroup(parent, cmds...)` calling
    `parent.AddCommand(c)`) pairs each call's parent with that call's commands."""
    passed: dict[tuple[str, str, int, int], dict[int, set[str | FuncRef]]] = field(default_factory=dict)
    """(caller, file, line, col) of a static call -> argument index -> the functions passed there:
    what a goroutine helper (`safe.Go(func() {...})`) runs, at this call rather than at any."""

    def store(self, table: dict, key: Any, values: set) -> None:
        if values:
            table.setdefault(key, set()).update(values)
