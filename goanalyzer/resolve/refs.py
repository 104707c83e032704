"""What travels from the body walk to the analyses: references that a value set may hold beside
plain function names (expanded by `values.ValueFlow` once every body is walked), and the target
of each call site.

A value set is a `set[str | FuncRef]`: a `str` is a function's x/tools name; a `FuncRef` stands
for functions known only once every body is walked. Literal sets hold literal ids (`str`) and
`LiteralRef`s the same way; sets of made types hold qualified type names and `ParamRef`s.
"""

from __future__ import annotations

__all__ = [
    "ArgRefs", "CallTarget", "CalledLiteralRef", "FieldCall", "FieldLiteralRef", "FieldRef", "FuncRef", "GlobalRef",
    "InterfaceCall", "LiteralRef", "LocalCall", "ParamLiteralRef", "ParamRef", "ResultRef", "ReturnedLiteralRef",
    "ReturnsRef", "StaticCall", "ValueCall",
]

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from goanalyzer.resolve.scope import LocalVar


# ------------------------------------------------------------ value references
@dataclass(frozen=True, slots=True)
class ReturnsRef:
    """Whatever `func` returns (a factory of closures: `NewCmd()` returning `func() {...}`)."""

    func: str


@dataclass(frozen=True, slots=True)
class ResultRef:
    """What `func` returns as result `index` of several (`file, sourceAdj, _, err := parse(...)` in
    gofmt): its `return` statements' values there and its named result."""

    index: int
    func: str


@dataclass(frozen=True, slots=True)
class ParamRef:
    """Whatever callers pass for parameter `index` of `func`: a function that forwards its func
    parameter (`safe.Go(goroutine)` calls `GoWithRecover(goroutine, ...)`) hands on what its own
    callers pass. In a set of made types: the types constructed in what callers pass there."""

    index: int
    func: str


@dataclass(frozen=True, slots=True)
class FieldRef:
    """Whatever is stored in field `field` of struct `owner` = (package, name): a func read from a
    field and passed on (urfave/cli v1's `HandleAction(c.Action, ctx)`)."""

    owner: tuple[str, str]
    field: str


FuncRef = Union[ReturnsRef, ResultRef, ParamRef, FieldRef]
"""A reference a set of functions may hold."""


@dataclass(frozen=True, slots=True)
class ArgRefs:
    """What one call passes for one parameter (every argument from a variadic one's index on):
    struct literal refs and function values."""

    literals: frozenset
    funcs: frozenset


@dataclass(frozen=True, slots=True)
class ReturnedLiteralRef:
    """The struct literals `func` returns (`cmd.NewCmd()` building a command). `args`, one per
    parameter, are what this call passes: a helper returning what it is given (`nonNil(a, b)`)
    then returns this call's arguments, not every caller's (None: not known, every caller's)."""

    func: str
    args: tuple[ArgRefs, ...] | None = None


@dataclass(frozen=True, slots=True)
class CalledLiteralRef:
    """The struct literals returned by the functions a called value may hold (`f()` with `f` a
    parameter, a local or a package variable of func type): `funcs` holds function values
    (names, `FuncRef`s) and `GlobalRef`s of func-typed package variables."""

    funcs: frozenset


@dataclass(frozen=True, slots=True)
class GlobalRef:
    """The struct literals assigned to package-level variable `package.name`."""

    package: str
    name: str


@dataclass(frozen=True, slots=True)
class ParamLiteralRef:
    """The struct literals callers pass for parameter `index` of `func` (for a variadic one: every
    argument from there on): `addGroup(root, "Core", newCloseCmd(), newListCmd())`. Index
    RECEIVER: a method's receiver (kubectl's `groups.Add(root)` ranging over its own groups)."""

    index: int
    func: str


RECEIVER = -1
"""The index of a method's receiver among its call's arguments: what `passed` records last (so
`args[RECEIVER]` is the receiver) and the index `ParamLiteralRef` gives it."""


@dataclass(frozen=True, slots=True)
class FieldLiteralRef:
    """The struct literals held in field `field` of the struct literals `base` may be: a registry
    entry's `c.Command` and `c.Parent`, `CliCommand{Command: pruneCmd, Parent: volumeCmd}`."""

    base: frozenset
    field: str


LiteralRef = Union[ReturnedLiteralRef, CalledLiteralRef, GlobalRef, ParamLiteralRef, FieldLiteralRef]
"""A reference a set of struct literal ids may hold."""


# ---------------------------------------------------------------- call targets
@dataclass(frozen=True, slots=True)
class StaticCall:
    """A call to a function known by name."""

    callee: str


@dataclass(frozen=True, slots=True)
class LocalCall:
    """A call through a local variable whose functions are all known where it is called: static
    when it is assigned once and never captured (SSA sees through it), else a func value."""

    var: LocalVar


@dataclass(frozen=True, slots=True)
class InterfaceCall:
    """A method call on an interface value: `iface` is the interface's resolved type."""

    iface: Any
    method: str


@dataclass(frozen=True, slots=True)
class FieldCall:
    """A call through func field `field` of struct `owner` = (package, name): `cmd.Run(args)`."""

    owner: tuple[str, str]
    field: str


@dataclass(frozen=True, slots=True)
class ValueCall:
    """A call through a func-typed variable or parameter, keyed as in `Sites.value_stores`."""

    key: tuple


CallTarget = Union[StaticCall, LocalCall, InterfaceCall, FieldCall, ValueCall]
