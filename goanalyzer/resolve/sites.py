"""One pass over every loaded function body: a scoped type environment, the call sites it
resolves statically, and the facts the dynamic rules need (what is stored in func-typed fields,
what is passed for func-typed parameters, which types are constructed, what factories return).

The walk never guesses: an expression whose type it cannot establish yields no edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from goanalyzer.model import FileFacts, Signature
from goanalyzer.naming import closure_name, init_name
from goanalyzer.program import FuncInfo, Program
from goanalyzer.resolve.types import ERROR, TypeScope, Types
from goanalyzer.syntax.ir import FuncLit, expr_text

BUILTIN_FUNCS = frozenset(
    "append cap clear close complex copy delete imag len make max min new panic print println real recover".split())
BUILTIN_RESULTS = {"len": ("basic", "int"), "cap": ("basic", "int"), "recover": None, "real": ("basic", "float64"),
                   "imag": ("basic", "float64"), "complex": ("basic", "complex128")}


class Rule:
    STATIC = "static"
    INTERFACE = "interface"
    FUNCFIELD = "funcfield"
    FUNCVALUE = "funcvalue"


@dataclass(slots=True)
class CallSite:
    """A call found in a body. `callee` is set for static calls; dynamic ones carry `target`."""

    caller: str
    file: str
    line: int
    col: int
    rule: str
    callee: str | None = None
    target: Any = None
    """interface: (iface RT, method, arity); funcfield: (struct key, field); funcvalue: value key."""
    go: bool = False
    defer: bool = False


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
    funcs: set[str] = field(default_factory=set)
    literals: set[str] = field(default_factory=set)
    """Struct literals (ids, or `@...` references) the value holds, e.g. sub-commands."""
    made: set[str] = field(default_factory=set)
    """Named types constructed in the value (`pkg.T`), e.g. the loaders in Resources; `@param:I:F`
    when the value is a parameter (see `made_types_of`)."""


@dataclass(slots=True)
class LiteralFact:
    """A composite literal of a named struct type, found in a walked body."""

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


@dataclass(slots=True)
class Link:
    """A method call whose receiver or arguments are (or return) struct literals: `a.AddCommand(b)`."""

    caller: str
    method: str
    receiver: set[str]
    args: list[set[str]]
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
    field_stores: dict[tuple, set[str]] = field(default_factory=dict)
    """(struct key, field name) -> functions stored there."""
    value_stores: dict[Any, set[str]] = field(default_factory=dict)
    """A func-typed variable or parameter (see `value_key`) -> functions assigned or passed to it."""
    constructed: set[tuple[str, str]] = field(default_factory=set)
    """Named types a value of which is made somewhere (literal, new, conversion, constructor result)."""
    returned: dict[str, set[str]] = field(default_factory=dict)
    """Function -> functions it returns (factories of closures)."""
    returned_at: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    """(function, result index) -> functions its `return` statements give at that index, for
    functions of several results."""
    named_results: dict[tuple[str, int], Any] = field(default_factory=dict)
    """(function, result index) -> the key of its named result variable (a bare `return` gives it)."""
    callers_walked: set[str] = field(default_factory=set)
    literals: dict[str, LiteralFact] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    returned_literals: dict[str, set[str]] = field(default_factory=dict)
    literal_stores: dict[Any, set[str]] = field(default_factory=dict)
    """("global", pkg, name) -> literal refs assigned to a package-level var."""
    field_uses: list[FieldUse] = field(default_factory=list)
    field_assigns: list[tuple[set[str], str, FieldValue]] = field(default_factory=list)
    """`x.F = v` where x holds struct literals, in walk order: (literal refs of x, F, what v is). A
    command filled in after its literal (`CmdBuild.Run = runBuild`, `app.Name = ...` after
    `cli.NewApp()`) and children attached by assignment (`parent.Commands = ...`) come from here."""
    case_types: dict[Any, Any] = field(default_factory=dict)
    """The variable of a type switch's func case (see `value_key`) -> the func type that case
    demands: only functions of that signature reach it (narrowed once every body is walked)."""
    passed_made: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    """(function, parameter index) -> named types constructed in what its callers pass there (a
    FieldValue's `made` may name the parameter: healthcheck.NewCmd's `Resources: loaders`)."""
    passed: dict[tuple[str, str, int, int], dict[int, set[str]]] = field(default_factory=dict)
    """(caller, file, line, col) of a static call -> argument index -> the functions passed there:
    what a goroutine helper (`safe.Go(func() {...})`) runs, at this call rather than at any."""

    def store(self, table: dict, key: Any, values: set[str]) -> None:
        if values:
            table.setdefault(key, set()).update(values)


# A local variable holding a function: ("local", function, name, decl line) keys its assignments;
# a type switch's bound variable has one per case: ("local", function, name, switch line, case index).
# A parameter: ("param", function, index).


class LocalVar:
    """A local variable: its type, the functions and struct literals it may hold, and whether a
    closure captures it (SSA then reaches it through memory: calls through it are not static)."""

    __slots__ = ("type", "funcs", "assignments", "key", "literals", "made", "captured")

    def __init__(self, type_: Any, key: Any):
        self.type = type_
        self.funcs: set[str] = set()
        self.assignments = 0
        self.key = key
        self.literals: set[str] = set()
        self.made: set[str] = set()
        self.captured = False



class Scope:
    __slots__ = ("names", "parent", "boundary")

    def __init__(self, parent: Scope | None = None, boundary: bool = False):
        self.names: dict[str, Any] = {}
        self.parent = parent
        self.boundary = boundary
        """The outermost scope of a function literal: names found beyond it are captured."""

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        crossed = False
        while scope is not None:
            if name in scope.names:
                found = scope.names[name]
                if crossed and isinstance(found, LocalVar):
                    found.captured = True
                return found
            crossed = crossed or scope.boundary
            scope = scope.parent
        return None


_TYPE = "type"
DEFERRED = "@returns:"
"""A value set entry `@returns:F` stands for whatever F returns; expanded once every body is walked."""
RETURNS_LITERAL = "@returns-literal:"
GLOBAL = "@global:"
PARAM = "@param:"
"""A value set entry `@param:I:F` stands for whatever is passed for parameter I of F: a function
that forwards its func parameter (`safe.Go(goroutine)` calls `GoWithRecover(goroutine, ...)`)
hands on the functions its own callers pass."""
RESULT = "@result:"
"""`@result:I:F` stands for the functions F returns in result I of several (`file, sourceAdj, _, err
:= parse(...)` in gofmt): its `return` statements' values at I and its named result I."""
FIELD = "@field:"
"""`@field:pkg.T.F` stands for whatever is stored in field F of struct pkg.T: a func read from a
field and passed on (urfave/cli v1's `HandleAction(c.Action, ctx)`)."""


