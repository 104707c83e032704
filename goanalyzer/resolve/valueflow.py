"""Value-flow recording: what an expression may evaluate to (functions, struct literals, made
types), and where it flows (locals, parameters, fields, results, package variables), written into
`Sites` for the dynamic rules and the command analysis.

Where a value is known only once every body is walked, the sets hold a reference (refs.py).
"""

from __future__ import annotations

from typing import Any

from goanalyzer.resolve.refs import (ArgRefs, CalledLiteralRef, FieldLiteralRef, FieldRef, GlobalRef,
                                     ParamLiteralRef, ParamRef, ResultRef, ReturnedLiteralRef, ReturnsRef)
from goanalyzer.resolve.callees import resolve_callee
from goanalyzer.resolve.refs import InterfaceCall, StaticCall
from goanalyzer.resolve.scope import LocalVar, Scope, TypeEnv
from goanalyzer.resolve.sites import FieldValue, Sites
from goanalyzer.syntax.ir import expr_text

FIELD_TEXT_LIMIT = 4000


class ValueRecorder:
    """The value facts of one body (`caller`), asked and recorded as the walk goes."""

    def __init__(self, env: TypeEnv, sites: Sites, lit_names: dict[int, str], lit_ids: dict[int, str],
                 caller: str):
        self.env = env
        self.types = env.types
        self.program = env.program
        self.sites = sites
        self.lit_names = lit_names
        """id(FuncLit) -> the closure's name, once the walk has met it."""
        self.lit_ids = lit_ids
        """id(literal expression) -> its LiteralFact id."""
        self.caller = caller

    # ----------------------------------------------------------------- queries
    def func_values(self, e: Any, scope: Scope) -> set:
        """The functions an expression may evaluate to (closures, named funcs, method values)."""
        tag = e[0]
        if tag == "funclit":
            name = self.lit_names.get(id(e[1]))
            return {name} if name else set()
        if tag == "id":
            return self._name_funcs(e[1], scope)
        if tag == "sel":
            return self._selection_funcs(e, scope)
        if tag == "call" and e[1][0] == "id" and e[1][1] == "append" and scope.lookup("append") is None:
            out: set = set()  # `subCommands = append(subCommands, NewMirrorCatalog)`: a registry of constructors
            for arg in e[2]:
                out |= self.func_values(arg, scope)
            return out
        if tag == "call":
            callee = self.env.static_callee_name(e[1], scope)
            return {ReturnsRef(callee)} if callee is not None else set()
        if tag == "conv":
            return self.func_values(e[2], scope)
        return set()

    def _name_funcs(self, name: str, scope: Scope) -> set:
        local = scope.lookup(name)
        if isinstance(local, LocalVar):
            if local.key[0] == "param" and self.env.may_hold_func(local.type):
                return {*local.funcs, ParamRef(local.key[2], local.key[1])}
            return set(local.funcs)
        if local is not None:
            return set()
        for package in (self.env.tscope.package, *self.env.tscope.dots):
            if f"{package}.{name}" in self.program.funcs:
                return {f"{package}.{name}"}
        return set()

    def _selection_funcs(self, e: Any, scope: Scope) -> set:
        operand = e[1]
        tscope = self.env.tscope
        if operand[0] == "id" and scope.lookup(operand[1]) is None and operand[1] in tscope.imports:
            name = f"{tscope.imports[operand[1]]}.{e[2]}"
            return {name} if name in self.program.funcs else set()
        method_expr = self.env.method_expression(operand, e[2], scope)
        if method_expr is not None:
            return {method_expr}
        base = self.env.type_of(operand, scope)
        if base is not None:
            found = self.types.method(base, e[2])
            if found is not None and found[0] == "concrete":
                return {found[1].name}
            field = self.types.field(base, e[2]) if base[0] != "pkg" else None
            if field is not None and field[1] is not None and self.env.may_hold_func(field[0]):
                return {FieldRef(field[1], e[2])}
        return set()

    def literal_refs(self, e: Any, scope: Scope) -> set:  # noqa: C901 - one case per expression kind
        """Struct literals an expression may evaluate to: ids and `refs.LiteralRef`s. A slice holds its
        elements' (`[]*Command{a, b}`, `append(base, extra...)`, `cmds[0]`), a parameter what callers
        pass, `x.F` what field F of x's literals holds."""
        tag = e[0]
        tscope = self.env.tscope
        if tag == "unary" and e[1] == "&":
            return self.literal_refs(e[2], scope)
        if tag == "unary" and e[1] == "*":  # a struct copied into a local (`cmd := *NewPsCommand(cli)`)
            lid = self.lit_ids.get(id(e))
            return {lid} if lid else set()
        if tag == "index":
            return self.literal_refs(e[1], scope)
        if tag == "lit":
            lid = self.lit_ids.get(id(e))
            if lid:
                return {lid}
            out: set = set()
            for _key, value in e[2]:
                out |= self.literal_refs(value, scope)
            return out
        if tag == "id":
            local = scope.lookup(e[1])
            if isinstance(local, LocalVar):
                if local.key[0] == "param":
                    return {*local.literals, ParamLiteralRef(local.key[2], local.key[1])}
                return set(local.literals)
            if local is None and (tscope.package, e[1]) in self.program.values:
                return {GlobalRef(tscope.package, e[1])}
            return set()
        if tag == "sel" and e[1][0] == "id" and scope.lookup(e[1][1]) is None and e[1][1] in tscope.imports:
            package = tscope.imports[e[1][1]]
            return {GlobalRef(package, e[2])} if (package, e[2]) in self.program.values else set()
        if tag == "sel":
            base = self.literal_refs(e[1], scope)
            return {FieldLiteralRef(frozenset(base), e[2])} if base else set()
        if tag == "call":
            return self._call_literals(e, scope)
        return set()

    def _call_literals(self, e: Any, scope: Scope) -> set:
        """What a call gives: `append`'s arguments, what a function or an inline literal returns."""
        function = e[1]
        if function[0] == "id" and function[1] == "append" and scope.lookup("append") is None:
            out: set = set()
            for arg in e[2]:
                out |= self.literal_refs(arg, scope)
            return out
        if function[0] == "funclit":
            name = self.lit_names.get(id(function[1]))
            return {ReturnedLiteralRef(name)} if name else set()
        callee = self.env.static_callee_name(function, scope)
        if callee:
            return {ReturnedLiteralRef(callee, self._call_args(callee, function, e[2], scope))}
        if function[0] == "sel":  # a method, `s.GetCommands()`; through an interface, `b.Commands()`; a
            target = resolve_callee(self.env, function, scope)  # function of a package not loaded
            if isinstance(target, StaticCall) and target.callee:
                return {ReturnedLiteralRef(target.callee, self._call_args(target.callee, function, e[2], scope))}
            if isinstance(target, InterfaceCall) and _hashable(target):
                return {CalledLiteralRef(frozenset({target}))}
        held = self.func_values(function, scope) | {  # `f()`: a parameter, local or package variable
            r for r in self.literal_refs(function, scope) if isinstance(r, GlobalRef)}
        return {CalledLiteralRef(frozenset(held))} if held else set()

    def _call_args(self, callee: str, function: Any, args: list[Any], scope: Scope) -> tuple[ArgRefs, ...] | None:
        """What a call passes, per parameter of `callee` (as `passed` groups a variadic's
        arguments), a method's receiver last (as `passed` records it)."""
        info = self.program.funcs.get(callee)
        params = info.decl.signature.params if info is not None else []
        receiver = function[1] if callee.startswith("(") and function[0] == "sel" else None
        if not params and receiver is None:
            return None
        variadic = len(params) - 1 if params and params[-1].variadic else None
        literals: list[set] = [set() for _ in params]
        funcs: list[set] = [set() for _ in params]
        for index, arg in enumerate(args):
            parameter = min(index, variadic) if variadic is not None else index
            if parameter < len(params):
                literals[parameter] |= self.literal_refs(arg, scope)
                funcs[parameter] |= self.func_values(arg, scope)
        if receiver is not None:
            literals.append(self.literal_refs(receiver, scope))
            funcs.append(set())
        return tuple(ArgRefs(frozenset(lits), frozenset(fs)) for lits, fs in zip(literals, funcs))

    def made_types(self, e: Any, scope: Scope) -> set:
        """Named types constructed in an expression (`&tcli.FileLoader{}` -> the loader's type)."""
        tag = e[0]
        if tag == "unary" and e[1] == "&":
            return self.made_types(e[2], scope)
        if tag == "lit":
            out: set = set()
            rt = self.types.resolve(e[1], self.env.tscope) if e[1] is not None else None
            while rt is not None and rt[0] == "ptr":
                rt = rt[1]
            if rt is not None and rt[0] == "named":
                under = self.types.underlying(rt)
                if under is not None and under[0] == "struct":
                    return {f"{rt[1]}.{rt[2]}"}
            for _key, value in e[2]:
                out |= self.made_types(value, scope)
            return out
        if tag == "id":
            local = scope.lookup(e[1])
            if isinstance(local, LocalVar) and local.key[0] == "param":
                return {*local.made, ParamRef(local.key[2], local.key[1])}
            return set(local.made) if isinstance(local, LocalVar) else set()
        return set()

    def field_value(self, value: Any, scope: Scope) -> FieldValue:
        """What a struct field is set to: its text and what it refers to."""
        return FieldValue(expr_text(value, FIELD_TEXT_LIMIT), self.func_values(value, scope),
                          self.literal_refs(value, scope), self.made_types(value, scope))

    def field_owner(self, target: Any, scope: Scope) -> tuple | None:
        """(struct key, field name) of a selector `x.F` when x's type has field F."""
        base = self.env.type_of(target[1], scope)
        if base is None or base[0] == "pkg":
            return None
        found = self.types.field(base, target[2])
        if found is None or found[1] is None:
            return None
        return (found[1], target[2])

    # --------------------------------------------------------------- recording
    def store(self, table: dict, key: Any, values: set) -> None:
        self.sites.store(table, key, values)

    def bind_value(self, var: LocalVar, value: Any, scope: Scope) -> None:
        """`var` is assigned `value` (`:=`, `var`)."""
        var.assignments += 1
        funcs = self.func_values(value, scope)
        var.funcs |= funcs
        var.literals |= self.literal_refs(value, scope)
        var.made |= self.made_types(value, scope)
        self.store(self.sites.value_stores, var.key, funcs)
        self.note_constructed(value, scope)

    def bind_result(self, var: LocalVar, call: Any, index: int, scope: Scope) -> None:
        """`a, f := g()`: f holds what g returns at `index` (when it may hold a function)."""
        callee = self.env.static_callee_name(call[1], scope)
        if callee is not None and self.env.may_hold_func(var.type):
            funcs = {ResultRef(index, callee)}
            var.funcs |= funcs
            self.store(self.sites.value_stores, var.key, funcs)

    def flow_into(self, key: Any, value: Any, scope: Scope) -> None:
        """A package variable's initialiser."""
        self.store(self.sites.value_stores, key, self.func_values(value, scope))
        self.store(self.sites.literal_stores, key, self.literal_refs(value, scope))
        self.note_constructed(value, scope)

    def returned(self, values: list[Any], index: int, scope: Scope) -> None:
        """`return values...`: what the function gives at `index`."""
        value = values[index]
        funcs = self.func_values(value, scope)
        if funcs:
            self.store(self.sites.returned, self.caller, funcs)
            if len(values) > 1:
                self.store(self.sites.returned_at, (self.caller, index), funcs)
        self.store(self.sites.returned_literals, self.caller, self.literal_refs(value, scope))
        self.note_constructed(value, scope)

    def assigned(self, target: Any, value: Any, scope: Scope) -> None:
        """`target = value`: into a local, a package variable, or a field."""
        funcs = self.func_values(value, scope)
        self.note_constructed(value, scope)
        if target[0] == "id":
            var = scope.lookup(target[1])
            if isinstance(var, LocalVar):
                if var.assignments == 0 and target[1] not in scope.names:
                    var.assignments += 1  # `var f func() error` set in an inner block: SSA merges its zero value in
                var.assignments += 1
                var.funcs |= funcs
                var.literals |= self.literal_refs(value, scope)  # `out = append(out, c)`
                self.store(self.sites.value_stores, var.key, funcs)
            elif var is None and (self.env.tscope.package, target[1]) in self.program.values:
                key = ("global", self.env.tscope.package, target[1])
                self.store(self.sites.value_stores, key, funcs)
                self.store(self.sites.literal_stores, key, self.literal_refs(value, scope))  # a registry in init
        elif target[0] == "sel":
            receiver = self.literal_refs(target[1], scope)
            if receiver:
                self.sites.field_assigns.append((receiver, target[2], self.field_value(value, scope)))
        if target[0] == "sel" and funcs:
            owner = self.field_owner(target, scope)
            if owner is not None:
                self.store(self.sites.field_stores, owner, funcs)
            else:
                base = self.env.type_of(target[1], scope)
                if base is not None and base[0] == "pkg":
                    self.store(self.sites.value_stores, ("global", base[1], target[2]), funcs)

    def passed(self, callee: str, args: list[Any], scope: Scope, position: tuple[str, int, int],
               receiver: Any = None) -> None:
        """The arguments of a static call at `position` = (file, line, col); `receiver`, a method
        call's receiver expression, is recorded after them (index RECEIVER)."""
        info = self.program.funcs.get(callee)
        params = info.decl.signature.params if info is not None else []
        variadic = len(params) - 1 if params and params[-1].variadic else None
        per_call: list[set] = [set() for _ in params]
        for index, arg in enumerate(args):
            parameter = min(index, variadic) if variadic is not None else index
            literals = self.literal_refs(arg, scope)
            if literals and parameter < len(per_call):
                per_call[parameter] |= literals
            self.store(self.sites.passed_literals, (callee, parameter), literals)
            self.store(self.sites.passed_made, (callee, index), self.made_types(arg, scope))
            funcs = self.func_values(arg, scope)
            if funcs:
                self.store(self.sites.value_stores, ("param", callee, index), funcs)
                self.sites.passed.setdefault((self.caller, *position), {})[index] = funcs
            self.note_constructed(arg, scope)
        if receiver is not None:
            per_call.append(self.literal_refs(receiver, scope))
        if any(per_call):
            self.sites.call_literals.setdefault(callee, []).append(
                tuple(ArgRefs(frozenset(refs), frozenset()) for refs in per_call))

    def note_constructed(self, e: Any, scope: Scope) -> None:
        """A value of a named type is made here (literal, conversion, constructor result)."""
        tag = e[0]
        if tag == "unary" and e[1] == "&":
            e = e[2]
            tag = e[0]
        if tag in ("lit", "conv"):
            self.note_constructed_type(self.types.resolve(e[1], self.env.tscope) if e[1] is not None else None)
        elif tag == "call":
            self.note_constructed_type(self.env.call_type(e, scope, 0))

    def note_constructed_type(self, rt: Any) -> None:
        while rt is not None and rt[0] == "ptr":
            rt = rt[1]
        if rt is not None and rt[0] == "named":
            self.sites.constructed.add((rt[1], rt[2]))


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:  # an anonymous interface type's IR holds lists
        return False
    return True
