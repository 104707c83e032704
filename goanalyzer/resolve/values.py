"""Expanding the references a value set holds (refs.py) once every body is walked: what a factory
returns (`ReturnsRef`), or returns as one of several results (`ResultRef`); what callers pass for
a parameter and the function forwards (`ParamRef`); what is stored in a func field and read back
(`FieldRef`); the struct literals a function returns or a package variable holds (`LiteralRef`).
Struct literals are followed per call: what a call returns is read with the parameters bound to
that call's arguments (`ReturnedLiteralRef.args`, up to CALL_DEPTH nested calls), and a called
function value (`CalledLiteralRef`) is what the functions it may hold return.
"""

from __future__ import annotations

import functools

__all__ = ["ValueFlow"]

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from goanalyzer.resolve.refs import (RECEIVER, ArgRefs, CalledLiteralRef, FieldLiteralRef, FieldRef, GlobalRef,
                                     InterfaceCall, ParamLiteralRef, ParamRef, ResultRef, ReturnedLiteralRef,
                                     ReturnsRef)
from goanalyzer.resolve.sites import Sites

CALL_DEPTH = 6
"""Nested calls whose arguments a literal query keeps apart; deeper, every caller's (cycle-safe)."""


@dataclass(frozen=True, slots=True)
class _Frame:
    """One call whose arguments a literal query follows: what `func` returns is read with its
    parameters bound to `args` (this call's), not to what every caller passes."""

    func: str
    args: tuple[ArgRefs, ...]
    outer: "_Frame | None"
    depth: int


class ValueFlow:
    """The one query over the walk's value facts: every reference is expanded here."""

    def __init__(self, sites: Sites, interfaces: Callable[[InterfaceCall], list[str]] | None = None,
                 built: Mapping[str, str] | None = None):
        self.sites = sites
        self.interfaces = interfaces
        """The methods an interface method call may reach (`InterfaceResolver.callees`): what they
        return is what a literal query gives for such a call. None: nothing."""
        self.built = built or {}
        """Function -> the literal id that stands for what it returns, for functions whose body is
        missing (a framework's constructor when its module is not loaded)."""

    def functions(self, values: Iterable) -> set[str]:
        """Concrete function names for a value set, following factories, forwarded parameters,
        fields and results transitively (cycle-safe)."""
        out: set[str] = set()
        seen: set = set()
        stack = list(values)
        while stack:
            value = stack.pop()
            if isinstance(value, str):
                out.add(value)
            elif value not in seen:
                seen.add(value)
                stack.extend(self._function_sources(value))
        return out

    def _function_sources(self, ref: ReturnsRef | ResultRef | ParamRef | FieldRef) -> Iterable:
        sites = self.sites
        if isinstance(ref, ReturnsRef):
            return sites.returned.get(ref.func, ())
        if isinstance(ref, ResultRef):
            named = sites.named_results.get((ref.func, ref.index))
            return [*sites.returned_at.get((ref.func, ref.index), ()),
                    *(sites.value_stores.get(named, ()) if named is not None else ())]
        if isinstance(ref, FieldRef):
            return sites.field_stores.get((ref.owner, ref.field), ())
        return sites.value_stores.get(("param", ref.func, ref.index), ())

    def made_types(self, made: Iterable) -> set[str]:
        """Named types a value was made of, through parameters: `Resources: loaders` inside
        healthcheck.NewCmd holds what main passes for `loaders` (cycle-safe)."""
        out: set[str] = set()
        seen: set[ParamRef] = set()
        stack = list(made)
        while stack:
            value = stack.pop()
            if isinstance(value, str):
                out.add(value)
            elif value not in seen:
                seen.add(value)
                stack.extend(self.sites.passed_made.get((value.func, value.index), ()))
        return out

    def literal_ids(self, refs: Iterable, seen: set | None = None, frame: _Frame | None = None) -> list[str]:
        """Struct literal ids behind a literal set, in a stable order: ids first, then the
        literals of package variables, then those functions return (each name in order). A call's
        returns are read with its own arguments (`nonNil(a, b)` gives a and b, not what every
        caller of nonNil passes), up to CALL_DEPTH nested calls."""
        seen = seen if seen is not None else set()
        out: list[str] = []
        for ref in sorted(refs, key=_literal_order):
            mark = ref if isinstance(ref, str) else (ref, frame)
            if mark in seen:
                continue
            seen.add(mark)
            if isinstance(ref, ReturnedLiteralRef) and ref.func in self.built:
                out += self.literal_ids({self.built[ref.func]}, seen)
            elif isinstance(ref, ReturnedLiteralRef):
                inner = None
                if ref.args is not None and (frame is None or frame.depth < CALL_DEPTH):
                    inner = _Frame(ref.func, ref.args, frame, frame.depth + 1 if frame else 1)
                out += self.literal_ids(self.sites.returned_literals.get(ref.func, set()), seen, inner)
            elif isinstance(ref, CalledLiteralRef):
                called = {ReturnedLiteralRef(f) for f in self._called_functions(ref.funcs, frame)}
                out += self.literal_ids(called, seen)
            elif isinstance(ref, GlobalRef):
                out += self.literal_ids(self.sites.literal_stores.get(("global", ref.package, ref.name), set()), seen)
            elif isinstance(ref, ParamLiteralRef):
                if ref.index == RECEIVER and (frame is None or frame.func != ref.func):
                    continue  # a receiver is one call's: every caller's would link each tree to the others
                if frame is not None and frame.func == ref.func:
                    inside = -len(frame.args) <= ref.index < len(frame.args)  # RECEIVER is the last
                    passed = frame.args[ref.index].literals if inside else frozenset()
                    out += self.literal_ids(passed, seen, frame.outer)
                else:
                    out += self.literal_ids(self.sites.passed_literals.get((ref.func, ref.index), set()), seen)
            elif isinstance(ref, FieldLiteralRef):
                out += self.literal_ids(self.field_literals(ref, seen, frame), seen)
            else:
                out.append(ref)
        return out

    def literal_ids_at_call(self, refs: Iterable, func: str, args: tuple[ArgRefs, ...]) -> list[str]:
        """`literal_ids` inside `func` as one call of it runs: its parameters are what `args` holds."""
        return self.literal_ids(refs, None, _Frame(func, args, None, 1))

    def _called_functions(self, held: Iterable, frame: _Frame | None, seen: set | None = None) -> set[str]:
        """The functions a called value may be: a parameter bound by the frame is what this call
        passes; a func-typed package variable what is stored in it, also through another such
        variable (`maybeCmd = routeCmd` in init); other references as `functions`."""
        seen = seen if seen is not None else set()
        out: set[str] = set()
        for value in held:
            if isinstance(value, ParamRef) and frame is not None and frame.func == value.func:
                if value.index < len(frame.args):
                    arg = frame.args[value.index]
                    out |= self._called_functions(
                        arg.funcs | {g for g in arg.literals if isinstance(g, GlobalRef)}, frame.outer, seen)
            elif isinstance(value, InterfaceCall):
                out |= set(self.interfaces(value)) if self.interfaces is not None else set()
            elif isinstance(value, GlobalRef):
                if value in seen:
                    continue
                seen.add(value)
                key = ("global", value.package, value.name)
                out |= self.functions(self.sites.value_stores.get(key, ()))
                out |= self._called_functions(
                    {g for g in self.sites.literal_stores.get(key, ()) if isinstance(g, GlobalRef)}, None, seen)
            else:
                out |= self.functions({value})
        return out

    def field_literals(self, ref: FieldLiteralRef, seen: set | None = None, frame: _Frame | None = None) -> set:
        """What field `ref.field` holds in each struct literal `ref.base` may be."""
        out: set = set()
        for lid in self.literal_ids(ref.base, set(seen) if seen is not None else None, frame):
            value = self.sites.literals[lid].fields.get(ref.field) if lid in self.sites.literals else None
            if value is not None:
                out |= value.literals
        return out