def collect_sites(program: Program, types: Types | None = None) -> Sites:
    """Walk every function body the loader extracted (root packages and --into dependencies)."""
    types = types or Types(program)
    sites = Sites()
    walker = _Walker(program, types, sites)
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


class _Walker:
    def __init__(self, program: Program, types: Types, sites: Sites):
        self.program = program
        self.types = types
        self.sites = sites
        self.counters: dict[str, int] = {}
        self.lit_names: dict[int, str] = {}
        self.lit_ids: dict[int, str] = {}
        self.package_var_types: dict[tuple[str, str], Any] = {}

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
            scope.names[info.decl.receiver.name] = LocalVar(recv, ("local", info.name, info.decl.receiver.name, 0))
        self._bind_params(info.name, info.decl.signature, scope, tscope)
        self.sites.callers_walked.add(info.name)
        _Body(self, info.name, info.file, tscope, info.decl.signature).block(info.decl.body, scope)

    def package_var(self, caller: str, spec, facts: FileFacts) -> None:
        tscope = self.types.file_scope(facts)
        body = _Body(self, caller, facts, tscope, None)
        scope = Scope()
        self.sites.callers_walked.add(caller)
        for index, value in enumerate(spec.values):
            body.expr(value, scope)
            if index < len(spec.names):
                body.flow_into(("global", tscope.package, spec.names[index]), value, scope)

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
            _Body(self, name, facts, tscope, lit.signature).block(lit.body, scope)
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
                if len(values) == len(info.spec.names):
                    result = _Body(self, "", info.file, tscope, None, quiet=True).type_of(values[info.index], Scope())
                elif len(values) == 1:
                    multi = _Body(self, "", info.file, tscope, None, quiet=True).type_of(values[0], Scope())
                    if multi is not None and multi[0] == "tuple" and info.index < len(multi[1]):
                        result = multi[1][info.index]
        self.package_var_types[key] = result
        return result


