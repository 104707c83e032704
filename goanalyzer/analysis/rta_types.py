"""RTA's runtime types and its interface matrix: which concrete types reachable code makes into
interface values, closed as x/tools' `addRuntimeType` closes them, and which methods each
interface call site reaches through them.

A named type brings its pointer (the same method set here: x/tools then keeps only the
declared method, removing the pointer wrapper as a synthetic node), its underlying type (so the
types of a struct's fields), and the parameter and result types of its exported methods; every
exported method of a concrete runtime type is reachable. Interfaces are matched by method names,
signatures (a type the resolver cannot name matches any), and the package of unexported names.

The concrete types are named types and unnamed structs with embedded fields (`struct{ io.Reader;
io.Closer }`, whose methods are all promoted). A method promoted from an embedded interface is,
in x/tools, a synthetic wrapper that calls the interface method; its callgraph then splices the
wrapper's edges into each caller of it. So an interface call reaching such a method is, for its
caller, a call of the embedded interface's method too (`_splice`): it reaches every runtime
type implementing that interface, at the caller's site.
"""

from __future__ import annotations

__all__ = ["RuntimeTypes"]

from dataclasses import dataclass, field
from typing import Any, Callable

from goanalyzer.resolve.refs import InterfaceCall
from goanalyzer.resolve.runtime import freeze
from goanalyzer.resolve.sites import CallSite
from goanalyzer.resolve.types import ERROR, Types

TypeKey = tuple
"""A concrete runtime type: a frozen named type, or an unnamed struct with embedded fields."""


@dataclass(frozen=True, slots=True)
class _Promoted:
    """A method promoted from the embedded interface `iface` (a frozen named type)."""

    iface: Any
    method: str


@dataclass(slots=True)
class _Interface:
    required: dict[str, Any]
    """Method name -> its frozen signature (None: unknown)."""
    package: str | None
    """Where its unexported method names belong."""
    implementers: list[TypeKey] = field(default_factory=list)
    sites: list[CallSite] = field(default_factory=list)


