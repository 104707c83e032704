"""One pass over every loaded function body: a scoped type environment, the call sites it
resolves, and the facts the dynamic rules need (what is stored in func-typed fields, what is
passed for func-typed parameters, which types are constructed, what factories return).

The walk never guesses: an expression whose type it cannot establish yields no edge.
"""

from __future__ import annotations

__all__ = ["Walker", "collect_sites"]

from typing import Any

from goanalyzer.model import FileFacts, Signature
from goanalyzer.naming import closure_name, init_name
from goanalyzer.program import FuncInfo, Program
from goanalyzer.resolve.body import Body
from goanalyzer.resolve.refs import RECEIVER, ParamLiteralRef
from goanalyzer.resolve.scope import LocalVar, Scope, TypeEnv
from goanalyzer.resolve.sites import Closure, Sites
from goanalyzer.resolve.types import TypeScope, Types
from goanalyzer.syntax.ir import FuncLit


def collect_sites(program: Program, types: Types | None = None) -> Sites:
    """Walk every function body the loader extracted (root packages and --into dependencies)."""
    types = types or Types(program)
    sites = Sites()
    walker = Walker(program, types, sites)
    funcs_by_package: dict[str, list[FuncInfo]] = {}
    for info in program.iter_funcs():
        funcs_by_package.setdefault(info.package, []).append(info)
    for path in sorted(program.packages):
        package = program.packages[path]
        if not any(f.with_bodies for f in package.files):
            continue
        for facts in sorted(package.files, key=lambda f: f.path):
            for spec in facts.values:
                if spec.values and any(v and v[0] != "basic" for v in spec.values):
                    walker.package_var(init_name(path), spec, facts)
        for info in funcs_by_package.get(path, []):
            if info.decl.body is not None:
                walker.function(info)
    return sites


class Walker:
    """The state shared by the bodies of one walk: closure numbering, literal ids, and the types
    of package variables (typed on demand)."""

    def __init__(self, program: Program, types: Types, sites: Sites):
        self.program = program
        self.types = types
        self.sites = sites
        self.counters: dict[str, int] = {}
        self.lit_names: dict[int, str] = {}
        self.lit_ids: dict[int, str] = {}
        self.package_var_types: dict[tuple[str, str], Any] = {}
        self.runtime: Any = None
        """A `runtime.RuntimeRecorder` when Rapid Type Analysis walks (conversions, functions taken)."""

    # ---------------------------------------------------------------- entries
    def function(self, info: FuncInfo) -> None:
        base = self.types.file_scope(info.file)
        params = set(info.decl.type_params)
        if info.decl.receiver is not None:
            params.update(info.decl.receiver.type_params)
        tscope = TypeScope(base.package, base.imports, base.dots, type_params=frozenset(params)) if params else base
        scope = Scope()
        if info.decl.receiver is not None and info.decl.receiver.name:
            recv: Any = ("named", info.package, info.decl.receiver.type_name)
            if info.decl.receiver.pointer:
                recv = ("ptr", recv)
            receiver = LocalVar(recv, ("local", info.name, info.decl.receiver.name, 0))
            receiver.literals.add(ParamLiteralRef(RECEIVER, info.name))  # what the callers' receivers are
            scope.names[info.decl.receiver.name] = receiver
        self._bind_params(info.name, info.decl.signature, scope, tscope)
        self.sites.callers_walked.add(info.name)
        Body(self, info.name, info.file, tscope, info.decl.signature).block(info.body, scope)

    def package_var(self, caller: str, spec, facts: FileFacts) -> None:
        tscope = self.types.file_scope(facts)
        body = Body(self, caller, facts, tscope, None)
        scope = Scope()
        self.sites.callers_walked.add(caller)
        declared = self.types.resolve(spec.type, tscope) if self.runtime and spec.type is not None else None
        for index, value in enumerate(spec.values):
            body.expr(value, scope)
            if declared is not None and index < len(spec.names) and spec.names[index] != "_":
                self.runtime.flow(body, value, declared, scope)
            if index < len(spec.names):
                body.values.flow_into(("global", tscope.package, spec.names[index]), value, scope)

    def closure(self, parent: str, lit: FuncLit, facts: FileFacts, tscope: TypeScope, outer: Scope) -> str:
        count = self.counters.get(parent, 0) + 1
        self.counters[parent] = count
        name = closure_name(parent, count)
        package = tscope.package
        self.sites.closures[name] = Closure(name, parent, package, facts, lit)
        self.lit_names[id(lit)] = name
        self.sites.callers_walked.add(name)
        scope = Scope(outer, boundary=True)
        self._bind_params(name, lit.signature, scope, tscope)
        if lit.body is not None:
            Body(self, name, facts, tscope, lit.signature).block(lit.body, scope)
        if self.runtime is not None and scope.captures:
            self.runtime.capturing_closure(parent, name, self.types.signature_of(lit.signature, tscope))
        return name

    def _bind_params(self, func: str, signature: Signature, scope: Scope, tscope: TypeScope) -> None:
        for index, param in enumerate(signature.params):
            if param.name and param.name != "_":
                var = LocalVar(self.types.resolve(param.type, tscope), ("param", func, index))
                var.assignments = 1  # the argument is its first assignment
                scope.names[param.name] = var
        for index, result in enumerate(signature.results):
            if result.name and result.name != "_":
                key = ("local", func, result.name, -1 - index)
                scope.names[result.name] = LocalVar(self.types.resolve(result.type, tscope), key)
                self.sites.named_results[(func, index)] = key

    # ------------------------------------------------------- package members
    def package_var_type(self, package: str, name: str) -> Any:
        """The type of a package-level variable: declared, or its initialiser's (memoised)."""
        key = (package, name)
        if key in self.package_var_types:
            return self.package_var_types[key]
        self.package_var_types[key] = None  # cycle guard
        info = self.program.values.get(key)
        result = None
        if info is not None:
            tscope = self.types.file_scope(info.file)
            if info.spec.type is not None:
                result = self.types.resolve(info.spec.type, tscope)
            elif info.spec.values:
                values = info.spec.values
                env = TypeEnv(self.program, self.types, tscope, self.package_var_type)
                if len(values) == len(info.spec.names):
                    result = env.type_of(values[info.index], Scope())
                elif len(values) == 1:
                    multi = env.type_of(values[0], Scope())
                    if multi is not None and multi[0] == "tuple" and info.index < len(multi[1]):
                        result = multi[1][info.index]
        self.package_var_types[key] = result
        return result
