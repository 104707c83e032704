"""The walk of one function body, in source order: statements open scopes and bind locals (in
the type environment of scope.py), each call is resolved (callees.py) and recorded as a call site,
and what values flow where is recorded (valueflow.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from goanalyzer.model import FileFacts, Signature
from goanalyzer.resolve.callees import Builtin, resolve_callee
from goanalyzer.resolve.refs import CallTarget, FieldCall, StaticCall
from goanalyzer.resolve.scope import LocalType, LocalVar, Scope, TypeEnv
from goanalyzer.resolve.sites import CallSite, FieldUse, LiteralFact, Link
from goanalyzer.resolve.types import TypeScope
from goanalyzer.resolve.valueflow import ValueRecorder

if TYPE_CHECKING:
    from goanalyzer.resolve.walk import Walker


class Body:
    """The walk of one function body (closures get their own Body)."""

    def __init__(self, walker: Walker, caller: str, facts: FileFacts, tscope: TypeScope,
                 signature: Signature | None):
        self.w = walker
        self.types = walker.types
        self.program = walker.program
        self.caller = caller
        self.facts = facts
        self.tscope = tscope
        self.signature = signature
        self.go = False
        self.defer = False
        self.env = TypeEnv(walker.program, walker.types, tscope, walker.package_var_type)
        self.values = ValueRecorder(self.env, walker.sites, walker.lit_names, walker.lit_ids, caller)
        self.rt = walker.runtime
        """What RTA records beside the calls (runtime.py), when it walks; None otherwise."""

    # ------------------------------------------------------------- statements
    def block(self, block: Any, scope: Scope) -> None:
        if block is None:
            return
        inner = Scope(scope)
        for statement in block[1]:
            self.statement(statement, inner)

    def statement(self, s: Any, scope: Scope) -> None:
        if s is None:
            return
        handler = _STATEMENTS.get(s[0])
        if handler is not None:
            handler(self, s, scope)

    def _expr_statement(self, s: Any, scope: Scope) -> None:
        self.expr(s[1], scope)

    def _define_statement(self, s: Any, scope: Scope) -> None:
        self._define(s[1], s[2], scope, s[3])

    def _assign_statement(self, s: Any, scope: Scope) -> None:
        self._assign(s[1], s[2], s[3], scope)

    def _var_statement(self, s: Any, scope: Scope) -> None:
        declared = self.types.resolve(s[2], self.tscope) if s[2] is not None else None
        self._define(s[1], s[3], scope, s[4], declared)

    def _type_statement(self, s: Any, scope: Scope) -> None:
        scope.names[s[1]] = LocalType(self.types.resolve(s[2], self.tscope))

    def _go_defer_statement(self, s: Any, scope: Scope) -> None:
        previous = (self.go, self.defer)
        self.go, self.defer = s[0] == "go", s[0] == "defer"
        call = s[1]
        if call[0] == "call":
            self._call(call, scope, position=(s[3], s[2]))  # x/tools places go/defer calls at the keyword
        else:
            self.expr(call, scope)
        self.go, self.defer = previous

    def _return_statement(self, s: Any, scope: Scope) -> None:
        for index, value in enumerate(s[1]):
            self.expr(value, scope)
            self.values.returned(s[1], index, scope)
        if self.rt:
            self.rt.returned(self, s[1], scope)

    def _block_statement(self, s: Any, scope: Scope) -> None:
        inner = Scope(scope)
        for statement in s[1]:
            self.statement(statement, inner)

    def _decls_statement(self, s: Any, scope: Scope) -> None:
        for statement in s[1]:
            self.statement(statement, scope)

    def _if_statement(self, s: Any, scope: Scope) -> None:
        inner = Scope(scope)
        self.statement(s[1], inner)
        self.expr(s[2], inner)
        self.block(s[3], inner)
        self.statement(s[4], inner)

    def _for_statement(self, s: Any, scope: Scope) -> None:
        inner = Scope(scope)
        self.statement(s[1], inner)
        if s[2] is not None:
            self.expr(s[2], inner)
        self.block(s[4], inner)  # SSA builds the body before the post statement
        self.statement(s[3], inner)

    def _range_statement(self, s: Any, scope: Scope) -> None:
        inner = Scope(scope)
        self.expr(s[3], scope)
        ranged = self.env.type_of(s[3], scope)
        if s[2]:
            kinds = [self.types.key(ranged), self.types.element(ranged)]
            under = self.types.underlying(ranged)
            if under is not None and under[0] == "chan":
                kinds = [under[1], None]
            for index, target in enumerate(s[1]):
                if target[0] == "id" and target[1] != "_" and index < 2:
                    var = LocalVar(kinds[index], ("local", self.caller, target[1], s[5]))
                    if index == 1:  # `for _, c := range cmds`: c is each element's literal
                        var.literals |= self.values.literal_refs(s[3], scope)
                    inner.names[target[1]] = var
        else:
            for target in s[1]:
                self.expr(target, scope)
        self.block(s[4], inner)

    def _switch_statement(self, s: Any, scope: Scope) -> None:
        inner = Scope(scope)
        self.statement(s[1], inner)
        if s[2] is not None:
            self.expr(s[2], inner)
        for values, body, _default in s[3]:
            case_scope = Scope(inner)
            for value in values:
                self.expr(value, case_scope)
            for statement in body:
                self.statement(statement, case_scope)

    def _typeswitch_statement(self, s: Any, scope: Scope) -> None:
        inner = Scope(scope)
        self.statement(s[1], inner)
        self.expr(s[3], inner)
        subject = self.env.type_of(s[3], inner)
        sites = self.w.sites
        for case, (case_types, body, _default) in enumerate(s[4]):
            case_scope = Scope(inner)
            if s[2]:
                bound = subject
                if len(case_types) == 1 and case_types[0] != ("name", "nil"):
                    bound = self.types.resolve(case_types[0], self.tscope)
                key = ("local", self.caller, s[2], s[5], case)  # one variable per case
                case_scope.names[s[2]] = LocalVar(bound, key)
                under = self.types.underlying(bound) if bound is not None else None
                if under is not None and under[0] == "func":  # `switch a := action.(type) { case func(): a() }`
                    sites.store(sites.value_stores, key, self.values.func_values(s[3], inner))
                    sites.case_types[key] = under
            for statement in body:
                self.statement(statement, case_scope)

    def _select_statement(self, s: Any, scope: Scope) -> None:
        for comm, body in s[1]:
            case_scope = Scope(scope)
            self.statement(comm, case_scope)
            for statement in body:
                self.statement(statement, case_scope)

    def _send_statement(self, s: Any, scope: Scope) -> None:
        self.expr(s[1], scope)
        self.expr(s[2], scope)
        if self.rt:
            self.rt.send(self, s[1], s[2], scope)

    def _incdec_statement(self, s: Any, scope: Scope) -> None:
        self._target(s[1], scope)

    def _labeled_statement(self, s: Any, scope: Scope) -> None:
        self.statement(s[2], scope)

    def _define(self, names: list[str], values: list[Any], scope: Scope, line: int, declared: Any = None) -> None:
        """`:=` and `var`: each name a new local, of the declared type or its value's."""
        for value in values:
            self.expr(value, scope)
            if value[0] == "unary" and value[1] == "*" and not self.rt:
                self._struct_copy(value, scope, line)
        if self.rt and declared is not None and len(values) == len(names):
            for value in values:
                self.rt.flow(self, value, declared, scope)
        value_types = self.env.value_types(values, len(names), scope)
        for index, name in enumerate(names):
            if name == "_":
                continue
            existing = scope.names.get(name)
            if isinstance(existing, LocalVar):  # `a, err := ...` redeclares err in the same scope: an assignment
                existing.assignments += 1
                if len(values) == len(names):
                    self.values.bind_value(existing, values[index], scope)
                continue
            var = LocalVar(declared if declared is not None else value_types[index], ("local", self.caller, name, line))
            scope.names[name] = var
            if len(values) == len(names):
                self.values.bind_value(var, values[index], scope)
            elif len(values) == 1 and values[0][0] == "call":
                self.values.note_constructed_type(value_types[index])
                self.values.bind_result(var, values[0], index, scope)

    def _struct_copy(self, e: Any, scope: Scope, line: int) -> None:
        """`x := *p` of a named struct: a new value, noted as a literal copying what `p` points to."""
        pointer = self.env.type_of(e[2], scope)
        named = pointer[1] if pointer is not None and pointer[0] == "ptr" else None
        under = self.types.underlying(named) if named is not None and named[0] == "named" else None
        if under is None or under[0] != "struct":
            return
        at = (e[2][3], e[2][4]) if e[2][0] == "call" else (line, 0)
        lid = f"{self.facts.path}:{at[0]}:{at[1]}"
        copied = frozenset(self.values.literal_refs(e[2], scope))
        self.w.sites.literals[lid] = LiteralFact(lid, (named[1], named[2]), self.caller, self.facts.path, *at,
                                                 copy_of=copied)
        self.w.lit_ids[id(e)] = lid

    def _assign(self, targets: list[Any], op: str, values: list[Any], scope: Scope) -> None:
        for value in values:
            self.expr(value, scope)
        for target in targets:
            if target[0] != "id":
                self._target(target, scope)
        if self.rt and op == "=":
            self.rt.assigned(self, targets, values, scope)
        if op == "=" and len(values) == 1 and len(targets) > 1 and values[0][0] == "call":  # a, f = g()
            for index, target in enumerate(targets):
                var = scope.lookup(target[1]) if target[0] == "id" else None
                if isinstance(var, LocalVar):
                    var.assignments += 1
                    self.values.bind_result(var, values[0], index, scope)
        if op != "=" or len(targets) != len(values):
            return
        for target, value in zip(targets, values):
            self.values.assigned(target, value, scope)

    def _target(self, target: Any, scope: Scope) -> None:
        """An assignment's target other than a plain name: its operand is read, a field is set."""
        if target[0] == "sel":
            self.expr(target[1], scope)
            self._field_use(target, scope, call=False, assigned=True)
        else:
            self.expr(target, scope)

    # ------------------------------------------------------------ expressions
    def expr(self, e: Any, scope: Scope) -> None:
        """Visit an expression for its calls and closures (in source order)."""
        tag = e[0]
        if tag == "call":
            self._call(e, scope)
        elif tag == "conv" and self.env.misparsed_call(e, scope) is not None:
            self._call(self.env.misparsed_call(e, scope), scope)
        elif tag == "conv":
            callee = self.env.generic_callee(e[1], scope)
            if callee is not None:
                self._emit(StaticCall(callee), e[3], e[4])
            self.expr(e[2], scope)
            if self.rt and callee is None:
                self.rt.flow(self, e[2], self.types.resolve(e[1], self.tscope), scope)
        elif tag == "funclit":
            name = self.w.closure(self.caller, e[1], self.facts, self.tscope, scope)
            if self.rt:
                self.rt.closure(self, name, e[1])
        elif tag == "sel":
            self.expr(e[1], scope)
            self._field_use(e, scope, call=False)
            if self.rt:
                self.rt.reference(self, e, scope)
        elif tag == "id":
            if self.rt:
                self.rt.reference(self, e, scope)
        elif tag == "lit":
            self._literal(e, scope)
        elif tag == "unary":
            self.expr(e[2], scope)
        elif tag == "binary":
            self.expr(e[2], scope)
            self.expr(e[3], scope)
        elif tag == "index":
            self.expr(e[1], scope)
            for index in e[2]:
                self.expr(index, scope)
        elif tag == "slice":
            for part in e[1:]:
                if part is not None:
                    self.expr(part, scope)
        elif tag == "assert":
            self.expr(e[1], scope)

    def _literal(self, e: Any, scope: Scope, implied: Any = None, parent: tuple | None = None) -> None:
        lit_type = self.types.resolve(e[1], self.tscope) if e[1] is not None else implied
        self.values.note_constructed_type(lit_type)
        if self.rt:
            self.rt.literal(self, lit_type, e, scope)
        under = self.types.underlying(lit_type)
        fact = None
        if under is not None and under[0] == "struct" and lit_type[0] == "named" or self._unloaded_struct(lit_type, e):
            lid = f"{self.facts.path}:{e[3]}:{e[4]}"
            fact = LiteralFact(lid, (lit_type[1], lit_type[2]), self.caller, self.facts.path, e[3], e[4],
                               parent=parent[0] if parent else None, parent_field=parent[1] if parent else None)
            self.w.sites.literals[lid] = fact
            self.w.lit_ids[id(e)] = lid
        element_type = None
        if under is not None and under[0] in ("slice", "array", "map"):
            element_type = under[2] if under[0] == "map" else under[1]
        for key, value in e[2]:
            if key is not None and under is not None and under[0] == "map":
                self.expr(key, scope)
            field_name = key[1] if fact is not None and key is not None and key[0] == "id" else None
            nested_parent = (fact.id, field_name) if fact is not None and field_name else parent
            if value[0] == "lit" and value[1] is None:
                implied_type = element_type
                if implied_type is not None and implied_type[0] == "ptr":
                    implied_type = implied_type[1]
                self._literal(value, scope, implied_type, nested_parent)
            else:
                self._visit_nested(value, scope, nested_parent)
            if field_name is not None:
                fact.fields[field_name] = self.values.field_value(value, scope)
            if key is not None and key[0] == "id" and under is not None and under[0] == "struct":
                self._store_field(lit_type, key[1], value, scope)
            elif element_type is not None:
                self.values.note_constructed(value, scope)

    def _unloaded_struct(self, lit_type: Any, e: Any) -> bool:
        """A keyed literal of a named type whose (non-standard) package is not loaded: a struct all
        the same (`&cobra.Command{Use: ...}` when cobra's module is missing), its fields by name."""
        return (lit_type is not None and lit_type[0] == "named" and lit_type[1] not in self.program.packages
                and not self.program.is_std(lit_type[1]) and all(k is not None and k[0] == "id" for k, _v in e[2]))

    def _store_field(self, lit_type: Any, field_name: str, value: Any, scope: Scope) -> None:
        """`T{F: value}`: what the field of T holds."""
        funcs = self.values.func_values(value, scope)
        if funcs:
            owner = (lit_type[1], lit_type[2]) if lit_type is not None and lit_type[0] == "named" else None
            if owner is not None:
                self.w.sites.store(self.w.sites.field_stores, (owner, field_name), funcs)
        self.values.note_constructed(value, scope)

    def _visit_nested(self, value: Any, scope: Scope, parent: tuple | None) -> None:
        """Visit a literal element, passing the enclosing literal down to nested struct literals."""
        inner = value[2] if value[0] == "unary" and value[1] == "&" else value
        if inner[0] == "lit" and parent is not None:
            self._literal(inner, scope, None, parent)
        else:
            self.expr(value, scope)

    # ------------------------------------------------------------------ calls
    def _call(self, e: Any, scope: Scope, position: tuple[int, int] | None = None) -> None:
        function, args = e[1], e[2]
        line, col = position or (e[3], e[4])
        go, defer = self.go, self.defer
        self.go = self.defer = False
        # the callee expression first (its own calls and closures), then the arguments
        target = resolve_callee(self.env, function, scope, self._visit_callee(function, scope))
        if isinstance(target, FieldCall):
            self.w.sites.field_uses.append(FieldUse(target.owner, target.field, self.caller, self.facts.path,
                                                    function[3], function[4], True))
        for arg in args:
            self.expr(arg, scope)
        self.go, self.defer = go, defer
        if self.rt:
            self.rt.call(self, e, target, scope, (line, col))
        if isinstance(target, StaticCall):
            self._emit(target, line, col)
            if not self.rt:  # what is passed where and the literals a call links: not RTA's business
                self._static_call_facts(target.callee, function, args, scope, (line, col))
        elif isinstance(target, Builtin):
            if target.name == "new" and args:
                self.values.note_constructed_type(self.env.arg_type(args[0]))
        elif target is not None:
            self._emit(target, line, col)
        elif function[0] == "sel":
            self._unloaded_method_call(function, args, scope, (line, col))
        self.go = self.defer = False

    def _visit_callee(self, f: Any, scope: Scope) -> str | None:
        """Visit a call's function expression for its own calls and closures; the closure's name
        when it is a function literal."""
        tag = f[0]
        if tag == "funclit":
            return self.w.closure(self.caller, f[1], self.facts, self.tscope, scope)
        if tag == "sel":
            self.expr(f[1], scope)
        elif tag != "id":
            self.expr(f, scope)
        return None

    def _static_call_facts(self, callee: str, function: Any, args: list[Any], scope: Scope,
                           position: tuple[int, int]) -> None:
        """What a static call passes, and the struct literals a method call links (`a.AddCommand(b)`)."""
        method = callee.startswith("(") and function[0] == "sel"
        self.values.passed(callee, args, scope, (self.facts.path, *position), function[1] if method else None)
        if method:
            receiver = self.values.literal_refs(function[1], scope)
            arg_refs = [self.values.literal_refs(a, scope) for a in args]
            if receiver or any(arg_refs):
                self.w.sites.links.append(Link(self.caller, callee, receiver, arg_refs, self.facts.path, *position))

    def _unloaded_method_call(self, function: Any, args: list[Any], scope: Scope, position: tuple[int, int]) -> None:
        """`root.Execute()` on a value of a named type whose (non-standard) package is not loaded: an
        edge to an external method, named like a loaded one (`(*pkg.T).M` through a pointer), and the
        literals it links (`root.AddCommand(sub)`: the command tree without cobra's source)."""
        base = self.env.type_of(function[1], scope)
        star = base is not None and base[0] == "ptr"
        while base is not None and base[0] == "ptr":
            base = base[1]
        if base is None or base[0] != "named" or base[1] in self.program.packages or self.program.is_std(base[1]):
            return
        method = f"({'*' if star else ''}{base[1]}.{base[2]}).{function[2]}"
        self._emit(StaticCall(method), *position)
        receiver = self.values.literal_refs(function[1], scope)
        arg_refs = [self.values.literal_refs(a, scope) for a in args]
        if receiver and any(arg_refs):
            self.w.sites.links.append(Link(self.caller, method, receiver, arg_refs, self.facts.path, *position))

    def _field_use(self, e: Any, scope: Scope, call: bool, assigned: bool = False) -> None:
        if self.rt:
            return  # field uses serve the command analysis, not RTA
        if e[1][0] == "id" and e[1][1] in self.tscope.imports and scope.lookup(e[1][1]) is None:
            return
        base = self.env.type_of(e[1], scope)
        if base is None or base[0] == "pkg":
            return
        found = self.types.field(base, e[2])
        if found is not None and found[1] is not None:
            self.w.sites.field_uses.append(FieldUse(found[1], e[2], self.caller, self.facts.path, e[3], e[4], call,
                                                    assigned))

    def _emit(self, target: CallTarget, line: int, col: int) -> None:
        self.w.sites.calls.append(CallSite(self.caller, self.facts.path, line, col, target, go=self.go,
                                           defer=self.defer))


_STATEMENTS = {
    "expr": Body._expr_statement, "define": Body._define_statement, "assign": Body._assign_statement,
    "var": Body._var_statement, "type": Body._type_statement, "go": Body._go_defer_statement,
    "defer": Body._go_defer_statement, "return": Body._return_statement, "block": Body._block_statement,
    "decls": Body._decls_statement, "if": Body._if_statement, "for": Body._for_statement,
    "range": Body._range_statement, "switch": Body._switch_statement, "typeswitch": Body._typeswitch_statement,
    "select": Body._select_statement, "send": Body._send_statement, "incdec": Body._incdec_statement,
    "labeled": Body._labeled_statement,
}
"""Statement tag -> its walk."""
