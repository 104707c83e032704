"""The call graph: one networkx DiGraph keyed by x/tools function names.

Node attributes: kind (func, method, closure, external), package, position, doc, std.
Edge attributes: sites (each with file, line, col, rule, go, defer), rule (static when any site is
static, else the first dynamic rule), go, defer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from goanalyzer.naming import package_of
from goanalyzer.program import Program
from goanalyzer.resolve.funcfield import funcfield_callees
from goanalyzer.resolve.funcvalue import funcvalue_callees, narrow_case_values
from goanalyzer.resolve.interface import InterfaceResolver
from goanalyzer.resolve.sites import CallSite, Rule, Sites, collect_sites
from goanalyzer.resolve.types import Types

if TYPE_CHECKING:
    import networkx as nx


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
    """A call graph over a Program. `graph` is the networkx DiGraph users may take away.

    A graph fresh from `build_callgraph` keeps its nodes and edges in plain dicts until `graph` is
    first asked for: writing TSV needs no networkx, whose import alone is a tenth of a cold run.
    """

    def __init__(self, program: Program, graph: nx.DiGraph | None = None, sites: Sites | None = None, *,
                 nodes: dict[str, dict[str, Any]] | None = None,
                 edges: dict[tuple[str, str], dict[str, Any]] | None = None):
        self.program = program
        self.sites = sites
        self._graph = graph
        self._nodes = nodes if graph is None else None
        self._edges = edges if graph is None else None

    @property
    def graph(self) -> nx.DiGraph:
        if self._graph is None:
            import networkx as nx

            graph = nx.DiGraph()
            graph.add_nodes_from((self._nodes or {}).items())
            graph.add_edges_from((u, v, data) for (u, v), data in (self._edges or {}).items())
            self._graph, self._nodes, self._edges = graph, None, None
        return self._graph

    def __contains__(self, name: str) -> bool:
        return name in self._nodes if self._graph is None else name in self._graph

    def node_names(self) -> list[str]:
        return list(self._nodes) if self._graph is None else list(self._graph.nodes)

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        if self._graph is None:
            for (caller, callee), data in sorted(self._edges.items()):
                yield caller, callee, data
            return
        for caller, callee in sorted(self._graph.edges()):
            yield caller, callee, self._graph.edges[caller, callee]

    def rows(self) -> list[tuple[str, str, Site]]:
        """One row per call site, sorted: what `--format tsv` prints."""
        pairs = self._edges.items() if self._graph is None else (
            ((u, v), data) for u, v, data in self._graph.edges(data=True))
        out = [(caller, callee, site) for (caller, callee), data in pairs for site in data["sites"]]
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
    narrow_case_values(sites, types, program)
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    interfaces = InterfaceResolver(program, types, sites) if algo is Algo.FULL else None
    for caller in sorted(sites.callers_walked):
        _add_node(nodes, program, sites, caller)
    for call in sites.calls:
        for callee, rule in _callees(call, sites, interfaces, algo):
            _add_node(nodes, program, sites, call.caller)
            _add_node(nodes, program, sites, callee)
            site = Site(program.display_path(call.file), call.line, call.col, rule, call.go, call.defer)
            data = edges.get((call.caller, callee))
            if data is None:
                edges[call.caller, callee] = {"sites": [site], "rule": rule, "go": call.go, "defer": call.defer}
            elif site not in data["sites"]:
                data["sites"].append(site)
                data["go"] = data["go"] or call.go
                data["defer"] = data["defer"] or call.defer
                if rule == Rule.STATIC:
                    data["rule"] = Rule.STATIC
    for data in edges.values():
        data["sites"].sort(key=lambda s: (s.path, s.line, s.col, s.rule))
    return CallGraph(program, sites=sites, nodes=nodes, edges=edges)


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


def _add_node(nodes: dict[str, dict[str, Any]], program: Program, sites: Sites, name: str) -> None:
    if name in nodes:
        return
    info = program.funcs.get(name)
    if info is not None:
        nodes[name] = dict(kind=info.kind.value, package=info.package,
                           position=f"{program.display_path(info.file.path)}:{info.decl.line}:{info.decl.col}",
                           doc=info.decl.doc, std=program.is_std(info.package), external=False)
        return
    closure = sites.closures.get(name)
    if closure is not None:
        nodes[name] = dict(kind=NodeKind.CLOSURE.value, package=closure.package,
                           position=f"{program.display_path(closure.file.path)}:{closure.lit.line}:{closure.lit.col}",
                           doc="", std=program.is_std(closure.package), external=False)
        return
    package = package_of(name)
    nodes[name] = dict(kind=NodeKind.EXTERNAL.value, package=package, position="", doc="",
                       std=program.is_std(package), external=True)
