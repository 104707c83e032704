"""Fields of a command set after its literal, by assignment.

The go command sets `CmdBuild.Run = runBuild` in an `init` function (to break an initialisation
cycle), and urfave/cli v1 programs write `app := cli.NewApp()` then `app.Name = "x"`,
`app.Commands = ...`: the literal alone would leave such a command without its run target or name.

What it can miss: the receiver must be a package-level variable (`CmdBuild`, `base.Hand`) or a
local variable defined in the same function from a literal or from a call that returns one
(`app := cli.NewApp()`); a command reached through a parameter, a map or a pointer copy is not
seen. When several assignments reach one literal (two apps from one `NewApp`), the last one read
wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from goanalyzer.analysis.bodies import function_bodies, statements
from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.naming import func_name
from goanalyzer.program import Program
from goanalyzer.resolve.sites import DEFERRED, GLOBAL, RETURNS_LITERAL, FieldValue, Sites
from goanalyzer.syntax.ir import expr_text


def resolve_refs(refs: set[str], sites: Sites, seen: set[str] | None = None) -> list[str]:
    """Literal ids behind references (`@returns-literal:F`, `@global:pkg.name`)."""
    seen = seen if seen is not None else set()
    out: list[str] = []
    for ref in sorted(refs):
        if ref in seen:
            continue
        seen.add(ref)
        if ref.startswith(RETURNS_LITERAL):
            out += resolve_refs(sites.returned_literals.get(ref[len(RETURNS_LITERAL):], set()), sites, seen)
        elif ref.startswith(GLOBAL):
            package, _, name = ref[len(GLOBAL):].rpartition(".")
            out += resolve_refs(sites.literal_stores.get(("global", package, name), set()), sites, seen)
        else:
            out.append(ref)
    return out


@dataclass(slots=True)
class _Body:
    """One function body being read: where it is and the local variables defined so far."""

    caller: str
    facts: Any
    package: str
    imports: dict[str, str]
    defines: dict[str, Any] = field(default_factory=dict)
    """Local names -> the expression that defined them (None: a parameter, or no known value)."""


class _Reader:
    def __init__(self, program: Program, cg: CallGraph, sites: Sites):
        self.program = program
        self.sites = sites
        self.calls: dict[tuple[str, str, int, int], list[str]] = {}
        for caller, callee, data in cg.graph.edges(data=True):
            for site in data["sites"]:
                if site.rule == "static":
                    self.calls.setdefault((caller, site.path, site.line, site.col), []).append(callee)
        self.closures = {(c.file.path, c.lit.line, c.lit.col): name for name, c in sites.closures.items()}

    def receiver(self, e: Any, body: _Body) -> set[str]:
        """References to the literals a receiver expression holds."""
        if e[0] == "id":
            if e[1] in body.defines:
                local = body.defines[e[1]]
                return self.value(local, body) if local is not None else set()
            return {f"{GLOBAL}{body.package}.{e[1]}"} if (body.package, e[1]) in self.program.values else set()
        if e[0] == "sel" and e[1][0] == "id" and e[1][1] not in body.defines and e[1][1] in body.imports:
            package = body.imports[e[1][1]]
            return {f"{GLOBAL}{package}.{e[2]}"} if (package, e[2]) in self.program.values else set()
        return set()

    def value(self, e: Any, body: _Body) -> set[str]:
        """References to the literals a defining expression evaluates to."""
        if e[0] == "unary" and e[1] == "&":
            return self.value(e[2], body)
        if e[0] == "lit":
            lid = f"{body.facts.path}:{e[3]}:{e[4]}"
            return {lid} if lid in self.sites.literals else set()
        if e[0] == "call":
            path = self.program.display_path(body.facts.path)
            return {RETURNS_LITERAL + c for c in self.calls.get((body.caller, path, e[3], e[4]), [])}
        return set()

    def funcs(self, e: Any, body: _Body) -> set[str]:
        """The functions an assigned value names: a function, a func literal, a factory's result."""
        name = None
        if e[0] == "id" and e[1] not in body.defines:
            name = func_name(body.package, e[1])
        elif e[0] == "sel" and e[1][0] == "id" and e[1][1] not in body.defines and e[1][1] in body.imports:
            name = func_name(body.imports[e[1][1]], e[2])
        elif e[0] == "funclit":
            closure = self.closures.get((body.facts.path, e[1].line, e[1].col))
            return {closure} if closure else set()
        elif e[0] == "call":
            path = self.program.display_path(body.facts.path)
            return {DEFERRED + c for c in self.calls.get((body.caller, path, e[3], e[4]), [])}
        return {name} if name in self.program.funcs else set()


def field_assignments(program: Program, cg: CallGraph, struct_fields: dict[tuple[str, str], set[str]]
                      ) -> dict[str, dict[str, FieldValue]]:
    """Literal id -> fields assigned to it after the literal (`x.F = v`), for literals of the
    struct types in `struct_fields` (type -> its field names)."""
    sites = cg.sites
    if sites is None or not struct_fields:
        return {}
    names = set().union(*struct_fields.values())
    reader = _Reader(program, cg, sites)
    out: dict[str, dict[str, FieldValue]] = {}
    for caller, (block, facts, _line) in sorted(function_bodies(program, cg).items()):
        package = program.package_of_file[facts.path].path
        parameters = dict.fromkeys(_parameters(caller, program, sites))
        body = _Body(caller, facts, package, program.imports(facts), parameters)
        for s in statements(block):
            body.defines.update(_declared(s))
            if s[0] == "assign" and s[2] == "=" and len(s[1]) == len(s[3]):
                for target, value in zip(s[1], s[3]):
                    if target[0] != "sel" or target[2] not in names:
                        continue
                    for lid in resolve_refs(reader.receiver(target[1], body), sites):
                        fact = sites.literals.get(lid)
                        if fact is not None and target[2] in struct_fields.get(fact.type, ()):
                            out.setdefault(lid, {})[target[2]] = FieldValue(
                                expr_text(value, 4000), reader.funcs(value, body))
    return out


def _parameters(caller: str, program: Program, sites: Sites) -> list[str]:
    """The receiver, parameter and result names of a function or closure: locals, never globals."""
    info = program.funcs.get(caller)
    closure = sites.closures.get(caller)
    signature = info.decl.signature if info is not None else closure.lit.signature if closure else None
    names = [p.name for p in (signature.params + signature.results if signature else []) if p.name]
    if info is not None and info.decl.receiver is not None and info.decl.receiver.name:
        names.append(info.decl.receiver.name)
    return names


def _declared(s: Any) -> list[tuple[str, Any]]:
    """The local names a statement declares, with their defining expression when there is one."""
    if s[0] == "define":
        values = s[2] if len(s[2]) == len(s[1]) else [None] * len(s[1])
        return list(zip(s[1], values))
    if s[0] == "var":
        values = s[3] if len(s[3]) == len(s[1]) else [None] * len(s[1])
        return list(zip(s[1], values))
    if s[0] == "range" and s[2]:
        return [(e[1], None) for e in s[1] if e[0] == "id"]
    if s[0] == "typeswitch" and s[2]:
        return [(s[2], None)]
    return []
