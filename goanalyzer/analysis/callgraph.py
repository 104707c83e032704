"""The call graph: nodes keyed by x/tools function names, edges with their call sites, and its
networkx view; `build_callgraph` resolves every walked call site into it.

Node attributes: kind (func, method, closure, external), package, position, doc, std.
Edge attributes: sites (each with file, line, col, rule, go, defer), rule (static when any site is
static, else the first dynamic rule), go, defer.
"""

from __future__ import annotations

__all__ = ["Algo", "CallGraph", "NodeKind", "build_callgraph"]

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from goanalyzer.naming import init_name, package_of
from goanalyzer.program import Program
from goanalyzer.resolve.funcfield import funcfield_callees
from goanalyzer.resolve.funcvalue import funcvalue_callees
from goanalyzer.resolve.initorder import init_calls
from goanalyzer.resolve.interface import InterfaceResolver
from goanalyzer.resolve.refs import CallTarget, FieldCall, InterfaceCall, LocalCall, StaticCall
from goanalyzer.resolve.resolution import sites_of
from goanalyzer.resolve.sites import Rule, Sites
from goanalyzer.resolve.types import Types
from goanalyzer.resolve.values import ValueFlow

if TYPE_CHECKING:
    import networkx as nx


class Algo(str, enum.Enum):
    STATIC = "static"
    """Only what x/tools' static algorithm reports: no dynamic edges."""
    FULL = "full"
    """Static edges plus interface, funcfield and funcvalue edges."""
    RTA = "rta"
    """Rapid Type Analysis from main and the package initialisers, as x/tools' rta (analysis/rta.py)."""


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
    """A call graph as data, like x/tools' callgraph.Graph: nodes keyed by x/tools function name
    (attributes: kind, package, position, doc, std, external) and caller -> callee edges
    (attributes: `sites`, each a `Site` with its position and rule; `rule`, static when any site
    is static; `go`; `defer`). It holds neither the program nor the resolver's state: the
    analyses after it ask for the walk (`resolve.resolution.sites_of`).

    A graph fresh from `build_callgraph` keeps its nodes and edges in plain dicts until `graph`,
    the networkx DiGraph users may take away, is first asked for: writing TSV needs no networkx,
    whose import alone is a tenth of a cold run.
    """

    __slots__ = ("_graph", "_nodes", "_edges")

    def __init__(self, graph: nx.DiGraph | None = None, *, nodes: dict[str, dict[str, Any]] | None = None,
                 edges: dict[tuple[str, str], dict[str, Any]] | None = None):
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
        return CallGraph(self.graph.subgraph(nodes).copy())

    def _repr_svg_(self) -> str:  # notebooks
        from goanalyzer.render.svg import callgraph_svg
        return callgraph_svg(self)


def build_callgraph(program: Program, algo: Algo | str = Algo.FULL) -> CallGraph:
    """Resolve every call in the walked bodies and build the graph."""
    algo = Algo(algo)
    if algo is Algo.RTA:  # reads the bodies of what main reaches: analysis/rta.py
        from goanalyzer.analysis.rta import rapid_type_analysis
        return rapid_type_analysis(program).graph
    sites = sites_of(program)
    flow = ValueFlow(sites)
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    interfaces = InterfaceResolver(program, Types(program), sites) if algo is Algo.FULL else None
    placed: set[tuple[str, str, Site]] = set()  # a site in a list is found by hashing, not scanning
    for caller in sorted(sites.callers_walked):
        _add_node(nodes, program, sites, caller)
    for call in (*sites.calls, *init_calls(program)):  # package initialisation: resolve/initorder.py
        for callee, rule in _callees(call.target, flow, interfaces, algo):
            _add_node(nodes, program, sites, call.caller)
            _add_node(nodes, program, sites, callee)
            where = program.display_path(call.file) if call.file else ""  # synthetic init calls: `:0:0`
            site = Site(where, call.line, call.col, rule, call.go, call.defer)
            if (call.caller, callee, site) in placed:
                continue
            placed.add((call.caller, callee, site))
            data = edges.get((call.caller, callee))
            if data is None:
                edges[call.caller, callee] = {"sites": [site], "rule": rule, "go": call.go, "defer": call.defer}
            else:
                data["sites"].append(site)
                data["go"] = data["go"] or call.go
                data["defer"] = data["defer"] or call.defer
                if rule == Rule.STATIC:
                    data["rule"] = Rule.STATIC
    for data in edges.values():
        data["sites"].sort(key=lambda s: (s.path, s.line, s.col, s.rule))
    return CallGraph(nodes=nodes, edges=edges)


def _callees(target: CallTarget, flow: ValueFlow, interfaces: InterfaceResolver | None,
             algo: Algo) -> list[tuple[str, str]]:
    """(callee, rule) pairs for a call site's target."""
    if isinstance(target, StaticCall):
        return [(target.callee, Rule.STATIC)]
    if isinstance(target, LocalCall):  # a call through a local variable holding functions
        var = target.var
        if var.assignments == 1 and not var.captured:
            return [(f, Rule.STATIC) for f in sorted(var.funcs)]  # SSA sees through one assignment
        if algo is Algo.STATIC:
            return []
        return [(f, Rule.FUNCVALUE) for f in funcvalue_callees(var.key, flow) or sorted(var.funcs)]
    if interfaces is None:
        return []
    if isinstance(target, InterfaceCall):
        return [(f, Rule.INTERFACE) for f in interfaces.callees(target)]
    if isinstance(target, FieldCall):
        return [(f, Rule.FUNCFIELD) for f in funcfield_callees(target, flow)]
    return [(f, Rule.FUNCVALUE) for f in funcvalue_callees(target.key, flow)]


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
    if package in program.packages and name == init_name(package):  # the synthetic initialiser
        nodes[name] = dict(kind=NodeKind.FUNC.value, package=package, position="", doc="",
                           std=program.is_std(package), external=False)
        return
    nodes[name] = dict(kind=NodeKind.EXTERNAL.value, package=package, position="", doc="",
                       std=program.is_std(package), external=True)
