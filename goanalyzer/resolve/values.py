"""Expanding the references a value set holds (refs.py) once every body is walked: what a factory
returns (`ReturnsRef`), or returns as one of several results (`ResultRef`); what callers pass for
a parameter and the function forwards (`ParamRef`); what is stored in a func field and read back
(`FieldRef`); the struct literals a function returns or a package variable holds (`LiteralRef`).
"""

from __future__ import annotations

__all__ = ["ValueFlow"]

from typing import Iterable

from goanalyzer.resolve.refs import (FieldLiteralRef, FieldRef, GlobalRef, ParamLiteralRef, ParamRef, ResultRef,
                                     ReturnedLiteralRef, ReturnsRef)
from goanalyzer.resolve.sites import Sites


class ValueFlow:
    """The one query over the walk's value facts: every reference is expanded here."""

    def __init__(self, sites: Sites):
        self.sites = sites

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

    def literal_ids(self, refs: Iterable, seen: set | None = None) -> list[str]:
        """Struct literal ids behind a literal set, in a stable order: ids first, then the
        literals of package variables, then those functions return (each name in order)."""
        seen = seen if seen is not None else set()
        out: list[str] = []
        for ref in sorted(refs, key=_literal_order):
            if ref in seen:
                continue
            seen.add(ref)
            if isinstance(ref, ReturnedLiteralRef):
                out += self.literal_ids(self.sites.returned_literals.get(ref.func, set()), seen)
            elif isinstance(ref, GlobalRef):
                out += self.literal_ids(self.sites.literal_stores.get(("global", ref.package, ref.name), set()), seen)
            elif isinstance(ref, ParamLiteralRef):
                out += self.literal_ids(self.sites.passed_literals.get((ref.func, ref.index), set()), seen)
            elif isinstance(ref, FieldLiteralRef):
                out += self.literal_ids(self.field_literals(ref, seen), seen)
            else:
                out.append(ref)
        return out


    def field_literals(self, ref: FieldLiteralRef, seen: set | None = None) -> set:
        """What field `ref.field` holds in each struct literal `ref.base` may be."""
        out: set = set()
        for lid in self.literal_ids(ref.base, set(seen) if seen is not None else None):
            value = self.sites.literals[lid].fields.get(ref.field) if lid in self.sites.literals else None
            if value is not None:
                out |= value.literals
        return out


def _literal_order(ref: str | GlobalRef | ReturnedLiteralRef | ParamLiteralRef | FieldLiteralRef) -> tuple[int, str]:
    if isinstance(ref, GlobalRef):
        return (1, f"{ref.package}.{ref.name}")
    if isinstance(ref, ReturnedLiteralRef):
        return (2, ref.func)
    if isinstance(ref, ParamLiteralRef):
        return (3, f"{ref.func}:{ref.index:04d}")
    if isinstance(ref, FieldLiteralRef):
        return (4, f"{ref.field}:{sorted(map(str, ref.base))}")
    return (0, ref)
