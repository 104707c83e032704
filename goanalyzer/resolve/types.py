"""Types as the resolver sees them, and the lookups a type checker would do: resolve a type
expression in its file's scope, find a field or method through embedding, a function's signature.

Resolved types (RT) are tuples:
    ("named", pkg, name)   declared types; the universe's `error` is ("named", "", "error")
    ("ptr", RT) ("slice", RT) ("array", RT) ("chan", RT) ("map", K, V)
    ("func", [RT], [RT], variadic)
    ("basic", name)        int, string, bool, byte, ...
    ("struct", [(name, RT, embedded)]) ("iface", [method names]) ("iface", [method names], (embedded RTs,))
    ("tuple", [RT])        several results
    None                   unknown: the resolver then emits no edge rather than a wrong one
"""

from __future__ import annotations

from typing import Any

from goanalyzer.model import FileFacts, Signature, TypeKind
from goanalyzer.program import FuncInfo, Program

BASIC_TYPES = frozenset(
    "bool byte complex64 complex128 float32 float64 int int8 int16 int32 int64 rune string uint uint8 "
    "uint16 uint32 uint64 uintptr any comparable".split())
ERROR = ("named", "", "error")
MAX_DEPTH = 8


class TypeScope:
    """What a file can name: its package, its imports, its dot imports, and local type names."""

    __slots__ = ("package", "imports", "dots", "locals", "type_params")

    def __init__(self, package: str, imports: dict[str, str], dots: list[str],
                 locals_: dict[str, Any] | None = None, type_params: frozenset[str] = frozenset()):
        self.package = package
        self.imports = imports
        self.dots = dots
        self.locals = locals_ or {}
        self.type_params = type_params


