"""What Rapid Type Analysis needs from a body beyond its calls, recorded by the walk when asked
(`Walker.runtime`): the types a body converts to an interface (SSA's MakeInterface), the functions
it takes as values rather than calls (x/tools' address-taken functions), and the signature of
each call through a func value.

A value converts where an interface is expected: an argument for an interface parameter (each
argument of a `...any` one), an assignment or `var` of interface type, a `return` into an
interface result, a composite literal's interface field or element, `I(x)`, a send on a channel
of interfaces, `append` to a slice of interfaces, `panic(x)`, each result of `a, b = f()` to its
variable. What this can miss: conversions where the expected type is unknown to the resolver
(generic code, an interface method's parameters when the interface is not loaded), and
`var a, b I = f()`.
"""

from __future__ import annotations

__all__ = ["RuntimeRecorder", "freeze"]

from typing import TYPE_CHECKING, Any

from goanalyzer.resolve.callees import Builtin
from goanalyzer.resolve.refs import InterfaceCall, StaticCall, ValueCall
from goanalyzer.resolve.scope import LocalType, LocalVar, Scope
from goanalyzer.resolve.types import ERROR

if TYPE_CHECKING:
    from goanalyzer.resolve.body import Body


def freeze(rt: Any) -> Any:
    """A resolved type as a hashable value (lists become tuples; `any` is `interface{}`), so
    types compare by identity of structure as go/types' Identical does for the cases we see."""
    if rt is None:
        return None
    tag = rt[0]
    if tag == "basic":
        return ("iface", ()) if rt[1] == "any" else rt
    if tag == "named":
        return rt
    if tag in ("ptr", "slice", "array", "chan"):
        return (tag, freeze(rt[1]))
    if tag == "map":
        return ("map", freeze(rt[1]), freeze(rt[2]))
    if tag == "func":
        return ("func", tuple(freeze(p) for p in rt[1]), tuple(freeze(r) for r in rt[2]), bool(rt[3]))
    if tag == "struct":
        return ("struct", tuple((name, freeze(t), bool(emb)) for name, t, emb in rt[1]))
    if tag == "iface":
        return ("iface", tuple(sorted(rt[1])))
    if tag == "tuple":
        return ("tuple", tuple(freeze(t) for t in rt[1]))
    return None