class _Body:
    """The walk of one function body (closures get their own _Body)."""

    def __init__(self, walker: _Walker, caller: str, facts: FileFacts, tscope: TypeScope,
                 signature: Signature | None, quiet: bool = False):
        self.w = walker
        self.types = walker.types
        self.program = walker.program
        self.caller = caller
        self.facts = facts
        self.tscope = tscope
        self.signature = signature
        self.quiet = quiet
        self.go = False
        self.defer = False

    # ------------------------------------------------------------- statements
    def block(self, block: Any, scope: Scope) -> None:
        if block is None:
            return
        inner = Scope(scope)
        for statement in block[1]:
            self.statement(statement, inner)

    def statement(self, s: Any, scope: Scope) -> None:  # noqa: C901 - dispatch over statement kinds
        if s is None:
            return
        tag = s[0]
        if tag == "expr":
            self.expr(s[1], scope)
        elif tag == "define":
            self._define(s[1], s[2], scope, s[3])
        elif tag == "assign":
            self._assign(s[1], s[2], s[3], scope)
        elif tag == "var":
            declared = self.types.resolve(s[2], self.tscope) if s[2] is not None else None
            self._define(s[1], s[3], scope, s[4], declared)
        elif tag == "type":
            scope.names[s[1]] = (_TYPE, self.types.resolve(s[2], self.tscope))
        elif tag in ("go", "defer"):
            previous = (self.go, self.defer)
            self.go, self.defer = tag == "go", tag == "defer"
            call = s[1]
            if call[0] == "call":
                # x/tools places go/defer calls at the keyword
                self._call(call, scope, position=(s[3], s[2]))
            else:
                self.expr(call, scope)
            self.go, self.defer = previous
        elif tag == "return":
            for index, value in enumerate(s[1]):
                self.expr(value, scope)
                funcs = self.func_values(value, scope)
                if funcs:
                    self.w.sites.store(self.w.sites.returned, self.caller, funcs)
                    if len(s[1]) > 1:
                        self.w.sites.store(self.w.sites.returned_at, (self.caller, index), funcs)
                self.w.sites.store(self.w.sites.returned_literals, self.caller, self.literal_refs(value, scope))
                self._note_constructed(value, scope)
        elif tag == "block":
            inner = Scope(scope)
            for statement in s[1]:
                self.statement(statement, inner)
        elif tag == "decls":
            for statement in s[1]:
                self.statement(statement, scope)
        elif tag == "if":
            inner = Scope(scope)
            self.statement(s[1], inner)
            self.expr(s[2], inner)
            self.block(s[3], inner)
            self.statement(s[4], inner)
        elif tag == "for":
            inner = Scope(scope)
            self.statement(s[1], inner)
            if s[2] is not None:
                self.expr(s[2], inner)
            self.block(s[4], inner)  # SSA builds the body before the post statement
            self.statement(s[3], inner)
        elif tag == "range":
            inner = Scope(scope)
            self.expr(s[3], scope)
            ranged = self.type_of(s[3], scope)
            if s[2]:
                kinds = [self.types.key(ranged), self.types.element(ranged)]
                under = self.types.underlying(ranged)
                if under is not None and under[0] == "chan":
                    kinds = [under[1], None]
                for index, target in enumerate(s[1]):
                    if target[0] == "id" and target[1] != "_" and index < 2:
                        inner.names[target[1]] = LocalVar(kinds[index], ("local", self.caller, target[1], s[5]))
            else:
                for target in s[1]:
                    self.expr(target, scope)
            self.block(s[4], inner)
        elif tag == "switch":
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
        elif tag == "typeswitch":
            inner = Scope(scope)
            self.statement(s[1], inner)
            self.expr(s[3], inner)
            subject = self.type_of(s[3], inner)
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
                        self.w.sites.store(self.w.sites.value_stores, key, self.func_values(s[3], inner))
                        self.w.sites.case_types[key] = under
                for statement in body:
                    self.statement(statement, case_scope)
        elif tag == "select":
            for comm, body in s[1]:
                case_scope = Scope(scope)
                self.statement(comm, case_scope)
                for statement in body:
                    self.statement(statement, case_scope)
        elif tag == "send":
            self.expr(s[1], scope)
            self.expr(s[2], scope)
        elif tag == "incdec":
            self._target(s[1], scope)
        elif tag == "labeled":
            self.statement(s[2], scope)

    def _define(self, names: list[str], values: list[Any], scope: Scope, line: int, declared: Any = None) -> None:
        """`:=` and `var`: each name a new local, of the declared type or its value's."""
        for value in values:
            self.expr(value, scope)
        value_types = self._value_types(values, len(names), scope)
        for index, name in enumerate(names):
            if name == "_":
                continue
            existing = scope.names.get(name)
            if isinstance(existing, LocalVar):  # `a, err := ...` redeclares err in the same scope: an assignment
                existing.assignments += 1
                if len(values) == len(names):
                    self._bind_value(existing, values[index], scope)
                continue
            var = LocalVar(declared if declared is not None else value_types[index], ("local", self.caller, name, line))
            scope.names[name] = var
            if len(values) == len(names):
                self._bind_value(var, values[index], scope)
            elif len(values) == 1 and values[0][0] == "call":
                self._note_constructed_type(value_types[index])
                self._bind_result(var, values[0], index, scope)

    def _assign(self, targets: list[Any], op: str, values: list[Any], scope: Scope) -> None:
        for value in values:
            self.expr(value, scope)
        for target in targets:
            if target[0] != "id":
                self._target(target, scope)
        if op == "=" and len(values) == 1 and len(targets) > 1 and values[0][0] == "call":  # a, f = g()
            for index, target in enumerate(targets):
                var = scope.lookup(target[1]) if target[0] == "id" else None
                if isinstance(var, LocalVar):
                    var.assignments += 1
                    self._bind_result(var, values[0], index, scope)
        if op != "=" or len(targets) != len(values):
            return
        for target, value in zip(targets, values):
            funcs = self.func_values(value, scope)
            self._note_constructed(value, scope)
            if target[0] == "id":
                var = scope.lookup(target[1])
                if isinstance(var, LocalVar):
                    var.assignments += 1
                    var.funcs |= funcs
                    self.w.sites.store(self.w.sites.value_stores, var.key, funcs)
                elif funcs and (self.tscope.package, target[1]) in self.program.values:
                    self.w.sites.store(self.w.sites.value_stores, ("global", self.tscope.package, target[1]), funcs)
            elif target[0] == "sel" and not self.quiet:
                receiver = self.literal_refs(target[1], scope)
                if receiver:
                    self.w.sites.field_assigns.append((receiver, target[2], FieldValue(
                        expr_text(value, 4000), funcs, self.literal_refs(value, scope), self.made_types(value, scope))))
            if target[0] == "sel" and funcs:
                owner = self._field_owner(target, scope)
                if owner is not None:
                    self.w.sites.store(self.w.sites.field_stores, owner, funcs)
                else:
                    base = self.type_of(target[1], scope)
                    if base is not None and base[0] == "pkg":
                        self.w.sites.store(self.w.sites.value_stores, ("global", base[1], target[2]), funcs)

    def _bind_result(self, var: LocalVar, call: Any, index: int, scope: Scope) -> None:
        """`a, f := g()`: f holds what g returns at `index` (when it may hold a function)."""
        callee = self._static_callee_name(call[1], scope)
        if callee is not None and self._may_hold_func(var.type):
            funcs = {f"{RESULT}{index}:{callee}"}
            var.funcs |= funcs
            self.w.sites.store(self.w.sites.value_stores, var.key, funcs)

    def _bind_value(self, var: LocalVar, value: Any, scope: Scope) -> None:
        var.assignments += 1
        funcs = self.func_values(value, scope)
        var.funcs |= funcs
        var.literals |= self.literal_refs(value, scope)
        var.made |= self.made_types(value, scope)
        self.w.sites.store(self.w.sites.value_stores, var.key, funcs)
        self._note_constructed(value, scope)

    def flow_into(self, key: Any, value: Any, scope: Scope) -> None:
        self.w.sites.store(self.w.sites.value_stores, key, self.func_values(value, scope))
        self.w.sites.store(self.w.sites.literal_stores, key, self.literal_refs(value, scope))
        self._note_constructed(value, scope)

    def _value_types(self, values: list[Any], count: int, scope: Scope) -> list[Any]:
        if len(values) == count:
            return [self.type_of(v, scope) for v in values]
        if len(values) == 1:
            single = values[0]
            if single[0] == "index" and count == 2:  # v, ok := m[k]
                return [self.type_of(single, scope), ("basic", "bool")]
            if single[0] == "assert" and count == 2:
                return [self.type_of(single, scope), ("basic", "bool")]
            if single[0] == "unary" and single[1] == "<-" and count == 2:
                return [self.type_of(single, scope), ("basic", "bool")]
            multi = self.type_of(single, scope)
            if multi is not None and multi[0] == "tuple":
                results = list(multi[1])
                return (results + [None] * count)[:count]
        return [None] * count

    # ------------------------------------------------------------ expressions
    def expr(self, e: Any, scope: Scope) -> None:
        """Visit an expression for its calls and closures (in source order)."""
        tag = e[0]
        if tag == "call":
            self._call(e, scope)
        elif tag == "conv":
            callee = self._generic_callee(e[1], scope)
            if callee is not None:
                self._emit_static(callee, e[3], e[4])
            self.expr(e[2], scope)
        elif tag == "funclit":
            self.w.closure(self.caller, e[1], self.facts, self.tscope, scope)
        elif tag == "sel":
            self.expr(e[1], scope)
            self._field_use(e, scope, call=False)
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
        self._note_constructed_type(lit_type)
        under = self.types.underlying(lit_type)
        fact = None
        if under is not None and under[0] == "struct" and lit_type[0] == "named" and not self.quiet:
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
                fact.fields[field_name] = FieldValue(expr_text(value, 4000), self.func_values(value, scope),
                                                     self.literal_refs(value, scope), self.made_types(value, scope))
            if key is not None and key[0] == "id" and under is not None and under[0] == "struct":
                funcs = self.func_values(value, scope)
                if funcs:
                    owner = (lit_type[1], lit_type[2]) if lit_type is not None and lit_type[0] == "named" else None
                    if owner is not None:
                        self.w.sites.store(self.w.sites.field_stores, (owner, key[1]), funcs)
                self._note_constructed(value, scope)
            elif element_type is not None:
                self._note_constructed(value, scope)

    def _visit_nested(self, value: Any, scope: Scope, parent: tuple | None) -> None:
        """Visit a literal element, passing the enclosing literal down to nested struct literals."""
        inner = value[2] if value[0] == "unary" and value[1] == "&" else value
        if inner[0] == "lit" and parent is not None:
            self._literal(inner, scope, None, parent)
        else:
            self.expr(value, scope)

    def literal_refs(self, e: Any, scope: Scope) -> set[str]:
        """Struct literals an expression may evaluate to: ids, `@returns-literal:F`, `@global:pkg.name`."""
        tag = e[0]
        if tag == "unary" and e[1] == "&":
            return self.literal_refs(e[2], scope)
        if tag == "lit":
            lid = self.w.lit_ids.get(id(e))
            if lid:
                return {lid}
            out: set[str] = set()
            for _key, value in e[2]:
                out |= self.literal_refs(value, scope)
            return out
        if tag == "id":
            local = scope.lookup(e[1])
            if isinstance(local, LocalVar):
                return set(local.literals)
            if local is None and (self.tscope.package, e[1]) in self.program.values:
                return {f"{GLOBAL}{self.tscope.package}.{e[1]}"}
            return set()
        if tag == "sel" and e[1][0] == "id" and scope.lookup(e[1][1]) is None and e[1][1] in self.tscope.imports:
            package = self.tscope.imports[e[1][1]]
            return {f"{GLOBAL}{package}.{e[2]}"} if (package, e[2]) in self.program.values else set()
        if tag == "call":
            callee = self._static_callee_name(e[1], scope)
            return {RETURNS_LITERAL + callee} if callee else set()
        return set()

    def made_types(self, e: Any, scope: Scope) -> set[str]:
        """Named types constructed in an expression (`&tcli.FileLoader{}` -> the loader's type)."""
        tag = e[0]
        if tag == "unary" and e[1] == "&":
            return self.made_types(e[2], scope)
        if tag == "lit":
            out: set[str] = set()
            rt = self.types.resolve(e[1], self.tscope) if e[1] is not None else None
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
                return {*local.made, f"{PARAM}{local.key[2]}:{local.key[1]}"}
            return set(local.made) if isinstance(local, LocalVar) else set()
        return set()

    def _call(self, e: Any, scope: Scope, position: tuple[int, int] | None = None) -> None:
        function, args = e[1], e[2]
        line, col = position or (e[3], e[4])
        go, defer = self.go, self.defer
        self.go = self.defer = False
        # the callee expression first (its own calls and closures), then the arguments
        callee_kind = self._resolve_callee(function, scope)
        for arg in args:
            self.expr(arg, scope)
        self.go, self.defer = go, defer
        kind, value = callee_kind
        if kind == "static":
            self._emit_static(value, line, col)
            self._record_args(value, args, scope, (line, col))
            if value.startswith("(") and function[0] == "sel" and not self.quiet:
                receiver = self.literal_refs(function[1], scope)
                arg_refs = [self.literal_refs(a, scope) for a in args]
                if receiver or any(arg_refs):
                    self.w.sites.links.append(Link(self.caller, value, receiver, arg_refs, self.facts.path,
                                                   line, col))
        elif kind == "local":
            if not self.quiet:
                self.w.sites.calls.append(CallSite(self.caller, self.facts.path, line, col, Rule.STATIC,
                                                   target=value, go=self.go, defer=self.defer))
        elif kind in ("interface", "funcfield", "funcvalue"):
            self._emit_dynamic(kind, value, line, col)
        elif kind == "builtin" and value == "new" and args:
            self._note_constructed_type(self._arg_type(args[0]))
        self.go = self.defer = False

    def _arg_type(self, arg: Any) -> Any:
        if arg[0] == "id":
            return self.types.resolve(("name", arg[1]), self.tscope)
        if arg[0] == "sel" and arg[1][0] == "id":
            return self.types.resolve(("qual", arg[1][1], arg[2]), self.tscope)
        if arg[0] == "typeexpr":
            return self.types.resolve(arg[1], self.tscope)
        return None

    def _resolve_callee(self, f: Any, scope: Scope) -> tuple[str, Any]:  # noqa: C901
        tag = f[0]
        if tag == "funclit":
            return ("static", self.w.closure(self.caller, f[1], self.facts, self.tscope, scope))
        if tag == "index":  # F[T](x): an instantiation resolves to F
            self.expr(f, scope)
            base = f[1]
            if base[0] in ("id", "sel"):
                inner = self._member_function(base, scope)
                if inner is not None:
                    return ("static", inner)
            return ("none", None)
        if tag == "id":
            name = f[1]
            local = scope.lookup(name)
            if isinstance(local, LocalVar):
                if local.funcs and not any(f.startswith("@") for f in local.funcs):  # all known now
                    return ("local", local)  # static when assigned once and never captured
                under = self.types.underlying(local.type)
                if under is not None and under[0] == "func" or local.type is None:
                    return ("funcvalue", local.key)
                return ("none", None)
            if local is not None:
                return ("none", None)  # a local type: conversion
            member = self._package_member(self.tscope.package, name)
            if member is not None:
                return member
            for dot in self.tscope.dots:
                member = self._package_member(dot, name)
                if member is not None:
                    return member
            if name in BUILTIN_FUNCS:
                return ("builtin", name)
            return ("none", None)
        if tag == "sel":
            operand, name = f[1], f[2]
            if operand[0] == "id" and scope.lookup(operand[1]) is None \
                    and operand[1] in self.tscope.imports:
                package = self.tscope.imports[operand[1]]
                member = self._package_member(package, name)
                if member is not None:
                    return member
                if (package, name) in self.program.types:
                    return ("none", None)
                if package not in self.program.packages:  # external: named all the same
                    return ("static", f"{package}.{name}")
                return ("none", None)
            self.expr(operand, scope)
            method_expr = self._method_expression(operand, name, scope)
            if method_expr is not None:
                return ("static", method_expr)
            base = self.type_of(operand, scope)
            if base is None:
                return ("none", None)
            found = self.types.method(base, name)
            if found is not None:
                if found[0] == "concrete":
                    return ("static", found[1].name)
                iface, method = found[1]
                return ("interface", (iface, method))
            field_info = self.types.field(base, name)
            if field_info is not None:
                field_type, owner = field_info
                under = self.types.underlying(field_type)
                if owner is not None and (under is None or under[0] == "func"):
                    if not self.quiet:
                        self.w.sites.field_uses.append(FieldUse(owner, name, self.caller, self.facts.path, f[3], f[4],
                                                                True))
                    return ("funcfield", (owner, name))
            return ("none", None)
        if tag == "call":
            # f()(): the function returned by a call
            self._call(f, scope)
            return ("none", None)
        self.expr(f, scope)
        return ("none", None)

    def _package_member(self, package: str, name: str) -> tuple[str, Any] | None:
        function = f"{package}.{name}"
        if function in self.program.funcs:
            return ("static", function)
        if (package, name) in self.program.values:
            return ("funcvalue", ("global", package, name))
        if (package, name) in self.program.types:
            return ("none", None)
        return None

    def _member_function(self, e: Any, scope: Scope) -> str | None:
        if e[0] == "id":
            if scope.lookup(e[1]) is not None:
                return None
            for package in (self.tscope.package, *self.tscope.dots):
                if f"{package}.{e[1]}" in self.program.funcs:
                    return f"{package}.{e[1]}"
            return None
        if e[0] == "sel" and e[1][0] == "id" and scope.lookup(e[1][1]) is None and e[1][1] in self.tscope.imports:
            package = self.tscope.imports[e[1][1]]
            name = f"{package}.{e[2]}"
            if name in self.program.funcs or package not in self.program.packages:
                return name
        return None

    def _generic_callee(self, type_ir: Any, scope: Scope) -> str | None:
        """`NewX[int](1)` parses as a conversion to a generic type; it is a call when NewX is a func."""
        if type_ir is None or type_ir[0] != "generic":
            return None
        base = type_ir[1]
        if base[0] == "name":
            return self._member_function(("id", base[1], 0, 0), scope)
        if base[0] == "qual":
            return self._member_function(("sel", ("id", base[1], 0, 0), base[2], 0, 0), scope)
        return None

    def _method_expression(self, operand: Any, name: str, scope: Scope) -> str | None:
        """(*T).M and T.M name the method itself."""
        type_rt = self._type_operand(operand, scope)
        if type_rt is None:
            return None
        found = self.types.method(type_rt, name)
        if found is not None and found[0] == "concrete":
            return found[1].name
        return None

    def _type_operand(self, e: Any, scope: Scope) -> Any:
        tag = e[0]
        if tag == "unary" and e[1] == "*":
            inner = self._type_operand(e[2], scope)
            return ("ptr", inner) if inner is not None else None
        if tag == "typeexpr":
            return self.types.resolve(e[1], self.tscope)
        if tag == "id":
            local = scope.lookup(e[1])
            if isinstance(local, tuple) and local[0] == _TYPE:
                return local[1]
            if local is None and ((self.tscope.package, e[1]) in self.program.types):
                return ("named", self.tscope.package, e[1])
            return None
        if tag == "sel" and e[1][0] == "id" and scope.lookup(e[1][1]) is None and e[1][1] in self.tscope.imports:
            package = self.tscope.imports[e[1][1]]
            if (package, e[2]) in self.program.types:
                return ("named", package, e[2])
        return None

    # ----------------------------------------------------------------- typing
    def type_of(self, e: Any, scope: Scope, depth: int = 0) -> Any:  # noqa: C901
        """The static type of an expression, or None when unsure."""
        if depth > 12:
            return None
        tag = e[0]
        if tag == "id":
            name = e[1]
            local = scope.lookup(name)
            if isinstance(local, LocalVar):
                return local.type
            if local is not None:
                return None
            for package in (self.tscope.package, *self.tscope.dots):
                if (package, name) in self.program.values:
                    return self.w.package_var_type(package, name)
                function = self.program.funcs.get(f"{package}.{name}")
                if function is not None:
                    return self.types.signature(function)
            if name in self.tscope.imports:
                return ("pkg", self.tscope.imports[name])
            if name in ("true", "false"):
                return ("basic", "bool")
            return None
        if tag == "sel":
            operand, name = e[1], e[2]
            base = self.type_of(operand, scope, depth + 1)
            if base is None:
                type_rt = self._type_operand(operand, scope)
                if type_rt is not None:  # method expression: a func taking the receiver first
                    found = self.types.method(type_rt, name)
                    if found and found[0] == "concrete":
                        sig = self.types.signature(found[1])
                        return ("func", [type_rt, *sig[1]], sig[2], sig[3])
                return None
            if base[0] == "pkg":
                package = base[1]
                if (package, name) in self.program.values:
                    return self.w.package_var_type(package, name)
                function = self.program.funcs.get(f"{package}.{name}")
                if function is not None:
                    return self.types.signature(function)
                return None
            field_info = self.types.field(base, name)
            if field_info is not None:
                return field_info[0]
            found = self.types.method(base, name)
            if found is not None and found[0] == "concrete":
                return self.types.signature(found[1])
            return None
        if tag == "call":
            return self._call_type(e, scope, depth)
        if tag == "conv":
            callee = self._generic_callee(e[1], scope)
            if callee is not None:
                function = self.program.funcs.get(callee)
                return _results(self.types.signature(function)) if function else None
            return self.types.resolve(e[1], self.tscope)
        if tag == "lit":
            return self.types.resolve(e[1], self.tscope) if e[1] is not None else None
        if tag == "funclit":
            return self.types.signature_of(e[1].signature, self.tscope)
        if tag == "unary":
            op = e[1]
            inner = self.type_of(e[2], scope, depth + 1)
            if op == "&":
                return ("ptr", inner) if inner is not None else None
            if op == "*":
                under = self.types.underlying(inner)
                return under[1] if under is not None and under[0] == "ptr" else None
            if op == "<-":
                under = self.types.underlying(inner)
                return under[1] if under is not None and under[0] == "chan" else None
            if op == "!":
                return ("basic", "bool")
            return inner
        if tag == "binary":
            if e[1] in ("==", "!=", "<", "<=", ">", ">=", "&&", "||"):
                return ("basic", "bool")
            return self.type_of(e[2], scope, depth + 1)
        if tag == "index":
            base = self.type_of(e[1], scope, depth + 1)
            if base is not None and base[0] == "func":
                return base  # an instantiation F[T]
            return self.types.element(base)
        if tag == "slice":
            return self.type_of(e[1], scope, depth + 1)
        if tag == "assert":
            return self.types.resolve(e[2], self.tscope) if e[2] is not None else None
        if tag == "basic":
            return ("basic", {"int": "int", "float": "float64", "rune": "int32", "imag": "complex128"}.get(
                e[1], e[1]))
        return None

    def _call_type(self, e: Any, scope: Scope, depth: int) -> Any:
        f, args = e[1], e[2]
        if f[0] == "id" and scope.lookup(f[1]) is None:
            name = f[1]
            if name == "new" and args:
                inner = self._arg_type(args[0])
                return ("ptr", inner) if inner is not None else None
            if name == "make" and args:
                return self._arg_type(args[0])
            if name == "append" and args:
                return self.type_of(args[0], scope, depth + 1)
            if name in BUILTIN_RESULTS and (self.tscope.package, name) not in self.program.values \
                    and f"{self.tscope.package}.{name}" not in self.program.funcs:
                return BUILTIN_RESULTS[name]
        conversion = self._type_operand(f, scope)
        if conversion is not None:
            return conversion
        if f[0] == "typeexpr":
            return self.types.resolve(f[1], self.tscope)
        if f[0] == "sel":
            base = self.type_of(f[1], scope, depth + 1)
            if base is not None and base[0] != "pkg":
                found = self.types.method(base, f[2])
                if found is not None and found[0] == "interface":
                    return self._interface_method_result(found[1])
        ftype = self.type_of(f, scope, depth + 1)
        under = self.types.underlying(ftype) if ftype is not None and ftype[0] == "named" else ftype
        if under is not None and under[0] == "func":
            return _results(under)
        return None

    def _interface_method_result(self, target: tuple[Any, str]) -> Any:
        iface, method = target
        if iface == ERROR:
            return ("basic", "string")
        if iface is None or iface[0] != "named":
            return None
        info = self.program.types.get((iface[1], iface[2]))
        if info is None:
            return None
        for m in info.decl.methods:
            if m.name == method:
                scope = self.types.file_scope(info.file)
                return _results(self.types.signature_of(m.signature, scope))
        for embed in info.decl.embeds:
            inner = self.types.resolve(embed, self.types.file_scope(info.file))
            if inner is not None:
                found = self._interface_method_result((inner, method))
                if found is not None:
                    return found
        return None

    # --------------------------------------------------------- value facts
    def func_values(self, e: Any, scope: Scope) -> set[str]:
        """The functions an expression may evaluate to (closures, named funcs, method values)."""
        tag = e[0]
        if tag == "funclit":
            name = self.w.lit_names.get(id(e[1]))
            return {name} if name else set()
        if tag == "id":
            local = scope.lookup(e[1])
            if isinstance(local, LocalVar):
                if local.key[0] == "param" and self._may_hold_func(local.type):
                    return {*local.funcs, f"{PARAM}{local.key[2]}:{local.key[1]}"}
                return set(local.funcs)
            if local is not None:
                return set()
            for package in (self.tscope.package, *self.tscope.dots):
                if f"{package}.{e[1]}" in self.program.funcs:
                    return {f"{package}.{e[1]}"}
            return set()
        if tag == "sel":
            operand = e[1]
            if operand[0] == "id" and scope.lookup(operand[1]) is None and operand[1] in self.tscope.imports:
                name = f"{self.tscope.imports[operand[1]]}.{e[2]}"
                return {name} if name in self.program.funcs else set()
            method_expr = self._method_expression(operand, e[2], scope)
            if method_expr is not None:
                return {method_expr}
            base = self.type_of(operand, scope)
            if base is not None:
                found = self.types.method(base, e[2])
                if found is not None and found[0] == "concrete":
                    return {found[1].name}
                field = self.types.field(base, e[2]) if base[0] != "pkg" else None
                if field is not None and field[1] is not None and self._may_hold_func(field[0]):
                    return {f"{FIELD}{field[1][0]}.{field[1][1]}.{e[2]}"}
            return set()
        if tag == "call":
            callee = self._static_callee_name(e[1], scope)
            return {DEFERRED + callee} if callee is not None else set()
        if tag == "unary" and e[1] == "&":
            return set()
        if tag == "conv":
            return self.func_values(e[2], scope)
        return set()

    def _may_hold_func(self, rt: Any) -> bool:
        """A func type, an empty interface (urfave/cli v1's `Action interface{}`), or unknown."""
        under = self.types.underlying(rt) if rt is not None else None
        return rt is None or under is not None and (under[0] == "func" or under in (("iface", []), ("basic", "any")))

    def _static_callee_name(self, f: Any, scope: Scope) -> str | None:
        if f[0] == "id" and scope.lookup(f[1]) is None:
            for package in (self.tscope.package, *self.tscope.dots):
                if f"{package}.{f[1]}" in self.program.funcs:
                    return f"{package}.{f[1]}"
        if f[0] == "sel" and f[1][0] == "id" and scope.lookup(f[1][1]) is None and f[1][1] in self.tscope.imports:
            name = f"{self.tscope.imports[f[1][1]]}.{f[2]}"
            return name if name in self.program.funcs else None
        return None

    def _target(self, target: Any, scope: Scope) -> None:
        """An assignment's target other than a plain name: its operand is read, a field is set."""
        if target[0] == "sel":
            self.expr(target[1], scope)
            self._field_use(target, scope, call=False, assigned=True)
        else:
            self.expr(target, scope)

    def _field_use(self, e: Any, scope: Scope, call: bool, assigned: bool = False) -> None:
        if self.quiet or e[1][0] == "id" and e[1][1] in self.tscope.imports and scope.lookup(e[1][1]) is None:
            return
        base = self.type_of(e[1], scope)
        if base is None or base[0] == "pkg":
            return
        found = self.types.field(base, e[2])
        if found is not None and found[1] is not None:
            self.w.sites.field_uses.append(FieldUse(found[1], e[2], self.caller, self.facts.path, e[3], e[4], call,
                                                    assigned))

    def _field_owner(self, target: Any, scope: Scope) -> tuple | None:
        base = self.type_of(target[1], scope)
        if base is None or base[0] == "pkg":
            return None
        found = self.types.field(base, target[2])
        if found is None or found[1] is None:
            return None
        return (found[1], target[2])

    def _record_args(self, callee: str, args: list[Any], scope: Scope, position: tuple[int, int]) -> None:
        for index, arg in enumerate(args):
            self.w.sites.store(self.w.sites.passed_made, (callee, index), self.made_types(arg, scope))
            funcs = self.func_values(arg, scope)
            if funcs:
                self.w.sites.store(self.w.sites.value_stores, ("param", callee, index), funcs)
                if not self.quiet:
                    self.w.sites.passed.setdefault((self.caller, self.facts.path, *position), {})[index] = funcs
            self._note_constructed(arg, scope)

    def _note_constructed(self, e: Any, scope: Scope) -> None:
        tag = e[0]
        if tag == "unary" and e[1] == "&":
            e = e[2]
            tag = e[0]
        if tag in ("lit", "conv"):
            self._note_constructed_type(self.types.resolve(e[1], self.tscope) if e[1] is not None else None)
        elif tag == "call":
            self._note_constructed_type(self._call_type(e, scope, 0))

    def _note_constructed_type(self, rt: Any) -> None:
        while rt is not None and rt[0] == "ptr":
            rt = rt[1]
        if rt is not None and rt[0] == "named":
            self.w.sites.constructed.add((rt[1], rt[2]))

    # ----------------------------------------------------------------- edges
    def _emit_static(self, callee: str, line: int, col: int) -> None:
        if self.quiet:
            return
        self.w.sites.calls.append(CallSite(self.caller, self.facts.path, line, col, Rule.STATIC, callee=callee,
                                           go=self.go, defer=self.defer))

    def _emit_dynamic(self, rule: str, target: Any, line: int, col: int) -> None:
        if self.quiet:
            return
        self.w.sites.calls.append(CallSite(self.caller, self.facts.path, line, col, rule, target=target,
                                           go=self.go, defer=self.defer))


def _results(func_type: Any) -> Any:
    results = func_type[2]
    if not results:
        return None
    if len(results) == 1:
        return results[0]
    return ("tuple", list(results))
