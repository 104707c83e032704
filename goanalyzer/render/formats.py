"""Call graph as data: TSV (one line per call site), JSON and GraphML. Deterministic output."""

from __future__ import annotations

__all__ = ["callgraph_graphml", "callgraph_json", "callgraph_tsv", "callgraph_tsv_chunks"]

import io
import json
from collections.abc import Iterator
from typing import Any

from goanalyzer.analysis.callgraph import CallGraph

_NODE_ATTRS = ("kind", "package", "position", "doc", "std", "external")


def _graph(cg):
    """The networkx DiGraph of a CallGraph, or the DiGraph given."""
    return cg.graph if isinstance(cg, CallGraph) else cg


def _sites(data: dict[str, Any]) -> list:
    return sorted(data.get("sites") or [], key=lambda s: (s.path, s.line, s.col, s.rule))


def callgraph_tsv(cg) -> str:
    """`caller<TAB>callee<TAB>path:line:col<TAB>rule`, one line per call site, sorted."""
    return "".join(callgraph_tsv_chunks(cg))


def callgraph_tsv_chunks(cg, lines: int = 10_000) -> Iterator[str]:
    """callgraph_tsv in pieces of `lines` lines, to write as they come: a large program's
    whole-program graph is half a million lines (70 MB as one string, twice that encoded)."""
    graph = cg if isinstance(cg, CallGraph) else CallGraph(cg)  # a CallGraph answers without networkx
    rows = graph.rows()
    for start in range(0, len(rows), lines):
        yield "".join(f"{caller}\t{callee}\t{site.position}\t{site.rule}\n"
                      for caller, callee, site in rows[start:start + lines])


def _node_dict(name: str, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name}
    for key in _NODE_ATTRS:
        if key in data:
            out[key] = data[key]
    for key in sorted(set(data) - set(_NODE_ATTRS)):
        out[key] = data[key]
    return out


def _site_dict(s) -> dict[str, Any]:
    return {"path": s.path, "line": s.line, "col": s.col, "rule": str(getattr(s.rule, "value", s.rule)),
            "go": bool(s.go), "defer": bool(s.defer)}


def callgraph_json(cg, *, indent: int | None = 2) -> str:
    """`{"nodes": [{name, kind, package, ...}], "edges": [{caller, callee, rule, go, defer, sites}]}`."""
    g = _graph(cg)
    nodes = [_node_dict(n, g.nodes[n]) for n in sorted(g.nodes)]
    edges = []
    for u, v in sorted(g.edges):
        data = g.edges[u, v]
        edges.append({"caller": u, "callee": v, "rule": str(getattr(data.get("rule"), "value", data.get("rule"))),
                      "go": bool(data.get("go")), "defer": bool(data.get("defer")),
                      "sites": [_site_dict(s) for s in _sites(data)]})
    return json.dumps({"nodes": nodes, "edges": edges}, indent=indent, sort_keys=False, default=str) + "\n"


def _flat(value: Any) -> str | bool | int:
    if isinstance(value, (bool, int)):
        return value
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def callgraph_graphml(cg) -> str:
    """GraphML with every attribute flattened to a string/bool/int (sites as `path:line:col rule` lines)."""
    g = _graph(cg)
    import networkx as nx

    flat = nx.DiGraph()
    for n in sorted(g.nodes):
        data = g.nodes[n]
        flat.add_node(n, **{k: _flat(data[k]) for k in sorted(data)})
    for u, v in sorted(g.edges):
        data = g.edges[u, v]
        attrs = {k: _flat(data[k]) for k in sorted(data) if k != "sites"}
        sites = _sites(data)
        attrs["sites"] = "\n".join(f"{s.position} {_flat(s.rule)}" + (" go" if s.go else "") + (" defer" if s.defer else "")
                                   for s in sites)
        attrs["count"] = len(sites)
        flat.add_edge(u, v, **dict(sorted(attrs.items())))
    buf = io.BytesIO()
    nx.write_graphml(flat, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buf.getvalue().decode("utf-8")
