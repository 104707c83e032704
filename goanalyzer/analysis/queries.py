"""Generic queries over any CallGraph: reachability, callers, paths, filters, grouping.

All return new graphs (or lists) and never mutate what they are given.
"""

from __future__ import annotations

__all__ = [
    "filter_graph", "find_function", "group_by_package", "group_by_type", "paths_between", "reachable",
]

from collections import deque
from typing import TYPE_CHECKING, Callable, Iterable

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.program import resolve_name

if TYPE_CHECKING:
    import networkx as nx


def find_function(cg: CallGraph, query: str) -> str:
    """A node by full x/tools name or unambiguous suffix (`main`, `cli.Execute`, `runCmd`)."""
    return resolve_name(query, cg.node_names(), "function")


def reachable(cg: CallGraph, entries: Iterable[str], depth: int | None = None, reverse: bool = False) -> CallGraph:
    """The subgraph reachable from `entries` (callees, or callers when reverse) within `depth` hops."""
    graph = cg.graph.reverse(copy=False) if reverse else cg.graph
    seen: dict[str, int] = {}
    queue = deque((entry, 0) for entry in entries)
    while queue:
        node, hops = queue.popleft()
        if node in seen:
            continue
        seen[node] = hops
        if depth is not None and hops >= depth:
            continue
        for nxt in sorted(graph.successors(node)):
            if nxt not in seen:
                queue.append((nxt, hops + 1))
    return cg.subgraph(seen)


def paths_between(cg: CallGraph, sources: Iterable[str], target: str, limit: int = 100,
                  depth: int | None = None) -> CallGraph:
    """The union of simple paths from any source to target (at most `limit` paths)."""
    import networkx as nx

    nodes: set[str] = set()
    for source in sources:
        if source not in cg.graph or target not in cg.graph:
            continue
        for count, path in enumerate(nx.all_simple_paths(cg.graph, source, target, cutoff=depth)):
            nodes.update(path)
            if count + 1 >= limit:
                break
    keep = cg.subgraph(nodes)
    on_path = {(a, b) for a, b in keep.graph.edges()
               if nx.has_path(keep.graph, b, target) and any(nx.has_path(keep.graph, s, a) for s in sources
                                                               if s in keep.graph)}
    keep.graph.remove_edges_from([e for e in list(keep.graph.edges()) if e not in on_path])
    return keep


def _matches(package: str, prefixes: Iterable[str]) -> bool:
    return any(package == p or package.startswith(p.rstrip("/") + "/") for p in prefixes)


def filter_graph(cg: CallGraph, *, no_std: bool = False, include: Iterable[str] = (),
                 exclude: Iterable[str] = (), keep: Iterable[str] = ()) -> CallGraph:
    """Drop std nodes, keep only `include` package prefixes, drop `exclude` ones; `keep` nodes stay.
    With nothing to drop, the graph itself."""
    include, exclude, keep = list(include), list(exclude), set(keep)
    if not (no_std or include or exclude):
        return cg
    nodes = []
    for node, data in cg.graph.nodes(data=True):
        package = data.get("package", "")
        if node not in keep:
            if no_std and data.get("std"):
                continue
            if include and not _matches(package, include):
                continue
            if exclude and _matches(package, exclude):
                continue
        nodes.append(node)
    return cg.subgraph(nodes)


def _grouped(cg: CallGraph, key: Callable[[str], str]) -> nx.DiGraph:
    """Nodes merged by `key`; edge attribute `calls` counts the call edges between groups."""
    import networkx as nx

    grouped = nx.DiGraph()
    for node in cg.graph.nodes:
        grouped.add_node(key(node))
    for caller, callee in cg.graph.edges():
        a, b = key(caller), key(callee)
        if a != b:
            calls = grouped.edges[a, b]["calls"] + 1 if grouped.has_edge(a, b) else 1
            grouped.add_edge(a, b, calls=calls)
    return grouped


def group_by_package(cg: CallGraph) -> nx.DiGraph:
    """Packages as nodes, with call counts."""
    return _grouped(cg, lambda node: cg.graph.nodes[node].get("package", ""))


def receiver_type(name: str) -> str | None:
    """`(*pkg.T).M` -> `pkg.T`; None for plain functions."""
    if not name.startswith("("):
        return None
    return name[1:name.index(")")].lstrip("*")


def group_by_type(cg: CallGraph) -> nx.DiGraph:
    """Receiver types (or packages for plain functions) as nodes, with call counts."""
    def key(node: str) -> str:
        return receiver_type(node.split("$", 1)[0]) or cg.graph.nodes[node].get("package", "")
    return _grouped(cg, key)