class Types:
    """Type resolution over a Program, memoised."""

    def __init__(self, program: Program):
        self.program = program
        self._scopes: dict[str, TypeScope] = {}
        self._underlying: dict[tuple[str, str], Any] = {}
        self._signatures: dict[str, Any] = {}

    # ------------------------------------------------------------------ scopes
    def file_scope(self, facts: FileFacts) -> TypeScope:
        scope = self._scopes.get(facts.path)
        if scope is None:
            package = self.program.package_of_file[facts.path].path
            scope = TypeScope(package, self.program.imports(facts), self.program.dot_imports(facts))
            self._scopes[facts.path] = scope
        return scope

    # ---------------------------------------------------------------- resolve
    def resolve(self, type_ir: Any, scope: TypeScope, depth: int = 0) -> Any:
        """Type IR (syntax) -> RT."""
        if type_ir is None or depth > MAX_DEPTH:
            return None
        tag = type_ir[0]
        if tag == "name":
            name = type_ir[1]
            if name in scope.type_params:
                return None
            if name in scope.locals:
                return scope.locals[name]
            if (scope.package, name) in self.program.types:
                return self._named(scope.package, name, depth)
            for dot in scope.dots:
                if (dot, name) in self.program.types:
                    return self._named(dot, name, depth)
            if name == "error":
                return ERROR
            if name in BASIC_TYPES:
                return ("basic", "uint8" if name == "byte" else "int32" if name == "rune" else name)
            return ("named", scope.package, name)
        if tag == "qual":
            package = scope.imports.get(type_ir[1])
            if package is None:
                return None
            return self._named(package, type_ir[2], depth)
        if tag in ("ptr", "slice", "array", "chan"):
            inner = self.resolve(type_ir[1], scope, depth + 1)
            return (tag, inner)
        if tag == "map":
            return ("map", self.resolve(type_ir[1], scope, depth + 1), self.resolve(type_ir[2], scope, depth + 1))
        if tag == "func":
            return ("func", [self.resolve(p, scope, depth + 1) for p in type_ir[1]],
                    [self.resolve(r, scope, depth + 1) for r in type_ir[2]], type_ir[3])
        if tag == "generic":
            return self.resolve(type_ir[1], scope, depth + 1)
        if tag == "struct":
            return ("struct", [(name, self.resolve(t, scope, depth + 1), emb) for name, t, emb in type_ir[1]])
        if tag == "iface":  # an interface literal: its methods and those of the interfaces it embeds
            names, providers = list(type_ir[1]), []
            for embedded in type_ir[2] if len(type_ir) > 2 else ():
                rt = self.resolve(embedded, scope, depth + 1)
                methods = self.interface_methods(rt)
                if methods:
                    names += methods.keys()
                    providers.append(rt)
            return ("iface", names, tuple(providers)) if providers else ("iface", names)
        return None

    def _named(self, package: str, name: str, depth: int) -> Any:
        info = self.program.types.get((package, name))
        if info is not None and info.decl.kind is TypeKind.ALIAS:
            return self.resolve(info.decl.underlying, self.file_scope(info.file), depth + 1)
        return ("named", package, name)

    def underlying(self, rt: Any, depth: int = 0) -> Any:
        """The underlying type of a named type (structs, interfaces, func types, ...)."""
        while rt is not None and rt[0] == "named" and depth < MAX_DEPTH:
            key = (rt[1], rt[2])
            if key not in self._underlying:
                info = self.program.types.get(key)
                if info is None:
                    self._underlying[key] = ("iface", ["Error"]) if rt == ERROR else None
                else:
                    scope = self.file_scope(info.file)
                    if info.decl.type_params:
                        scope = TypeScope(scope.package, scope.imports, scope.dots,
                                          type_params=frozenset(info.decl.type_params))
                    self._underlying[key] = self.resolve(info.decl.underlying, scope)
            rt = self._underlying[key]
            depth += 1
        return rt

    # ------------------------------------------------------------ signatures
    def signature(self, info: FuncInfo) -> Any:
        """A declared function's type as RT ("func", params, results, variadic)."""
        sig = self._signatures.get(info.name)
        if sig is None:
            scope = self.file_scope(info.file)
            params = set(info.decl.type_params)
            if info.decl.receiver is not None:
                params.update(info.decl.receiver.type_params)
            if params:
                scope = TypeScope(scope.package, scope.imports, scope.dots, type_params=frozenset(params))
            sig = self.signature_of(info.decl.signature, scope)
            self._signatures[info.name] = sig
        return sig

    def signature_of(self, signature: Signature, scope: TypeScope) -> Any:
        return ("func", [self.resolve(p.type, scope) for p in signature.params],
                [self.resolve(r.type, scope) for r in signature.results], signature.variadic)

    # ------------------------------------------------------------ selections
    def method(self, rt: Any, name: str) -> tuple[str, Any] | None:
        """Find method `name` on `rt` (through pointers and embedded fields).

        Returns ("concrete", FuncInfo) or ("interface", (iface RT, method name)); None if unknown.
        """
        return self._method(rt, name, 0, set())

    def _method(self, rt: Any, name: str, depth: int, seen: set) -> tuple[str, Any] | None:
        if rt is None or depth > MAX_DEPTH:
            return None
        if rt[0] == "ptr":
            rt = rt[1]
            if rt is None:
                return None
        if rt[0] == "named":
            key = (rt[1], rt[2])
            if key in seen:
                return None
            seen.add(key)
            methods = self.program.methods.get(key)
            if methods and name in methods:
                return ("concrete", methods[name])
            under = self.underlying(rt)
            if under is None:
                return None
            if under[0] == "iface":
                if self._interface_has(rt, name, 0):
                    return ("interface", (rt, name))
                return None
            if under[0] == "struct":
                return self._embedded_method(under, name, depth, seen)
            return None
        if rt[0] == "struct":
            return self._embedded_method(rt, name, depth, seen)
        if rt[0] == "iface" and name in rt[1]:
            return ("interface", (rt, name))
        return None

    def _embedded_method(self, struct: Any, name: str, depth: int, seen: set) -> tuple[str, Any] | None:
        for _field_name, field_type, embedded in struct[1]:
            if embedded:
                found = self._method(field_type, name, depth + 1, seen)
                if found is not None:
                    return found
        return None

    def _interface_has(self, rt: Any, name: str, depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        if rt == ERROR:
            return name == "Error"
        info = self.program.types.get((rt[1], rt[2])) if rt and rt[0] == "named" else None
        if info is None:
            return True  # an interface we cannot see: trust the call
        if any(m.name == name for m in info.decl.methods):
            return True
        scope = self.file_scope(info.file)
        return any(self._interface_has(self.resolve(e, scope), name, depth + 1)
                   for e in info.decl.embeds if self.resolve(e, scope) is not None)

    def interface_methods(self, rt: Any, depth: int = 0) -> dict[str, int] | None:
        """Method name -> parameter count for a named interface (with embedded ones); None if unseen."""
        if rt == ERROR:
            return {"Error": 0}
        if rt is None or rt[0] != "named" or depth > MAX_DEPTH:
            return None
        info = self.program.types.get((rt[1], rt[2]))
        if info is None or info.decl.kind is not TypeKind.INTERFACE:
            return None
        out = {m.name: len(m.signature.params) for m in info.decl.methods}
        scope = self.file_scope(info.file)
        for embed in info.decl.embeds:
            inner = self.interface_methods(self.resolve(embed, scope), depth + 1)
            if inner:
                out.update(inner)
        return out

    def field(self, rt: Any, name: str) -> tuple[Any, tuple[str, str] | None] | None:
        """Field `name` of `rt` through pointers and embedding: (field RT, owning struct key)."""
        return self._field(rt, name, 0, set())

    def _field(self, rt: Any, name: str, depth: int, seen: set):
        if rt is None or depth > MAX_DEPTH:
            return None
        if rt[0] == "ptr":
            rt = rt[1]
            if rt is None:
                return None
        owner = None
        if rt[0] == "named":
            owner = (rt[1], rt[2])
            if owner in seen:
                return None
            seen.add(owner)
            rt = self.underlying(rt)
            if rt is None:
                return None
        if rt[0] != "struct":
            return None
        for field_name, field_type, _embedded in rt[1]:
            if field_name == name:
                return field_type, owner
        for _field_name, field_type, embedded in rt[1]:
            if embedded:
                found = self._field(field_type, name, depth + 1, seen)
                if found is not None:
                    return found
        return None

    def element(self, rt: Any) -> Any:
        """What indexing or ranging over `rt` yields as value."""
        under = self.underlying(rt)
        if under is None:
            return None
        if under[0] == "ptr":
            under = self.underlying(under[1])
            if under is None:
                return None
        if under[0] in ("slice", "array", "chan"):
            return under[1]
        if under[0] == "map":
            return under[2]
        if under == ("basic", "string"):
            return ("basic", "uint8")
        return None

    def key(self, rt: Any) -> Any:
        """What ranging over `rt` yields as key."""
        under = self.underlying(rt)
        if under is None:
            return None
        if under[0] == "map":
            return under[1]
        if under[0] in ("slice", "array", "ptr") or under == ("basic", "string"):
            return ("basic", "int")
        if under[0] == "chan":
            return under[1]
        return None
