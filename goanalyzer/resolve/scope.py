"""The scope and type environment of a walked body: what a name denotes (a local, a package
member, a type) and the static type of an expression, or None when unsure.

Nothing here records facts: the walk (body.py) asks, and records what it learns (valueflow.py).
"""

from __future__ import annotations

from typing import Any, Callable

from goanalyzer.program import Program
from goanalyzer.resolve.types import ERROR, TypeScope, Types

BUILTIN_RESULTS = {"len": ("basic", "int"), "cap": ("basic", "int"), "recover": None, "real": ("basic", "float64"),
                   "imag": ("basic", "float64"), "complex": ("basic", "complex128")}
MAX_TYPE_DEPTH = 40
"""Expressions are typed at most this deep (a builder chain `New().M1()...M20()` is 21 deep; each
level is a few frames of recursion under a body walk that may itself be deep)."""
_NOT_TYPED = object()
"""The operand's type not asked yet (None means asked and unknown)."""
BASIC_LITERAL_TYPES = {"int": "int", "float": "float64", "rune": "int32", "imag": "complex128"}


class LocalVar:
    """A local variable: its type, the functions and struct literals it may hold, and whether a
    closure captures it (SSA then reaches it through memory: calls through it are not static).

    `key` names it in `Sites.value_stores`: ("local", function, name, decl line) for a local,
    ("local", function, name, switch line, case index) for a type switch's bound variable (one per
    case), ("param", function, index) for a parameter."""

    __slots__ = ("type", "funcs", "assignments", "key", "literals", "made", "captured")

    def __init__(self, type_: Any, key: tuple):
        self.type = type_
        self.funcs: set = set()
        """Function names and `refs.FuncRef`s."""
        self.assignments = 0
        self.key = key
        self.literals: set = set()
        """Struct literal ids and `refs.LiteralRef`s."""
        self.made: set = set()
        """Qualified type names and `refs.ParamRef`s."""
        self.captured = False


class LocalType:
    """A type declared inside a body (`type x struct{...}`): a conversion, never a call."""

    __slots__ = ("type",)

    def __init__(self, type_: Any):
        self.type = type_


class Scope:
    __slots__ = ("names", "parent", "boundary", "captures")

    def __init__(self, parent: Scope | None = None, boundary: bool = False):
        self.names: dict[str, LocalVar | LocalType] = {}
        self.parent = parent
        self.boundary = boundary
        """The outermost scope of a function literal: names found beyond it are captured."""
        self.captures = False
        """On a boundary: the function literal uses a variable of an enclosing function (SSA makes
        a closure of it, which x/tools' RTA counts as taking its address)."""

    def lookup(self, name: str) -> LocalVar | LocalType | None:
        scope: Scope | None = self
        crossed: list[Scope] | None = None
        while scope is not None:
            if name in scope.names:
                found = scope.names[name]
                if crossed and isinstance(found, LocalVar):
                    found.captured = True
                    for boundary in crossed:
                        boundary.captures = True
                return found
            if scope.boundary:
                crossed = [*(crossed or ()), scope]
            scope = scope.parent
        return None


