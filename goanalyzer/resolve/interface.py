"""Interface method calls -> the methods of the types that implement the interface.

A type implements it when it has every method of the interface by name and parameter count
(unexported names count within their package only), and the call is narrowed to types a value of
which is constructed somewhere in the walked bodies or returned by a loaded constructor.
Can miss: types made only by reflection or in packages whose bodies were not walked (their
constructors' signatures still count). Can over-approximate: a constructed type whose values never
reach the call (x/tools' VTA is flow-based and tighter).
"""

from __future__ import annotations

from typing import Any

from goanalyzer.program import FuncInfo, Program
from goanalyzer.resolve.refs import InterfaceCall
from goanalyzer.resolve.sites import Sites
from goanalyzer.resolve.types import Types


class InterfaceResolver:
    def __init__(self, program: Program, types: Types, sites: Sites):
        self.program = program
        self.types = types
        self.sites = sites
        self._by_name: dict[str, list[FuncInfo]] | None = None
        self._memo: dict[tuple, list[str]] = {}
        self._constructed = set(sites.constructed) | self._constructor_results()

    def _constructor_results(self) -> set[tuple[str, str]]:
        made: set[tuple[str, str]] = set()
        for info in self.program.funcs.values():
            if info.receiver is None and info.decl.signature.results:
                for result in self.types.signature(info)[2]:
                    while result is not None and result[0] == "ptr":
                        result = result[1]
                    if result is not None and result[0] == "named" and (result[1], result[2]) in self.program.types:
                        made.add((result[1], result[2]))
        return made

    def callees(self, target: InterfaceCall) -> list[str]:
        """The methods an interface method call may reach."""
        iface, method = target.iface, target.method
        key = (iface if isinstance(iface, tuple) and iface[0] == "named" else repr(iface), method)
        if key in self._memo:
            return self._memo[key]
        required = self.types.interface_methods(iface) if iface and iface[0] == "named" else None
        if iface and iface[0] == "iface" and len(iface[1]) > 1:  # an interface literal: all its names
            required = dict.fromkeys(iface[1])
        arity = required.get(method) if required else None
        if self._by_name is None:
            self._by_name = {}
            for (_pkg, _type), methods in self.program.methods.items():
                for info in methods.values():
                    self._by_name.setdefault(info.decl.name, []).append(info)
        out: list[str] = []
        for info in self._by_name.get(method, []):
            owner = (info.package, info.receiver)
            if owner not in self._constructed:
                continue
            if arity is not None and len(info.decl.signature.params) != arity:
                continue
            if not method[:1].isupper() and iface and iface[0] == "named" and iface[1] != info.package:
                continue
            if required and not self._implements(owner, required, iface):
                continue
            out.append(info.name)
        self._memo[key] = sorted(out)
        return self._memo[key]

    def _implements(self, owner: tuple[str, str], required: dict[str, int], iface: Any) -> bool:
        rt = ("ptr", ("named", owner[0], owner[1]))
        for name in required:
            found = self.types.method(rt, name)
            if found is None or found[0] != "concrete":
                return False
        return True