class RuntimeTypes:
    """The runtime types found so far, and the edges each new one or each new interface call adds
    (through `invoke_edge(call, callee)`; exported methods go to `reach(name)`)."""

    def __init__(self, types: Types, reach: Callable[[str], None], invoke_edge: Callable[[CallSite, str], None]):
        self.types = types
        self.reach = reach
        self.invoke_edge = invoke_edge
        self.runtime: set = set()
        self.concrete: list[TypeKey] = []
        self._concrete: set[TypeKey] = set()
        self._interfaces: dict[Any, _Interface] = {}
        self._by_name: dict[str, list[Any]] = {}
        self._names: dict[TypeKey, frozenset[str]] = {}
        self._methods: dict[TypeKey, dict[str, str | _Promoted | None]] = {}
        """Type -> method name -> its concrete method (None: none): a dict per type, not a tuple key per
        pair, as matching interfaces asks every runtime type for many names (a million on containerd)."""
        self._spliced: set[tuple[str, str, int, int, Any]] = set()
        """(caller, file, line, col, interface) of each call made through a promoted method's wrapper."""
        self._signatures: dict[str | _Promoted, Any] = {}
        self._reachable_names: dict[TypeKey, frozenset[str]] = {}
        self._having: dict[str, list[TypeKey]] = {}
        """Method name -> the concrete runtime types that may have it (`_names_within`), in `concrete`
        order: a new interface is matched against those of its rarest name only."""

    def retarget(self, types: Types) -> None:
        """Go on with the program read again (more bodies, the same declarations)."""
        self.types = types

    # ------------------------------------------------------------- types
    def add(self, rt: Any) -> None:
        """`rt` (frozen) is converted to an interface in reachable code."""
        stack = [rt]
        while stack:
            t = stack.pop()
            if t is None or t in self.runtime:
                continue
            self.runtime.add(t)
            tag = t[0]
            if tag == "named":
                stack.extend(self._named(t))
            elif tag in ("ptr", "slice", "array", "chan"):
                stack.append(t[1])
            elif tag == "map":
                stack.extend((t[1], t[2]))
            elif tag == "func":
                stack.extend((*t[1], *t[2]))
            elif tag == "struct":
                stack.extend(f[1] for f in t[1])
                if t not in self._concrete and any(f[2] for f in t[1]) and self._names_within(t):
                    self._new_concrete(t)  # its methods are promoted from embedded fields
            elif tag == "tuple":
                stack.extend(t[1])

    def _named(self, t: Any) -> list[Any]:
        """What a new named runtime type brings in."""
        if t == ERROR:
            return []
        key = t
        under = self.types.underlying(t)
        out: list[Any] = []
        if under is not None and under[0] == "iface":
            for name, signature in self._interface_signatures(t, 0):
                if name[:1].isupper():
                    out.extend(freeze(x) for x in (*signature[1], *signature[2]))
            return out
        if key not in self._concrete:
            self._new_concrete(key)
        if under is not None:
            out.append(freeze(under))
        program = self.types.program
        for name in self._method_names(key):
            callee = self._method(key, name) if name[:1].isupper() else None
            if isinstance(callee, str):
                signature = self.types.signature(program.funcs[callee])
                out.extend(freeze(x) for x in (*signature[1], *signature[2]))
        return out

    def _new_concrete(self, key: TypeKey) -> None:
        self._concrete.add(key)
        self.concrete.append(key)
        for name in self._names_within(key):
            self._having.setdefault(name, []).append(key)
        names = self._method_names(key)
        for name in sorted(names):
            if name[:1].isupper():
                callee = self._method(key, name)
                if isinstance(callee, str):
                    self.reach(callee)  # reflection may call any exported method
        seen: set = set()
        for name in sorted(names):
            for ikey in self._by_name.get(name, ()):
                if ikey in seen:
                    continue
                seen.add(ikey)
                iface = self._interfaces[ikey]
                if self._implements(key, iface):
                    iface.implementers.append(key)
                    for call in list(iface.sites):  # a splice may add sites: it reaches `key` itself
                        self._invoke(call, key)

    # -------------------------------------------------------- interfaces
    def invoke(self, call: CallSite) -> None:
        """An interface method call in reachable code."""
        ikey, required, package = self._interface(call.target.iface, call.target.method)
        iface = self._interfaces.get(ikey)
        if iface is None:
            iface = self._interfaces[ikey] = _Interface(required, package)
            rarest = min(required, key=lambda name: len(self._having.get(name, ())))
            iface.implementers = [k for k in self._having.get(rarest, ()) if self._implements(k, iface)]
            for name in required:
                self._by_name.setdefault(name, []).append(ikey)
        iface.sites.append(call)
        for key in iface.implementers:
            self._invoke(call, key)

    def _invoke(self, call: CallSite, key: TypeKey) -> None:
        callee = self._method(key, call.target.method)
        if isinstance(callee, str):
            self.invoke_edge(call, callee)
        elif callee is not None:
            self._splice(call, callee)

    def _splice(self, call: CallSite, promoted: _Promoted) -> None:
        """`call` reaches a wrapper that calls `promoted.iface`'s method: the caller calls it too."""
        mark = (call.caller, call.file, call.line, call.col, promoted.iface)
        if mark not in self._spliced:
            self._spliced.add(mark)
            self.invoke(CallSite(call.caller, call.file, call.line, call.col,
                                 InterfaceCall(promoted.iface, promoted.method), call.go, call.defer))

    def _interface(self, iface: Any, method: str) -> tuple[Any, dict[str, Any], str | None]:
        """(key, required methods, package of its unexported names) of an interface type."""
        if iface == ERROR:
            return iface, {"Error": ("func", (), (("basic", "string"),), False)}, None
        if iface is not None and iface[0] == "named":
            required = {name: freeze(sig) for name, sig in reversed(self._interface_signatures(iface, 0))}
            if required:
                required.setdefault(method, None)
                return iface, required, iface[1]
        if iface is not None and iface[0] == "iface":
            names = {name: None for name in iface[1]}
            names.setdefault(method, None)
            return freeze(iface), names, None
        return ("unknown", method), {method: None}, None

    def _implements(self, key: TypeKey, iface: _Interface) -> bool:
        if not iface.required.keys() <= self._names_within(key):
            return False  # most pairs end here, without a method lookup each
        for name, wanted in iface.required.items():
            callee = self._method(key, name)
            if callee is None:
                return False
            if wanted is not None and not _same(wanted, self._signature(callee)):
                return False
            if not name[:1].isupper() and iface.package is not None and self._package(callee) != iface.package:
                return False
        return True

    def _package(self, callee: str | _Promoted) -> str:
        """Where the method's name belongs (that of an interface's method: the interface's package)."""
        return callee.iface[1] if isinstance(callee, _Promoted) else self.types.program.funcs[callee].package

    def _signature(self, callee: str | _Promoted) -> Any:
        found = self._signatures.get(callee, self)
        if found is self:
            if isinstance(callee, _Promoted):
                found = dict(self._interface_signatures(callee.iface, 0)).get(callee.method)
                found = self._signatures[callee] = freeze(found) if found is not None else None
            else:
                found = self._signatures[callee] = freeze(self.types.signature(self.types.program.funcs[callee]))
        return found

    def _interface_signatures(self, t: Any, depth: int) -> list[tuple[str, Any]]:
        if t == ERROR:
            return [("Error", ("func", [], [("basic", "string")], False))]
        info = self.types.program.types.get((t[1], t[2])) if t[0] == "named" else None
        if info is None or depth > 8:
            return []
        scope = self.types.file_scope(info.file)
        out = [(m.name, self.types.signature_of(m.signature, scope)) for m in info.decl.methods]
        for embed in info.decl.embeds:
            inner = self.types.resolve(embed, scope)
            if inner is not None and inner[0] == "named":
                out.extend(self._interface_signatures(inner, depth + 1))
        return out

    # ----------------------------------------------------------- methods
    def _method_names(self, key: TypeKey) -> frozenset[str]:
        """The names of the methods declared on the type or promoted to it from embedded fields."""
        found = self._names.get(key)
        if found is not None:
            return found
        self._names[key] = frozenset()  # cycle guard
        names: set[str] = set()
        under = key
        if key[0] == "named":
            names.update(self.types.program.methods.get((key[1], key[2]), ()))
            under = self.types.underlying(key)
        if under is not None and under[0] == "iface":
            names.update(self._interface_names(key))
        elif under is not None and under[0] == "struct":
            for _name, field_type, embedded in under[1]:
                while embedded and field_type is not None and field_type[0] == "ptr":
                    field_type = field_type[1]
                if embedded and field_type is not None and field_type[0] == "named":
                    names |= self._method_names(field_type)
        self._names[key] = frozenset(names)
        return self._names[key]

    def _names_within(self, key: TypeKey) -> frozenset[str]:
        """The method names declared on the type or on any type it embeds, however deep: a superset
        of the names `_method` can find (it follows the same embedded fields), built by one search
        per type (so, unlike `_method_names`, exact through cycles of embedded pointers)."""
        found = self._reachable_names.get(key)
        if found is not None:
            return found
        methods = self.types.program.methods
        names: set[str] = set()
        seen: set[Any] = set()
        stack: list[Any] = [key]
        while stack:
            t = stack.pop()
            while t is not None and t[0] == "ptr":
                t = t[1]
            if t is not None and t[0] == "named":
                if t in seen:
                    continue
                seen.add(t)
                names.update(methods.get((t[1], t[2]), ()))
                named, t = t, self.types.underlying(t)
                if t is not None and t[0] == "iface":
                    names.update(self._interface_names(named))
            if t is not None and t[0] == "struct":
                stack.extend(field_type for _name, field_type, embedded in t[1] if embedded)
        found = self._reachable_names[key] = frozenset(names)
        return found

    def _interface_names(self, t: Any) -> set[str]:
        """The method names of a named interface (embedded in a struct, they are promoted too)."""
        return set(self.types.interface_methods(t) or ())

    def _method(self, key: TypeKey, name: str) -> str | _Promoted | None:
        """The method `name` of `*T` (declared or promoted): the concrete one by its x/tools name,
        or the embedded interface it is promoted from."""
        known = self._methods.get(key)
        if known is None:
            known = self._methods[key] = {}
        elif name in known:
            return known[name]
        found = self.types.method(("ptr", key), name)
        callee: str | _Promoted | None = None
        if found is not None and found[0] == "concrete":
            callee = found[1].name
        elif found is not None and found[1][0][0] == "named":
            callee = _Promoted(found[1][0], name)
        known[name] = callee
        return callee


def _same(a: Any, b: Any) -> bool:
    """Identical frozen types, where a type the resolver could not name (None) matches any."""
    if a is None or b is None or a == b:
        return True
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b
