"""Graphviz DOT source for the call graph, the command tree and the startup flow.

Pure functions: model in, text out, byte-identical for the same input (everything sorted or in
model order, ids numbered in emission order). `collapse_plan` is the format-neutral part that
mermaid.py shares; the startup flowchart's layout is flowchart.py's.
"""

from __future__ import annotations

__all__ = ["render_callgraph_dot", "render_commands_dot", "render_startup_dot"]

import html
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.naming import PLAIN, ShortNames, package_of
from goanalyzer.render.flowchart import flow_layout, placement

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_LIMIT = 150
"""Above this many nodes a call graph collapses to one node per package."""

FONT = "Helvetica"
MONO = "Courier"

# kind -> (shape, style, fill, border, font colour)
KIND_STYLE = {
    "func": ("box", "filled", "#dbeafe", "#3b6fb6", "#0f172a"),
    "method": ("box", "rounded,filled", "#dcfce7", "#3f8f5a", "#0f172a"),
    "closure": ("box", "dashed,filled", "#fef9c3", "#a68a1f", "#0f172a"),
    "external": ("box", "dotted,filled", "#f1f5f9", "#94a3b8", "#64748b"),
}
DYNAMIC_COLOR = {"interface": "#2563eb", "funcfield": "#9333ea", "funcvalue": "#9333ea", "name-only": "#b45309"}
STATIC_COLOR = "#475569"
HAPPY_COLOR = "#ea580c"
"""The happy path in a call graph: its functions' borders and its calls drawn bold in orange."""


def q(text: Any) -> str:
    """A DOT double-quoted string."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


def h(text: Any) -> str:
    """Text escaped for an HTML-like label."""
    return html.escape(str(text), quote=True)


def _graph(cg) -> nx.DiGraph:
    """The networkx DiGraph of a CallGraph, or the DiGraph given."""
    return cg.graph if isinstance(cg, CallGraph) else cg


def _rule(value: Any) -> str:
    return str(getattr(value, "value", value) or "static")


def link_for(link_base: str | None, position: str) -> str | None:
    """`link_base` with `{path}` and `{line}` filled from `path:line:col`; None without a position."""
    if not link_base or not position:
        return None
    parts = position.rsplit(":", 2)
    if len(parts) < 2:
        return None
    path, line = parts[0], parts[1]
    if not line.isdigit():
        return None
    return link_base.replace("{path}", path).replace("{line}", line)


def position_link(link_base: str | None, links: Callable[[str, int], str | None] | None
                  ) -> Callable[[str], str | None]:
    """`position -> url`: through `links(path, line)` when given, else the `link_base` template."""
    if links is None:
        return lambda position: link_for(link_base, position)

    def link(position: str) -> str | None:
        parts = position.rsplit(":", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            return None
        return links(parts[0], int(parts[1]))

    return link


def receiver_type(name: str) -> str | None:
    """`(*a/b.T).M` and `(a/b.T).M$1` -> `a/b.T`; None for a function."""
    if not name.startswith("("):
        return None
    return name[1:name.index(")")].lstrip("*")


def local_label(name: str, cluster_key: str | None, names: ShortNames = PLAIN) -> str:
    """The name without the cluster's package (or type), else its short name (`names.short`)."""
    if cluster_key:
        rtype = receiver_type(name)
        if rtype and rtype == cluster_key:  # by type: `(*T).M` -> `(*T).M` short form, `T` shown in cluster
            type_short = rtype.rsplit("/", 1)[-1].split(".", 1)[-1]
            return name.replace(rtype, type_short, 1)
        if name.replace("(*", "(").lstrip("(").startswith(cluster_key + "."):
            return name.replace(cluster_key + ".", "", 1)
    return names.short(name)


def cluster_key_of(name: str, data: dict[str, Any], cluster_by: str | None) -> str | None:
    if cluster_by is None:
        return None
    package = data.get("package") or package_of(name)
    if cluster_by == "type":
        return receiver_type(name) or package
    if cluster_by == "package":
        return package
    raise ValueError(f"cluster_by must be 'package', 'type' or None, not {cluster_by!r}")