class RuntimeRecorder:
    """Per caller: `converted` (frozen types made into interfaces), `taken` (function name ->
    its frozen signature as a value), `taken_invokes` ((interface, method) of a method value of an
    interface, `loader.Load` -> its frozen signature), and `dynamic` ((caller, line, col) of a call
    through a func value -> the frozen signature called)."""

    def __init__(self) -> None:
        self.converted: dict[str, set] = {}
        self.taken: dict[str, dict[str, Any]] = {}
        self.taken_invokes: dict[str, dict[tuple[Any, str], Any]] = {}
        self.dynamic: dict[tuple[str, int, int], Any] = {}
        self._names_of: Any = None
        self._names: frozenset[str] = frozenset()

    # ----------------------------------------------------------- conversions
    def flow(self, body: Body, value: Any, expected: Any, scope: Scope) -> None:
        """`value` goes where a value of type `expected` is wanted."""
        if expected is None or value[0] == "nil" or not _is_interface(body, expected):
            return
        self.flow_type(body, _local(body, body.env.type_of(value, scope), scope), expected)

    def flow_type(self, body: Body, actual: Any, expected: Any) -> None:
        """A value of type `actual` goes where `expected` is wanted."""
        if actual is None or expected is None or actual[0] == "tuple" or _is_interface(body, actual):
            return
        if _is_interface(body, expected):
            self.converted.setdefault(body.caller, set()).add(freeze(actual))

    def _spread(self, body: Body, value: Any, expected: list[Any], scope: Scope) -> None:
        """`return f()`, `g(f())`: each result of a call of several results to its place."""
        actual = body.env.type_of(value, scope)
        if actual is not None and actual[0] == "tuple" and len(actual[1]) == len(expected):
            for one, wanted in zip(actual[1], expected):
                self.flow_type(body, one, wanted)

    def call(self, body: Body, e: Any, target: Any, scope: Scope, position: tuple[int, int]) -> None:
        """A call: what its arguments convert to, and the signature of a call through a value."""
        function, args = e[1], e[2]
        spread = len(e) > 5 and e[5]
        if isinstance(target, Builtin):
            self._builtin(body, target.name, args, scope, spread)
            return
        if target is None:
            to = body.env.type_operand(function, scope)
            if to is None and function[0] == "id" and function[1] in _UNIVERSE and scope.lookup(function[1]) is None:
                to = _UNIVERSE[function[1]]
            if to is not None:  # a conversion `I(x)` written as a call
                if len(args) == 1:
                    self.flow(body, args[0], to, scope)
                return
            if function[0] == "sel":
                base = _local(body, body.env.type_of(function[1], scope), scope)
                if base is not None and base[0] == "iface" and function[2] in base[1]:
                    target = InterfaceCall(base, function[2])  # an interface declared in the body: `t.(hasElem).Elem()`
                elif _func_field_of_unnamed_struct(body, base, function[2]):
                    target = ValueCall(("call", body.caller, *position))  # `m.Merge(in)`, `type Methods = struct{...}`
                else:
                    return
            elif function[0] in ("call", "index", "unary", "assert"):
                target = ValueCall(("call", body.caller, *position))  # `logCall(...)()`: a func value all the same
            else:
                return
            body._emit(target, *position)
        ftype = _callee_type(body, function, target, scope)
        if ftype is None:
            return
        if not isinstance(target, (StaticCall, InterfaceCall)):
            self.dynamic[(body.caller, *position)] = freeze(ftype)
        params, variadic = ftype[1], ftype[3]
        if len(args) == 1 and len(params) > 1 and args[0][0] == "call":
            self._spread(body, args[0], params, scope)
            return
        for index, arg in enumerate(args):
            if variadic and index >= len(params) - 1 and params:
                last = params[-1]
                expected = last if spread else (last[1] if last is not None and last[0] == "slice" else None)
            else:
                expected = params[index] if index < len(params) else None
            self.flow(body, arg, expected, scope)

    def _builtin(self, body: Body, name: str, args: list[Any], scope: Scope, spread: bool) -> None:
        if name == "panic":  # print and println take their operands as they are
            for arg in args:
                self.flow(body, arg, ("iface", []), scope)
        elif name == "append" and args and not spread:
            element = body.types.element(body.env.type_of(args[0], scope))
            for arg in args[1:]:
                self.flow(body, arg, element, scope)

    def literal(self, body: Body, lit_type: Any, e: Any, scope: Scope) -> None:
        """The elements of a composite literal, each into its field or element type."""
        lit_type = _local(body, lit_type, scope)
        under = body.types.underlying(lit_type)
        if under is None:
            return
        for index, (key, value) in enumerate(e[2]):
            if value[0] == "lit" and value[1] is None:
                continue  # an elided literal's type is the element's own: no conversion
            if under[0] == "struct":
                if key is not None and key[0] == "id":
                    found = body.types.field(lit_type, key[1])
                    expected = found[0] if found is not None else None
                else:
                    expected = under[1][index][1] if index < len(under[1]) else None
            elif under[0] == "map":
                if key is not None:
                    self.flow(body, key, under[1], scope)
                expected = under[2]
            elif under[0] in ("slice", "array"):
                expected = under[1]
            else:
                continue
            self.flow(body, value, expected, scope)

    def returned(self, body: Body, values: list[Any], scope: Scope) -> None:
        signature = body.signature
        if signature is None:
            return
        results = [body.types.resolve(result.type, body.tscope) for result in signature.results]
        if len(values) == 1 and len(results) > 1:
            self._spread(body, values[0], results, scope)
        elif len(values) == len(results):
            for value, result in zip(values, results):
                self.flow(body, value, result, scope)

    def assigned(self, body: Body, targets: list[Any], values: list[Any], scope: Scope) -> None:
        if len(values) == 1 and len(targets) > 1:  # `l, err = sl.listenTCP(ctx, la)`, l a Listener
            wanted = [None if t[0] == "id" and t[1] == "_" else body.env.type_of(t, scope) for t in targets]
            self._spread(body, values[0], wanted, scope)
            return
        if len(targets) != len(values):
            return
        for target, value in zip(targets, values):
            if target[0] != "id" or target[1] != "_":
                self.flow(body, value, body.env.type_of(target, scope), scope)

    def send(self, body: Body, channel: Any, value: Any, scope: Scope) -> None:
        under = body.types.underlying(body.env.type_of(channel, scope))
        if under is not None and under[0] == "chan":
            self.flow(body, value, under[1], scope)

    # ----------------------------------------------------- functions as values
    def reference(self, body: Body, e: Any, scope: Scope) -> None:
        """A name or selector in value position: a function, method value or method expression
        taken as a value."""
        env = body.env
        funcs = body.program.funcs
        if e[0] == "id":
            if scope.lookup(e[1]) is not None:  # the lookup also marks what a closure captures
                return
            for package in (env.tscope.package, *env.tscope.dots):
                info = funcs.get(f"{package}.{e[1]}")
                if info is not None:
                    self._take(body, info.name, body.types.signature(info))
                    return
            return
        operand, name = e[1], e[2]
        if operand[0] == "id" and operand[1] in env.tscope.imports and scope.lookup(operand[1]) is None:
            info = funcs.get(f"{env.tscope.imports[operand[1]]}.{name}")
            if info is not None:
                self._take(body, info.name, body.types.signature(info))
            return
        if name not in self._method_names(body):
            return
        type_rt = env.type_operand(operand, scope)
        if type_rt is not None:  # method expression T.M: the receiver comes first
            found = body.types.method(type_rt, name)
            if found is not None and found[0] == "concrete":
                sig = body.types.signature(found[1])
                self._take(body, found[1].name, ("func", [type_rt, *sig[1]], sig[2], sig[3]))
            return
        local = scope.lookup(operand[1]) if operand[0] == "id" else None
        if isinstance(local, LocalType):
            return
        base = env.type_of(operand, scope)
        if base is None or base[0] == "pkg" or (isinstance(local, LocalVar) and local.type is None):
            return
        found = body.types.method(base, name)
        if found is not None and found[0] == "concrete":  # a method value x.M
            self._take(body, found[1].name, body.types.signature(found[1]))
        elif found is not None and found[0] == "interface":  # x.M of an interface: SSA's bound thunk invokes M
            iface, method = found[1]
            signature = ERROR_METHOD if iface == ERROR else _interface_method_type(body, iface, method)
            if signature is not None:
                self.taken_invokes.setdefault(body.caller, {})[(freeze(iface), method)] = freeze(signature)

    def closure(self, body: Body, name: str, lit: Any) -> None:
        """A function literal in value position."""
        self._take(body, name, body.types.signature_of(lit.signature, body.tscope))

    def _method_names(self, body: Body) -> frozenset[str]:
        """Every method name the program declares: a selector naming none is no method value."""
        program = body.program
        if self._names_of is not program:
            self._names_of = program
            self._names = frozenset(name for methods in program.methods.values() for name in methods)
        return self._names

    def capturing_closure(self, parent: str, name: str, signature: Any) -> None:
        """A function literal with free variables: SSA's MakeClosure takes it as a value even
        where it is called at once (`defer func() { ... }()`)."""
        self.taken.setdefault(parent, {})[name] = freeze(signature)

    def _take(self, body: Body, name: str, signature: Any) -> None:
        self.taken.setdefault(body.caller, {})[name] = freeze(signature)