@functools.lru_cache(maxsize=1 << 16)
def _literal_order(ref: str | GlobalRef | ReturnedLiteralRef | CalledLiteralRef | ParamLiteralRef | FieldLiteralRef,
                   ) -> tuple[int, str]:
    if isinstance(ref, GlobalRef):
        return (1, f"{ref.package}.{ref.name}")
    if isinstance(ref, ReturnedLiteralRef):
        return (2, ref.func + (_args_order(ref.args) if ref.args is not None else ""))
    if isinstance(ref, CalledLiteralRef):
        return (5, _set_order(ref.funcs))
    if isinstance(ref, ParamLiteralRef):
        return (3, f"{ref.func}:{ref.index:04d}")
    if isinstance(ref, FieldLiteralRef):
        return (4, f"{ref.field}:{_set_order(ref.base)}")
    return (0, ref)


@functools.lru_cache(maxsize=1 << 16)
def _set_order(values: frozenset) -> str:
    """A deterministic text for a set of refs (set iteration order varies between runs); memoised,
    since the same nested references are ordered again at every level of a walk."""
    return "|".join(sorted(_ref_text(v) for v in values))


def _ref_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (GlobalRef, ReturnedLiteralRef, CalledLiteralRef, ParamLiteralRef, FieldLiteralRef)):
        return str(_literal_order(value))
    return repr(value)  # a FuncRef: plain fields


@functools.lru_cache(maxsize=1 << 16)
def _args_order(args: tuple[ArgRefs, ...]) -> str:
    return ";".join(f"{_set_order(a.literals)}/{_set_order(a.funcs)}" for a in args)
