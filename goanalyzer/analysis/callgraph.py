"""The call graph: one networkx DiGraph keyed by x/tools function names.

Node attributes: kind (func, method, closure, external), package, position, doc, std.
Edge attributes: sites (each with file, line, col, rule, go, defer), rule (static when any site is
static, else the first dynamic rule), go, defer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Iterator

import networkx as nx

from goanalyzer.naming import package_of
from goanalyzer.program import Program
from goanalyzer.resolve.funcfield import funcfield_callees
from goanalyzer.resolve.funcvalue import funcvalue_callees
from goanalyzer.resolve.interface import InterfaceResolver
from goanalyzer.resolve.sites import CallSite, Rule, Sites, collect_sites
from goanalyzer.resolve.types import Types


class Algo(str, enum.Enum):
    STATIC = "static"
    """Only what x/tools' static algorithm reports: no dynamic edges."""
    FULL = "full"
    """Static edges plus interface, funcfield and funcvalue edges."""


class NodeKind(str, enum.Enum):
    FUNC = "func"
    METHOD = "method"
    CLOSURE = "closure"
    EXTERNAL = "external"


@dataclass(slots=True, frozen=True)
class Site:
    """One call site of an edge."""

    path: str
    """Display path (module-relative or module@version/...)."""
    line: int
    col: int
    rule: str
    go: bool = False
    defer: bool = False

    @property
    def position(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class CallGraph:
    """A call graph over a Program. `graph` is the networkx DiGraph users may take away."""

    def __init__(self, program: Program, graph: nx.DiGraph, sites: Sites | None = None):
        self.program = program
        self.graph = graph
        self.sites = sites

    def __contains__(self, name: str) -> bool:
        return name in self.graph

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for caller, callee in sorted(self.graph.edges()):
            yield caller, callee, self.graph.edges[caller, callee]

    def rows(self) -> list[tuple[str, str, Site]]:
        """One row per call site, sorted: what `--format tsv` prints."""
        out = [(caller, callee, site) for caller, callee, data in self.graph.edges(data=True) for site in data["sites"]]
        out.sort(key=lambda r: (r[0], r[1], r[2].path, r[2].line, r[2].col, r[2].rule))
        return out

    def callees(self, name: str) -> list[str]:
        return sorted(self.graph.successors(name)) if name in self.graph else []

    def callers(self, name: str) -> list[str]:
        return sorted(self.graph.predecessors(name)) if name in self.graph else []

    def subgraph(self, nodes) -> "CallGraph":
        return CallGraph(self.program, self.graph.subgraph(nodes).copy(), self.sites)

    def _repr_svg_(self) -> str:  # notebooks
        from goanalyzer.render.svg import callgraph_svg
        return callgraph_svg(self)


def build_callgraph(program: Program, algo: Algo | str = Algo.FULL) -> CallGraph:
    """Resolve every call in the walked bodies and build the graph."""
    algo = Algo(algo)
    types = Types(program)
    sites = collect_sites(program, types)
    graph = nx.DiGraph()
    interfaces = InterfaceResolver(program, types, sites) if algo is Algo.FULL else None
    for caller in sorted(sites.callers_walked):
        _add_node(graph, program, sites, caller)
    for call in sites.calls:
        for callee, rule in _callees(call, sites, interfaces, algo):
            _add_node(graph, program, sites, callee)
            site = Site(program.display_path(call.file), call.line, call.col, rule, call.go, call.defer)
            if graph.has_edge(call.caller, callee):
                data = graph.edges[call.caller, callee]
                if site not in data["sites"]:
                    data["sites"].append(site)
                    data["go"] = data["go"] or call.go
                    data["defer"] = data["defer"] or call.defer
                    if rule == Rule.STATIC:
                        data["rule"] = Rule.STATIC
            else:
                graph.add_edge(call.caller, callee, sites=[site], rule=rule, go=call.go, defer=call.defer)
    for _u, _v, data in graph.edges(data=True):
        data["sites"].sort(key=lambda s: (s.path, s.line, s.col, s.rule))
    return CallGraph(program, graph, sites)


def _callees(call: CallSite, sites: Sites, interfaces: InterfaceResolver | None,
             algo: Algo) -> list[tuple[str, str]]:
    """(callee, rule) pairs for a call site."""
    if call.rule == Rule.STATIC:
        if call.callee:
            return [(call.callee, Rule.STATIC)]
        var = call.target  # a call through a local variable holding functions
        if var.assignments == 1 and not var.captured:
            return [(f, Rule.STATIC) for f in sorted(var.funcs)]  # SSA sees through one assignment
        if algo is Algo.STATIC:
            return []
        return [(f, Rule.FUNCVALUE) for f in funcvalue_callees(var.key, sites) or sorted(var.funcs)]
    if interfaces is None:
        return []
    if call.rule == Rule.INTERFACE:
        return [(f, call.rule) for f in interfaces.callees(call.target)]
    if call.rule == Rule.FUNCFIELD:
        return [(f, call.rule) for f in funcfield_callees(call.target, sites)]
    if call.rule == Rule.FUNCVALUE:
        return [(f, call.rule) for f in funcvalue_callees(call.target, sites)]
    return []


def _add_node(graph: nx.DiGraph, program: Program, sites: Sites, name: str) -> None:
    if name in graph:
        return
    info = program.funcs.get(name)
    if info is not None:
        graph.add_node(name, kind=info.kind.value, package=info.package,
                       position=f"{program.display_path(info.file.path)}:{info.decl.line}:{info.decl.col}",
                       doc=info.decl.doc, std=program.is_std(info.package), external=False)
        return
    closure = sites.closures.get(name)
    if closure is not None:
        graph.add_node(name, kind=NodeKind.CLOSURE.value, package=closure.package,
                       position=f"{program.display_path(closure.file.path)}:{closure.lit.line}:{closure.lit.col}",
                       doc="", std=program.is_std(closure.package), external=False)
        return
    package = package_of(name)
    graph.add_node(name, kind=NodeKind.EXTERNAL.value, package=package, position="", doc="",
                   std=program.is_std(package), external=True)