class TypeEnv:
    """Names and types as one body sees them: its file's scope (`tscope`) and its locals (`Scope`)."""

    def __init__(self, program: Program, types: Types, tscope: TypeScope,
                 package_var_type: Callable[[str, str], Any]):
        self.program = program
        self.types = types
        self.tscope = tscope
        self.package_var_type = package_var_type
        """(package, name) -> the type of a package-level variable (memoised by the walker)."""

    # ------------------------------------------------------------------ names
    def member_function(self, e: Any, scope: Scope) -> str | None:
        """The function a name or `pkg.Name` denotes (an external package's names count)."""
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

    def static_callee_name(self, f: Any, scope: Scope) -> str | None:
        """The loaded function a name or `pkg.Name` denotes."""
        if f[0] == "id" and scope.lookup(f[1]) is None:
            for package in (self.tscope.package, *self.tscope.dots):
                if f"{package}.{f[1]}" in self.program.funcs:
                    return f"{package}.{f[1]}"
        if f[0] == "sel" and f[1][0] == "id" and scope.lookup(f[1][1]) is None and f[1][1] in self.tscope.imports:
            name = f"{self.tscope.imports[f[1][1]]}.{f[2]}"
            return name if name in self.program.funcs else None
        return None

    def generic_callee(self, type_ir: Any, scope: Scope) -> str | None:
        """`NewX[int](1)` parses as a conversion to a generic type; it is a call when NewX is a func."""
        if type_ir is None or type_ir[0] != "generic":
            return None
        base = type_ir[1]
        if base[0] == "name":
            return self.member_function(("id", base[1], 0, 0), scope)
        if base[0] == "qual":
            return self.member_function(("sel", ("id", base[1], 0, 0), base[2], 0, 0), scope)
        return None

    def misparsed_call(self, e: Any, scope: Scope) -> Any:
        """`pickDelegator[id](d)` parses as a conversion to a generic type; when the indexed name
        is a variable it is a call of the element: the `("call", ("index", ...), ...)` it is."""
        type_ir = e[1]
        if type_ir is None or type_ir[0] != "generic" or not type_ir[2]:
            return None
        base = _as_expr(type_ir[1], e[3], e[4])
        indexes = [_as_expr(t, e[3], e[4]) for t in type_ir[2]]
        if base is None or None in indexes:
            return None
        if base[0] == "id":
            local = scope.lookup(base[1])
            is_value = isinstance(local, LocalVar) if local is not None else \
                (self.tscope.package, base[1]) in self.program.values
        else:
            package = self.tscope.imports.get(base[1][1]) if scope.lookup(base[1][1]) is None else None
            is_value = package is not None and (package, base[2]) in self.program.values
        return ("call", ("index", base, indexes), [e[2]], e[3], e[4], False) if is_value else None

    def method_expression(self, operand: Any, name: str, scope: Scope) -> str | None:
        """(*T).M and T.M name the method itself."""
        type_rt = self.type_operand(operand, scope)
        if type_rt is None:
            return None
        found = self.types.method(type_rt, name)
        if found is not None and found[0] == "concrete":
            return found[1].name
        return None

    def type_operand(self, e: Any, scope: Scope) -> Any:
        """The type an expression names (`T`, `*T`, `pkg.T`, `[]int`), or None for a value."""
        tag = e[0]
        if tag == "unary" and e[1] == "*":
            inner = self.type_operand(e[2], scope)
            return ("ptr", inner) if inner is not None else None
        if tag == "typeexpr":
            return self.types.resolve(e[1], self.tscope)
        if tag == "id":
            local = scope.lookup(e[1])
            if isinstance(local, LocalType):
                return local.type
            if local is None and ((self.tscope.package, e[1]) in self.program.types):
                return ("named", self.tscope.package, e[1])
            return None
        if tag == "sel" and e[1][0] == "id" and scope.lookup(e[1][1]) is None and e[1][1] in self.tscope.imports:
            package = self.tscope.imports[e[1][1]]
            if (package, e[2]) in self.program.types:
                return ("named", package, e[2])
        return None

    def arg_type(self, arg: Any) -> Any:
        """The type named by a builtin's type argument (`new(T)`, `make([]T, n)`)."""
        if arg[0] == "id":
            return self.types.resolve(("name", arg[1]), self.tscope)
        if arg[0] == "sel" and arg[1][0] == "id":
            return self.types.resolve(("qual", arg[1][1], arg[2]), self.tscope)
        if arg[0] == "typeexpr":
            return self.types.resolve(arg[1], self.tscope)
        return None

    def may_hold_func(self, rt: Any) -> bool:
        """A func type, an empty interface (urfave/cli v1's `Action interface{}`), or unknown."""
        under = self.types.underlying(rt) if rt is not None else None
        return rt is None or under is not None and (under[0] == "func" or under in (("iface", []), ("basic", "any")))

    # ------------------------------------------------------------------ types
    def type_of(self, e: Any, scope: Scope, depth: int = 0) -> Any:
        """The static type of an expression, or None when unsure."""
        if depth > MAX_TYPE_DEPTH:
            return None
        tag = e[0]
        if tag == "id":
            return self._name_type(e[1], scope)
        if tag == "sel":
            return self._selection_type(e, scope, depth)
        if tag == "call":
            return self.call_type(e, scope, depth)
        if tag == "conv" and self.misparsed_call(e, scope) is not None:
            return self.call_type(self.misparsed_call(e, scope), scope, depth)
        if tag == "conv":
            callee = self.generic_callee(e[1], scope)
            if callee is not None:
                function = self.program.funcs.get(callee)
                return results_type(self.types.signature(function)) if function else None
            return self.types.resolve(e[1], self.tscope)
        if tag == "lit":
            return self.types.resolve(e[1], self.tscope) if e[1] is not None else None
        if tag == "funclit":
            return self.types.signature_of(e[1].signature, self.tscope)
        if tag == "unary":
            return self._unary_type(e, scope, depth)
        if tag == "binary":
            if e[1] in ("==", "!=", "<", "<=", ">", ">=", "&&", "||"):
                return ("basic", "bool")
            if e[2][0] == "basic" and e[1] not in ("<<", ">>"):  # `1 * time.Minute` is a Duration
                return self.type_of(e[3], scope, depth + 1)
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
            return ("basic", BASIC_LITERAL_TYPES.get(e[1], e[1]))
        return None

    def _name_type(self, name: str, scope: Scope) -> Any:
        local = scope.lookup(name)
        if isinstance(local, LocalVar):
            return local.type
        if local is not None:
            return None
        for package in (self.tscope.package, *self.tscope.dots):
            if (package, name) in self.program.values:
                return self.package_var_type(package, name)
            function = self.program.funcs.get(f"{package}.{name}")
            if function is not None:
                return self.types.signature(function)
        if name in self.tscope.imports:
            return ("pkg", self.tscope.imports[name])
        if name in ("true", "false"):
            return ("basic", "bool")
        return None

    def _selection_type(self, e: Any, scope: Scope, depth: int, base: Any = _NOT_TYPED) -> Any:
        """The type of `x.name`; `base`, x's type when the caller has it already (a call chain
        `b.M1().M2()...` types each link once, not twice per link)."""
        operand, name = e[1], e[2]
        if base is _NOT_TYPED:
            base = self.type_of(operand, scope, depth + 1)
        if base is None:
            type_rt = self.type_operand(operand, scope)
            if type_rt is not None:  # method expression: a func taking the receiver first
                found = self.types.method(type_rt, name)
                if found and found[0] == "concrete":
                    sig = self.types.signature(found[1])
                    return ("func", [type_rt, *sig[1]], sig[2], sig[3])
            return None
        if base[0] == "pkg":
            package = base[1]
            if (package, name) in self.program.values:
                return self.package_var_type(package, name)
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

    def _unary_type(self, e: Any, scope: Scope, depth: int) -> Any:
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

    def call_type(self, e: Any, scope: Scope, depth: int) -> Any:
        """What a call (or a conversion written as one) evaluates to."""
        f, args = e[1], e[2]
        if f[0] == "id" and scope.lookup(f[1]) is None:
            name = f[1]
            if name == "new" and args:
                inner = self.arg_type(args[0])
                return ("ptr", inner) if inner is not None else None
            if name == "make" and args:
                return self.arg_type(args[0])
            if name == "append" and args:
                return self.type_of(args[0], scope, depth + 1)
            if name in BUILTIN_RESULTS and (self.tscope.package, name) not in self.program.values \
                    and f"{self.tscope.package}.{name}" not in self.program.funcs:
                return BUILTIN_RESULTS[name]
        conversion = self.type_operand(f, scope)
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
            ftype = self._selection_type(f, scope, depth + 1, base)
        else:
            ftype = self.type_of(f, scope, depth + 1)
        under = self.types.underlying(ftype) if ftype is not None and ftype[0] == "named" else ftype
        if under is not None and under[0] == "func":
            return results_type(under)
        return None

    def _interface_method_result(self, target: tuple[Any, str]) -> Any:
        iface, method = target
        if iface == ERROR:
            return ("basic", "string")
        if iface is not None and iface[0] == "iface":  # a literal: the interfaces it embeds declare the rest
            found = (self._interface_method_result((p, method)) for p in (iface[2] if len(iface) > 2 else ()))
            return next((f for f in found if f is not None), None)
        if iface is None or iface[0] != "named":
            return None
        info = self.program.types.get((iface[1], iface[2]))
        if info is None:
            return None
        for m in info.decl.methods:
            if m.name == method:
                scope = self.types.file_scope(info.file)
                return results_type(self.types.signature_of(m.signature, scope))
        for embed in info.decl.embeds:
            inner = self.types.resolve(embed, self.types.file_scope(info.file))
            if inner is not None:
                found = self._interface_method_result((inner, method))
                if found is not None:
                    return found
        return None

    def value_types(self, values: list[Any], count: int, scope: Scope) -> list[Any]:
        """The types `count` names take from `values` (`a, b := x, y`, `v, ok := m[k]`, `a, err := f()`)."""
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


def _as_expr(type_ir: Any, line: int, col: int) -> Any:
    """A name the parser took for a type, as the expression it is (`x`, `pkg.X`)."""
    if type_ir[0] == "name":
        return ("id", type_ir[1], line, col)
    if type_ir[0] == "qual":
        return ("sel", ("id", type_ir[1], line, col), type_ir[2], line, col)
    return None


def results_type(func_type: Any) -> Any:
    """A func type's result: one type, a ("tuple", [...]) of several, or None."""
    results = func_type[2]
    if not results:
        return None
    if len(results) == 1:
        return results[0]
    return ("tuple", list(results))