ERROR_METHOD = ("func", [], [("basic", "string")], False)
"""The signature of `error`'s one method, Error."""

_UNIVERSE = {"error": ERROR, "any": ("iface", [])}
"""The universe's interface types, as a conversion `error(x)` names them."""


def _func_field_of_unnamed_struct(body: Body, base: Any, name: str) -> bool:
    """Whether `base.name` is a func field of a struct without a name (a struct literal type, or
    an alias of one as protobuf's `protoiface.Methods`): the resolver has no owner to key it by,
    yet it is a call through a func value all the same."""
    field_info = body.types.field(base, name) if base is not None else None
    if field_info is None or field_info[1] is not None:
        return False
    under = body.types.underlying(field_info[0])
    return under is not None and under[0] == "func"


def _local(body: Body, rt: Any, scope: Scope) -> Any:
    """A type declared inside a function body (`type cached struct{ r Repo }`) as what it denotes:
    the type environment names it like a package-level type it cannot find."""
    if rt is not None and rt[0] == "named" and rt[1] == body.tscope.package and (rt[1], rt[2]) not in body.program.types:
        at: Scope | None = scope
        while at is not None:  # past variables of the same name: `hasElem, ok := t.(hasElem)`
            local = at.names.get(rt[2])
            if isinstance(local, LocalType):
                return local.type if local.type is not None else rt
            at = at.parent
    return rt


def _is_interface(body: Body, rt: Any) -> bool:
    if rt == ERROR or rt[0] == "iface" or rt == ("basic", "any"):
        return True
    if rt[0] != "named":
        return False
    under = body.types.underlying(rt)
    return under is not None and under[0] == "iface"


def _callee_type(body: Body, function: Any, target: Any, scope: Scope) -> Any:
    """The func type a call calls, as resolved; None when unknown."""
    if isinstance(target, StaticCall):
        info = body.program.funcs.get(target.callee)
        if info is not None:
            return body.types.signature(info)
    if isinstance(target, InterfaceCall):
        return _interface_method_type(body, target.iface, target.method)
    ftype = body.env.type_of(function, scope)
    under = body.types.underlying(ftype) if ftype is not None and ftype[0] == "named" else ftype
    return under if under is not None and under[0] == "func" else None


def _interface_method_type(body: Body, iface: Any, method: str, depth: int = 0) -> Any:
    if iface is not None and iface[0] == "iface" and len(iface) > 2 and depth <= 8:  # a literal embedding
        found = (_interface_method_type(body, p, method, depth + 1) for p in iface[2])
        return next((f for f in found if f is not None), None)
    if iface is None or iface[0] != "named" or depth > 8:
        return None
    info = body.program.types.get((iface[1], iface[2]))
    if info is None:
        return None
    scope = body.types.file_scope(info.file)
    for m in info.decl.methods:
        if m.name == method:
            return body.types.signature_of(m.signature, scope)
    for embed in info.decl.embeds:
        found = _interface_method_type(body, body.types.resolve(embed, scope), method, depth + 1)
        if found is not None:
            return found
    return None
