"""Callee resolution: what the function expression of a call denotes, as a `refs.CallTarget`
(or a builtin's name, or nothing for a conversion or an unknown callee).

The walk visits the callee expression first (its own calls and closures); resolving it then
records nothing, so the order of the facts is the walk's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goanalyzer.resolve.refs import CallTarget, FieldCall, InterfaceCall, LocalCall, StaticCall, ValueCall
from goanalyzer.resolve.scope import LocalVar, Scope, TypeEnv

BUILTIN_FUNCS = frozenset(
    "append cap clear close complex copy delete imag len make max min new panic print println real recover".split())
NO_CALL_PACKAGES = frozenset({"unsafe"})
"""Packages whose members are never called functions: `unsafe.Pointer(p)` is a conversion and
`unsafe.Sizeof` and its kin are builtins. The loader never reads unsafe, so without this its
members would be taken for an unloaded package's functions."""


@dataclass(frozen=True, slots=True)
class Builtin:
    """A call of a builtin function (`new`, `len`, ...): no edge."""

    name: str


Callee = CallTarget | Builtin | None
"""What a call's function expression denotes; None for a conversion or an unknown callee."""


def resolve_callee(env: TypeEnv, f: Any, scope: Scope, closure_name: str | None = None) -> Callee:
    """The target of calling `f`. `closure_name` is the name the walk gave `f` when it is a
    function literal."""
    tag = f[0]
    if tag == "funclit":
        return StaticCall(closure_name) if closure_name else None
    if tag == "index":  # F[T](x): an instantiation resolves to F
        base = f[1]
        if base[0] in ("id", "sel"):
            inner = env.member_function(base, scope)
            if inner is not None:
                return StaticCall(inner)
        return None
    if tag == "id":
        return _name_callee(env, f[1], scope)
    if tag == "sel":
        return _selection_callee(env, f, scope)
    return None  # f()(): the function a call returns; anything else: unknown


def _name_callee(env: TypeEnv, name: str, scope: Scope) -> Callee:
    local = scope.lookup(name)
    if isinstance(local, LocalVar):
        if local.funcs and all(isinstance(f, str) for f in local.funcs):  # all known now
            return LocalCall(local)  # static when assigned once and never captured
        under = env.types.underlying(local.type)
        if under is not None and under[0] == "func" or local.type is None:
            return ValueCall(local.key)
        return None
    if local is not None:
        return None  # a local type: conversion
    for package in (env.tscope.package, *env.tscope.dots):
        found, member = package_member(env, package, name)
        if found:
            return member
    if name in BUILTIN_FUNCS:
        return Builtin(name)
    return None


def _selection_callee(env: TypeEnv, f: Any, scope: Scope) -> Callee:
    operand, name = f[1], f[2]
    if operand[0] == "id" and scope.lookup(operand[1]) is None and operand[1] in env.tscope.imports:
        package = env.tscope.imports[operand[1]]
        found, member = package_member(env, package, name)
        if found:
            return member
        if (package, name) in env.program.types or package in NO_CALL_PACKAGES:
            return None
        if package not in env.program.packages:  # external: named all the same
            return StaticCall(f"{package}.{name}")
        return None
    method_expr = env.method_expression(operand, name, scope)
    if method_expr is not None:
        return StaticCall(method_expr)
    base = env.type_of(operand, scope)
    if base is None:
        return None
    found = env.types.method(base, name)
    if found is not None:
        if found[0] == "concrete":
            return StaticCall(found[1].name)
        iface, method = found[1]
        return InterfaceCall(iface, method)
    field_info = env.types.field(base, name)
    if field_info is not None:
        field_type, owner = field_info
        under = env.types.underlying(field_type)
        if owner is not None and (under is None or under[0] == "func"):
            return FieldCall(owner, name)
    return None


def package_member(env: TypeEnv, package: str, name: str) -> tuple[bool, Callee]:
    """(whether `package.name` is a loaded member, what calling it reaches): a function, a func
    value held in a package variable, or nothing for a type (a conversion)."""
    function = f"{package}.{name}"
    if function in env.program.funcs:
        return True, StaticCall(function)
    if (package, name) in env.program.values:
        return True, ValueCall(("global", package, name))
    if (package, name) in env.program.types:
        return True, None
    return False, None