def _in_focus(package: str, focus: str | None) -> bool:
    if not focus:
        return False
    return package.startswith(focus)


@dataclass
class CollapsePlan:
    """Which nodes stay, which packages stand for the rest, and the note saying so."""

    kept: list[str]
    packages: dict[str, list[str]]
    """Collapsed package -> the functions it stands for (sorted)."""
    edges: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """(source id, target id) -> {count, dynamic, go, defer}; ids are function names or `pkg:` + path."""
    note: str = ""


def pkg_id(package: str) -> str:
    return "pkg:" + package


STD_ID = "pkg:(std)"
"""The one node that stands for every standard-library package in a collapsed graph."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def collapse_plan(cg, *, limit: int = DEFAULT_LIMIT, focus: str | None = None,
                  keep: Iterable[str] = (), highlight: Iterable[tuple[str, str]] = ()) -> CollapsePlan | None:
    """None when the graph has at most `limit` nodes. Otherwise every function outside `focus`
    collapses to one node per package (standard-library packages together into one node), edges
    count the caller/callee pairs between them. With a focus, only edges touching the focus are
    kept and packages left unconnected are dropped. When the focus itself has more than `limit`
    functions (a real program's module), the `limit` nearest the roots (breadth first from the
    functions nothing calls, the entry) stay and the others collapse by package too: Graphviz
    takes minutes on a thousand nodes, and nobody reads them. The functions in `keep` (the happy
    path's) always stay; an edge standing for a call in `highlight` is marked `happy`."""
    g = _graph(cg)
    if g.number_of_nodes() <= limit:
        return None
    kept, packages = [], {}
    owner = {}
    # the standard library becomes one node when it is the background, not the subject
    merge_std = 2 * sum(1 for _n, d in g.nodes(data=True) if d.get("std")) < g.number_of_nodes()
    in_focus = [n for n in g.nodes if _in_focus(g.nodes[n].get("package") or package_of(n), focus)]
    nearest = set(in_focus) if len(in_focus) <= limit else set(_nearest_first(g, in_focus)[:limit])
    near = len(nearest)
    nearest |= {n for n in keep if n in g}
    kept_in_focus = sum(1 for n in in_focus if n in nearest)
    happy = set(highlight)
    for n in sorted(g.nodes):
        data = g.nodes[n]
        package = data.get("package") or package_of(n)
        if n in nearest:
            kept.append(n)
            owner[n] = n
        else:
            key = "(std)" if merge_std and data.get("std") else package
            packages.setdefault(key, []).append(n)
            owner[n] = pkg_id(key)
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v in sorted(g.edges):
        a, b = owner[u], owner[v]
        if a.startswith("pkg:") and b.startswith("pkg:") and (a == b or focus):
            continue
        data = g.edges[u, v]
        e = edges.setdefault((a, b), {"count": 0, "dynamic": 0, "go": False, "defer": False, "happy": False})
        e["count"] += 1
        e["happy"] = e["happy"] or (u, v) in happy
        e["dynamic"] += _rule(data.get("rule")) != "static"
        e["go"] = e["go"] or bool(data.get("go"))
        e["defer"] = e["defer"] or bool(data.get("defer"))
    dropped = 0
    if focus:
        touched = {x for pair in edges for x in pair}
        for key in sorted(packages):
            if pkg_id(key) not in touched:
                del packages[key]
                dropped += 1
    collapsed = sum(len(v) for v in packages.values())
    std = {g.nodes[n].get("package") or package_of(n) for n in packages.get("(std)", [])}
    path = f" and {kept_in_focus - near} more on the happy path" if kept_in_focus > near else ""
    shown = (f"The {near} functions of {focus}* nearest the entry{path} are shown, the other "
             f"{len(in_focus) - kept_in_focus} by package; " if len(in_focus) > limit else
             f"Functions of {focus}* are shown; ")
    note = (f"Collapsed: the graph has {_plural(g.number_of_nodes(), 'function')}, more than the limit of {limit}. "
            + (shown if focus else "")
            + f"{_plural(collapsed, 'function')} of {_plural(len(packages) - bool(std) + len(std), 'package')} are shown "
            + "as one node per package"
            + (f" ({_plural(len(std), 'standard-library package')} as one node)" if std else "")
            + (f"; {_plural(dropped, 'package')} not connected to the focus are left out" if dropped else "")
            + ". Edge labels count caller/callee pairs.")
    return CollapsePlan(kept=kept, packages=packages, edges=edges, note=note)


def _nearest_first(g, nodes: list[str]) -> list[str]:
    """`nodes` breadth first from the graph's roots (functions nothing calls), the rest after, sorted."""
    wanted = set(nodes)
    order: list[str] = []
    seen = set()
    frontier = sorted(n for n in g.nodes if g.in_degree(n) == 0)
    while frontier:
        following = []
        for n in frontier:
            if n in seen:
                continue
            seen.add(n)
            if n in wanted:
                order.append(n)
            following += sorted(g.successors(n))
        frontier = following
    return order + sorted(wanted - seen)


# --------------------------------------------------------------------------------------------
# call graph


MAX_WIDTH_INCHES = 55
"""No diagram is drawn wider than 55 in (3,960 pt): a wider layout is scaled down to fit."""
MAX_HEIGHT_INCHES = 300


def _graph_header(name: str, title: str | None, rankdir: str, *, nodesep: float, ranksep: float,
                  extra: Iterable[str] = ()) -> list[str]:
    lines = [f"digraph {q(name)} {{",
             f'  graph [rankdir={rankdir}, fontname="{FONT}", fontsize=12, nodesep={nodesep}, ranksep={ranksep}, '
             f'newrank=true, bgcolor="white", pad=0.3, size="{MAX_WIDTH_INCHES},{MAX_HEIGHT_INCHES}"];']
    if title:
        lines.append(f'  graph [label={q(title)}, labelloc=t, labeljust=l, fontsize=18];')
    lines.extend(f"  {x}" for x in extra)
    lines.append(f'  node [fontname="{FONT}", fontsize=11, margin="0.15,0.06", penwidth=1.2];')
    lines.append(f'  edge [fontname="{FONT}", fontsize=9, color="{STATIC_COLOR}", arrowsize=0.7];')
    return lines


def _node_line(name: str, data: dict[str, Any], label: str, link: Callable[[str], str | None], indent: str,
               happy: bool = False) -> str:
    kind = data.get("kind") or "func"
    shape, style, fill, border, fontcolor = KIND_STYLE.get(kind, KIND_STYLE["func"])
    if happy:
        border = HAPPY_COLOR
    tooltip = name + (("\n\n" + data["doc"]) if data.get("doc") else "")
    if data.get("position"):
        tooltip += "\n" + data["position"]
    attrs = [f"label={q(label)}", f"shape={shape}", f'style="{style}"', f'fillcolor="{fill}"',
             f'color="{border}"', f'fontcolor="{fontcolor}"', f"tooltip={q(tooltip)}"]
    if kind == "closure":
        attrs.append("fontsize=9")
    if happy:
        attrs += ["penwidth=2.6", f'fontname="{FONT}-Bold"']
    url = link(data.get("position", ""))
    if url:
        attrs += [f"URL={q(url)}", 'target="_blank"']
    return f"{indent}{q(name)} [{', '.join(attrs)}];"


TOOLTIP_SITES = 20
"""An edge's tooltip lists at most this many call sites: generated code calls one function
thousands of times from one caller, and every site would land in the .dot and the SVG."""


def _edge_line(u: str, v: str, data: dict[str, Any], happy: bool = False) -> str:
    rule = _rule(data.get("rule"))
    attrs = []
    if rule != "static":
        attrs.append("style=dashed")
    if happy:
        attrs += [f'color="{HAPPY_COLOR}"', "penwidth=2.6"]
    elif rule != "static":
        attrs.append(f'color="{DYNAMIC_COLOR.get(rule, "#2563eb")}"')
    marks = [m for m in ("go", "defer") if data.get(m)]
    if marks:
        attrs += [f"label={q(' '.join(marks))}", 'fontcolor="#b91c1c"'] + ([] if happy else ["penwidth=1.6"])
    sites = data.get("sites") or []
    tip = f"{u} -> {v} ({rule})" + "".join(f"\n{s.position}" for s in sites[:TOOLTIP_SITES])
    if len(sites) > TOOLTIP_SITES:
        tip += f"\n… and {len(sites) - TOOLTIP_SITES} more call sites"
    attrs.append(f"tooltip={q(tip)}")
    return f"  {q(u)} -> {q(v)} [{', '.join(attrs)}];"


def render_callgraph_dot(cg, *, cluster_by: str | None = "package", link_base: str | None = None,
                         title: str | None = None, limit: int = DEFAULT_LIMIT, focus: str | None = None,
                         rankdir: str = "LR", links: Callable[[str, int], str | None] | None = None,
                         names: ShortNames = PLAIN, highlight: Iterable[tuple[str, str]] = ()) -> str:
    """DOT for a call graph (a CallGraph or its networkx DiGraph).

    Clusters by package (`cluster_by="type"`: by receiver type; None: no clusters); node shape and
    colour by kind; dynamic edges dashed and coloured by rule; `go`/`defer` edges labelled.
    Tooltips carry the full name and doc; `link_base` (`https://.../{path}#L{line}`) makes nodes
    links (`links(path, line)` instead when given, e.g. a Linker's url, which also knows
    dependencies' repositories). Above `limit` nodes, functions outside `focus` collapse to one
    node per package. `highlight` are the happy path's calls (caller, callee): they and their
    functions are drawn bold in orange, and stay as nodes when the graph collapses; an edge
    between packages that stands for one of them is orange too.
    """
    g = _graph(cg)
    link = position_link(link_base, links)
    happy = set(highlight)
    on_path = {n for pair in happy for n in pair}
    plan = collapse_plan(g, limit=limit, focus=focus, keep=sorted(on_path), highlight=happy)
    lines = _graph_header("callgraph", title, rankdir, nodesep=0.25, ranksep=0.6)
    kept = sorted(g.nodes) if plan is None else plan.kept
    clusters: dict[str | None, list[str]] = {}
    for n in kept:
        clusters.setdefault(cluster_key_of(n, g.nodes[n], cluster_by), []).append(n)
    for i, key in enumerate(sorted(clusters, key=lambda k: (k is not None, k or ""))):
        members = clusters[key]
        if key is None:
            for n in members:
                lines.append(_node_line(n, g.nodes[n], names.short(n), link, "  ", n in on_path))
            continue
        lines.append(f"  subgraph {q(f'cluster_{i}')} {{")
        lines.append(f'    graph [label={q(key)}, style="rounded,filled", fillcolor="#f8fafc", color="#cbd5e1", '
                     f'fontcolor="#334155", fontsize=11, labeljust=l, tooltip={q(key)}];')
        for n in members:
            lines.append(_node_line(n, g.nodes[n], local_label(n, key, names), link, "    ", n in on_path))
        lines.append("  }")
    if plan is None:
        for u, v in sorted(g.edges):
            lines.append(_edge_line(u, v, g.edges[u, v], (u, v) in happy))
    else:
        for package in sorted(plan.packages):
            label, tip, std = package_node(g, package, plan.packages[package], names)
            fill, border = ("#f1f5f9", "#94a3b8") if std else ("#e0e7ff", "#4f46e5")
            lines.append(f"  {q(pkg_id(package))} [label={q(label)}, shape=folder, "
                         f'style=filled, fillcolor="{fill}", color="{border}", tooltip={q(tip)}];')
        for (a, b), e in sorted(plan.edges.items()):
            if not a.startswith("pkg:") and not b.startswith("pkg:"):
                lines.append(_edge_line(a, b, g.edges[a, b], e["happy"]))
                continue
            attrs = [f"label={q(e['count'])}" if e["count"] > 1 else None,
                     "style=dashed" if e["dynamic"] == e["count"] else None,
                     f"penwidth={min(1 + e['count'] / 4, 4):.2f}" if e["count"] > 1 and not e["happy"] else None,
                     f'color="{HAPPY_COLOR}", penwidth=2.6' if e["happy"] else None]
            lines.append(f"  {q(a)} -> {q(b)} [{', '.join(x for x in attrs if x)}];")
        lines.append(f"  collapsed_note [label={q(_wrap(plan.note, 60))}, shape=note, style=filled, "
                     f'fillcolor="#fffbeb", color="#d97706", fontsize=10];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def package_node(g: nx.DiGraph, package: str, members: list[str], names: ShortNames = PLAIN) -> tuple[str, str, bool]:
    """(label, tooltip, is standard library) of a collapsed package node."""
    if package == "(std)":
        pkgs = sorted({g.nodes[m].get("package") or package_of(m) for m in members})
        return (f"Go standard library\n{_plural(len(pkgs), 'package')}, {_plural(len(members), 'function')}",
                "standard library\n" + "\n".join(pkgs), True)
    tip = package + "\n" + "\n".join(names.short(m) for m in members[:40]) + ("\n..." if len(members) > 40 else "")
    std = all(g.nodes[m].get("std") for m in members)
    return f"{package}\n{_plural(len(members), 'function')}", tip, std


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) if text else ""


# --------------------------------------------------------------------------------------------
# command tree


WIDE_TREE = 12
"""Commands a top-down tree holds before it is drawn left to right."""


def render_commands_dot(command_set, *, title: str | None = None, names: ShortNames = PLAIN) -> str:
    """A tree of commands: each node the command's name (bold) and its description. Top-down for a
    few commands; left to right past WIDE_TREE, so a CLI with hundreds of commands grows downwards
    (one column per level) instead of into one unreadable row."""
    by_id = command_set.by_id()
    rankdir = "LR" if len(command_set.commands) > WIDE_TREE else "TB"
    lines = _graph_header("commands", title, rankdir, nodesep=0.35 if rankdir == "TB" else 0.1, ranksep=0.5)
    ids = {c.id: f"c{i}" for i, c in enumerate(command_set.commands)}
    for c in command_set.commands:
        desc = _wrap(c.description, 40)
        label = f"<<B>{h(c.name or '(unnamed)')}</B>"
        if desc:
            label += "".join(f'<BR/><FONT POINT-SIZE="10" COLOR="#475569">{h(line)}</FONT>' for line in desc.split("\n"))
        if c.run:
            label += f'<BR/><FONT POINT-SIZE="9" COLOR="#64748b" FACE="{MONO}">run: {h(names.short(c.run))}</FONT>'
        label += ">"
        root = c.parent is None
        fill, border = ("#1e3a8a", "#1e3a8a") if root else ("#eef2ff", "#6366f1")
        font = "white" if root else "#0f172a"
        if root:
            label = label.replace('COLOR="#475569"', 'COLOR="#dbeafe"').replace('COLOR="#64748b"', 'COLOR="#bfdbfe"')
        tip = f"{c.type} at {c.position}\nbuilt in {c.built_in}"
        lines.append(f'  {ids[c.id]} [label={label}, shape=box, style="rounded,filled", fillcolor="{fill}", '
                     f'color="{border}", fontcolor="{font}", margin="0.3,0.12", tooltip={q(tip)}];')
    for c in command_set.commands:
        for child in c.children:
            if child in by_id:
                lines.append(f'  {ids[c.id]} -> {ids[child]} [color="#6366f1"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# startup flow (the layout is flowchart.py's)

# kind -> DOT node attributes
FLOW_STYLE = {
    "start": 'shape=box, style="rounded,filled,bold", fillcolor="#1e3a8a", color="#1e3a8a", fontcolor="white"',
    "end": 'shape=box, style="rounded,filled", fillcolor="#e2e8f0", color="#64748b", fontcolor="#334155"',
    "call": 'shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#3b6fb6", fontcolor="#0f172a"',
    "block": 'shape=box, style="rounded,filled", fillcolor="#eff6ff", color="#3b6fb6", fontcolor="#0f172a", '
             'margin="0.08,0.04"',
    "folded": 'shape=box, style="rounded,filled", peripheries=2, fillcolor="#e0e7ff", color="#4338ca", '
              'fontcolor="#0f172a"',
    "go": 'shape=box, style="rounded,filled,dashed", fillcolor="#ede9fe", color="#7c3aed", fontcolor="#0f172a"',
    "defer": 'shape=box, style="rounded,filled,dashed", fillcolor="#f1f5f9", color="#64748b", fontcolor="#0f172a"',
    "muted": 'shape=box, style="rounded,filled,dotted", fillcolor="#f8fafc", color="#3b6fb6", fontcolor="#64748b"',
    "more": 'shape=box, style="rounded,filled,dotted", fillcolor="#f8fafc", color="#94a3b8", fontcolor="#64748b"',
    "wait": 'shape=hexagon, style=filled, fillcolor="#fef3c7", color="#d97706", fontcolor="#0f172a"',
    "build": 'shape=note, style=filled, fillcolor="#ccfbf1", color="#0d9488", fontcolor="#0f172a", fontsize=10, '
             'margin="0.1,0.04"',
    "return": 'shape=box, style="rounded,filled", fillcolor="#f1f5f9", color="#94a3b8", fontcolor="#334155", '
              'fontsize=9, margin="0.08,0.03"',
    "exit": 'shape=octagon, style="filled,bold", fillcolor="#dc2626", color="#991b1b", fontcolor="white"',
    "fork": 'shape=point, width=0.09, color="#7c3aed"',
    "cond": 'shape=diamond, style=filled, fillcolor="#fff7ed", color="#ea580c", fontcolor="#7c2d12", fontsize=9, '
            'margin="0.02,0.02"',
}
FLOW_EDGE = {
    "seq": 'color="#475569", weight=8',
    "call": 'color="#3b6fb6", penwidth=1.4, minlen=0, weight=2',
    "go": 'color="#7c3aed", style=dashed, fontcolor="#7c3aed", minlen=0, weight=2',
    "defer": 'color="#64748b", style=dashed, fontcolor="#64748b", minlen=0, weight=2',
    "error": 'color="#dc2626", fontcolor="#dc2626", penwidth=1.4',
    "ok": 'color="#16a34a", fontcolor="#15803d", weight=8',
    "yes": 'color="#c2410c", fontcolor="#c2410c"',
    "no": 'color="#64748b", fontcolor="#475569", weight=8',
    "alt": 'color="#9333ea", style=dashed',
    "after": 'style=invis, weight=0',
}
FLOW_CLUSTER = {
    "callee": 'style="rounded,filled", fillcolor="{fill}", color="#94a3b8", fontcolor="#1e293b", fontsize=11, '
              'labeljust=l, margin=10',
    "loop": 'style="rounded,dashed", color="#64748b", fontcolor="#475569", fontsize=9, labeljust=l, margin=8',
}
CLUSTER_FILLS = ("#f8fafc", "#eef2f7")
"""Callee boxes alternate fills by nesting depth, so a box inside a box stands out."""


def more_steps(node, pages: dict[str, str], where: dict[str, str] | None = None) -> str:
    """What a folded node says about the steps it stands for ("" for a plain node); a node whose
    callee is expanded elsewhere says where: on its page (`pages`), or `where[node id]` (see
    flowchart.placement: drawn above/below in this chart, shown above/below on this page)."""
    if node.more:
        return f"{node.more} more steps — " + ("see its page" if node.part in pages else "drawn below")
    if node.part:  # expanded elsewhere in the flow
        if node.part in pages:
            return "steps on its page"
        return f"steps {(where or {}).get(node.id, 'shown on this page')}"
    return ""


def _flow_label(node, link, pages: dict[str, str], where: dict[str, str]) -> str:
    if node.kind == "cond":
        return q("\n".join(textwrap.wrap(node.label, 20, break_long_words=False, break_on_hyphens=False)) or "?")
    if node.kind == "block":
        rows = []
        for row in node.rows:
            colour = "#64748b" if row.muted else "#0f172a"
            attrs = f' TOOLTIP="{h(row.tooltip).replace(chr(10), "&#10;")}"' if row.tooltip else ""
            url = link(row.position)
            if url:
                attrs += f' HREF="{h(url)}" TARGET="_blank"'
            detail = f'  <FONT POINT-SIZE="9" COLOR="#64748b">{h(row.detail)}</FONT>' if row.detail else ""
            rows.append(f'<TR><TD ALIGN="LEFT"{attrs}><FONT COLOR="{colour}">{h(row.label)}</FONT>{detail}</TD></TR>')
        return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">' + "".join(rows) + "</TABLE>>"
    label = "<" + h(node.label).replace("\n", "<BR/>")  # a build step's text comes on lines
    detail = " · ".join(x for x in (node.detail, more_steps(node, pages, where)) if x)
    if detail:
        colour = "#cbd5e1" if node.kind in ("start", "exit") else ("#4338ca" if node.more else "#64748b")
        label += f'<BR/><FONT POINT-SIZE="9" COLOR="{colour}">{h(detail)}</FONT>'
    return label + ">"


def render_startup_dot(flow, *, link_base: str | None = None, title: str | None = None,
                       links: Callable[[str, int], str | None] | None = None,
                       parts: dict[str, str] | None = None, nearby: dict[str, str] | None = None,
                       names: ShortNames = PLAIN) -> str:
    """The startup flowchart (see flowchart.py for how it reads): statement order top down,
    callees in boxes beside their calls, conditions as diamonds (error branches red), exits as
    red octagons, values built as teal notes (a folded corner), folded steps with a double border.

    Nodes link to their source line: `links(path, line)` when given, else `link_base`. A folded
    step, or one expanded elsewhere, links to `parts[part id]` (the page showing its steps) and
    says "see its page"; a folded step whose part is not in `parts` is drawn below, on the
    same page. A step expanded elsewhere says where its steps are: on its page, drawn above or
    below in this chart, or shown above or below on this page (`nearby`: part id -> `above` or
    `below`, the other charts of this page). `names` says how package names print.
    """
    layout = flow_layout(flow, names)
    where = placement(layout, nearby)
    parts = parts or {}
    link = position_link(link_base, links)

    lines = _graph_header("startup", title, "TB", nodesep=0.25, ranksep=0.25)

    def emit(cluster, indent: str, level: int) -> None:
        for nid in cluster.nodes:
            node = layout.nodes[nid]
            style = node.kind
            if node.more:
                style = "folded"
            elif node.muted and node.kind in ("call", "go", "defer"):
                style = "muted"
            attrs = [f"label={_flow_label(node, link, parts, where)}", FLOW_STYLE[style]]
            if node.tooltip and node.kind != "block":
                attrs.append(f"tooltip={q(node.tooltip)}")
            url = parts.get(node.part) if node.part else None
            url = url or (link(node.position) if node.position and node.kind != "block" else None)
            if url:
                attrs += [f"URL={q(url)}", 'target="_blank"']
            lines.append(f"{indent}{nid} [{', '.join(attrs)}];")
        for sub in cluster.clusters:
            inner = level + (sub.kind == "callee")
            style = FLOW_CLUSTER[sub.kind].replace("{fill}", CLUSTER_FILLS[level % 2])
            lines.append(f"{indent}subgraph cluster_{sub.id} {{")
            lines.append(f"{indent}  graph [label={q(sub.label)}, tooltip={q(sub.tooltip)}, {style}];")
            emit(sub, indent + "  ", inner)
            lines.append(f"{indent}}}")

    emit(layout.root, "  ", 0)
    for e in layout.edges:
        attrs = [FLOW_EDGE[e.kind]]
        if e.label:  # an xlabel takes no rank of its own, so labelled branches do not stretch the flow
            attrs.insert(0, f"xlabel={q(e.label)}")
        lines.append(f"  {e.src} -> {e.dst} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
