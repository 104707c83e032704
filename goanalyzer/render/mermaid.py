"""Mermaid flowcharts (call graph, command tree, startup flow) for docs sites.

Node ids are generated (`f1`, `c1`, `n1`, subgraphs `p1`/`s1`) so no Go name ever reaches Mermaid's
id grammar; every label is a quoted string with `"`, `#`, `<`, `>` and `&` written as Mermaid
entity codes. Deterministic: sorted or model order.
"""

from __future__ import annotations

__all__ = ["render_callgraph_mermaid", "render_commands_mermaid", "render_startup_mermaid"]

from typing import Any, Iterable

from goanalyzer.naming import PLAIN, ShortNames
from goanalyzer.render.dot import (DEFAULT_LIMIT, HAPPY_COLOR, _graph, _rule, _wrap, cluster_key_of, collapse_plan,
                                   local_label, more_steps, package_node, pkg_id)
from goanalyzer.render.flowchart import FlowCluster, flow_layout, placement

_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}


def label(text: Any) -> str:
    """A quoted Mermaid label; `\\n` becomes a line break."""
    s = "".join(_ENTITIES.get(ch, ch) for ch in str(text))
    return '"' + s.replace("\n", "<br/>") + '"'


def _arrow(dynamic: bool, text: str = "") -> str:
    arrow = "-.->" if dynamic else "-->"
    return f"{arrow}|{label(text)}|" if text else arrow


_CALLGRAPH_CLASSES = [
    "classDef cg_func fill:#dbeafe,stroke:#3b6fb6,color:#0f172a",
    "classDef cg_method fill:#dcfce7,stroke:#3f8f5a,color:#0f172a",
    "classDef cg_closure fill:#fef9c3,stroke:#a68a1f,stroke-dasharray:4 3,color:#0f172a",
    "classDef cg_external fill:#f1f5f9,stroke:#94a3b8,stroke-dasharray:2 2,color:#64748b",
    "classDef cg_package fill:#e0e7ff,stroke:#4f46e5,color:#0f172a",
    "classDef cg_note fill:#fffbeb,stroke:#d97706,color:#78350f",
]
_SHAPES = {"func": ("[", "]"), "method": ("(", ")"), "closure": ("([", "])"), "external": ("[/", "/]")}


def render_callgraph_mermaid(cg, *, cluster_by: str | None = "package", limit: int = DEFAULT_LIMIT,
                             focus: str | None = None, direction: str = "LR", names: ShortNames = PLAIN,
                             highlight: Iterable[tuple[str, str]] = ()) -> str:
    """`flowchart LR` with a subgraph per package, dashed arrows for dynamic calls, `go`/`defer`
    labels; collapsed to one node per package above `limit` nodes (like the DOT view). The calls
    in `highlight` (the happy path) and their functions are drawn bold in orange."""
    g = _graph(cg)
    happy = set(highlight)
    on_path = {n for pair in happy for n in pair}
    plan = collapse_plan(g, limit=limit, focus=focus, keep=sorted(on_path), highlight=happy)
    links: list[bool] = []  # per arrow, in order: on the happy path? (Mermaid styles links by index)
    kept = sorted(g.nodes) if plan is None else plan.kept
    ids: dict[str, str] = {}
    lines = [f"flowchart {direction}"]
    clusters: dict[str | None, list[str]] = {}
    for n in kept:
        clusters.setdefault(cluster_key_of(n, g.nodes[n], cluster_by), []).append(n)
    by_kind: dict[str, list[str]] = {}
    for i, key in enumerate(sorted(clusters, key=lambda k: (k is not None, k or ""))):
        indent = "  "
        if key is not None:
            lines.append(f"  subgraph p{i}[{label(key)}]")
            indent = "    "
        for n in clusters[key]:
            ids[n] = f"f{len(ids) + 1}"
            kind = g.nodes[n].get("kind") or "func"
            a, b = _SHAPES.get(kind, _SHAPES["func"])
            text = local_label(n, key, names) if key is not None else names.short(n)
            lines.append(f"{indent}{ids[n]}{a}{label(text)}{b}")
            by_kind.setdefault(kind, []).append(ids[n])
        if key is not None:
            lines.append("  end")
    if plan is None:
        for u, v in sorted(g.edges):
            data = g.edges[u, v]
            marks = " ".join(m for m in ("go", "defer") if data.get(m))
            lines.append(f"  {ids[u]} {_arrow(_rule(data.get('rule')) != 'static', marks)} {ids[v]}")
            links.append((u, v) in happy)
    else:
        for package in sorted(plan.packages):
            ids[pkg_id(package)] = f"f{len(ids) + 1}"
            text = package_node(g, package, plan.packages[package], names)[0]
            lines.append(f"  {ids[pkg_id(package)]}[{label(text)}]")
            by_kind.setdefault("package", []).append(ids[pkg_id(package)])
        for (a, b), e in sorted(plan.edges.items()):
            if not a.startswith("pkg:") and not b.startswith("pkg:"):
                data = g.edges[a, b]
                marks = " ".join(m for m in ("go", "defer") if data.get(m))
                lines.append(f"  {ids[a]} {_arrow(_rule(data.get('rule')) != 'static', marks)} {ids[b]}")
                links.append(e["happy"])
                continue
            count = str(e["count"]) if e["count"] > 1 else ""
            lines.append(f"  {ids[a]} {_arrow(e['dynamic'] == e['count'], count)} {ids[b]}")
            links.append(e["happy"])
        lines.append(f"  collapsed_note[{label(_wrap(plan.note, 60))}]")
        by_kind["note"] = ["collapsed_note"]
    lines += ["  " + c for c in _CALLGRAPH_CLASSES]
    for kind in sorted(by_kind):
        lines.append(f"  class {','.join(by_kind[kind])} cg_{kind}")
    for n in sorted(on_path & set(kept)):
        lines.append(f"  style {ids[n]} stroke:{HAPPY_COLOR},stroke-width:3px")
    if any(links):
        lines.append(f"  linkStyle {','.join(str(i) for i, on in enumerate(links) if on)} "
                     f"stroke:{HAPPY_COLOR},stroke-width:3px")
    return "\n".join(lines) + "\n"


def render_commands_mermaid(command_set) -> str:
    """`flowchart TD`: the command tree, each node the name and description."""
    by_id = command_set.by_id()
    ids = {c.id: f"c{i + 1}" for i, c in enumerate(command_set.commands)}
    lines = ["flowchart TD"]
    roots = []
    for c in command_set.commands:
        # the bold markup is ours; name and description are escaped
        text = "<b>" + label(c.name or "(unnamed)")[1:-1] + "</b>"
        if c.description:
            text += "<br/>" + label(_wrap(c.description, 40))[1:-1]
        lines.append(f'  {ids[c.id]}["{text}"]')
        if c.parent is None:
            roots.append(ids[c.id])
    for c in command_set.commands:
        for child in c.children:
            if child in by_id:
                lines.append(f"  {ids[c.id]} --> {ids[child]}")
    lines.append("  classDef cmd_node fill:#eef2ff,stroke:#6366f1,color:#0f172a")
    lines.append("  classDef cmd_root fill:#1e3a8a,stroke:#1e3a8a,color:#ffffff")
    others = [ids[c.id] for c in command_set.commands if ids[c.id] not in roots]
    if others:
        lines.append(f"  class {','.join(others)} cmd_node")
    if roots:
        lines.append(f"  class {','.join(roots)} cmd_root")
    return "\n".join(lines) + "\n"


_FLOW_SHAPES = {"start": ("([", "])"), "end": ("([", "])"), "call": ("(", ")"), "block": ("[", "]"),
                "go": ("(", ")"), "defer": ("(", ")"), "wait": ("{{", "}}"), "return": ("(", ")"),
                "build": ("[/", "/]"), "more": ("[", "]"),
                "exit": ("[[", "]]"), "cond": ("{", "}"),
                "fork": ("((", "))")}
_FLOW_CLASSES = [
    "classDef st_start fill:#1e3a8a,stroke:#1e3a8a,color:#ffffff",
    "classDef st_finish fill:#e2e8f0,stroke:#64748b,color:#334155",
    "classDef st_call fill:#dbeafe,stroke:#3b6fb6,color:#0f172a",
    "classDef st_block fill:#eff6ff,stroke:#3b6fb6,color:#0f172a",
    "classDef st_folded fill:#e0e7ff,stroke:#4338ca,stroke-width:3px,color:#0f172a",
    "classDef st_go fill:#ede9fe,stroke:#7c3aed,stroke-dasharray:4 3,color:#0f172a",
    "classDef st_defer fill:#f1f5f9,stroke:#64748b,stroke-dasharray:4 3,color:#0f172a",
    "classDef st_wait fill:#fef3c7,stroke:#d97706,color:#0f172a",
    "classDef st_build fill:#ccfbf1,stroke:#0d9488,color:#0f172a",
    "classDef st_return fill:#f1f5f9,stroke:#94a3b8,color:#334155",
    "classDef st_exit fill:#dc2626,stroke:#991b1b,color:#ffffff",
    "classDef st_cond fill:#fff7ed,stroke:#ea580c,color:#7c2d12",
    "classDef st_fork fill:#7c3aed,stroke:#7c3aed,color:#7c3aed",
    "classDef st_muted fill:#f8fafc,stroke:#94a3b8,stroke-dasharray:2 2,color:#64748b",
]


def _node_text(node, pages: dict[str, str], where: dict[str, str]) -> str:
    if node.kind == "fork":
        return "one of"
    if node.kind == "cond":
        return node.label
    if node.kind == "block":
        return "\n".join(row.label + (f"  {row.detail}" if row.detail else "") for row in node.rows)
    detail = " · ".join(x for x in (node.detail, more_steps(node, pages, where)) if x)
    return node.label + (f"\n{detail}" if detail else "")


def render_startup_mermaid(flow, *, parts: dict[str, str] | None = None, nearby: dict[str, str] | None = None,
                           names: ShortNames = PLAIN) -> str:
    """`flowchart TD`: the startup flow in statement order (the layout of flowchart.py, as in DOT;
    `parts`, `nearby` and `names` as for render_startup_dot, for what folded steps say)."""
    layout = flow_layout(flow, names)
    where = placement(layout, nearby)
    parts = parts or {}
    lines = ["flowchart TD"]
    by_class: dict[str, list[str]] = {}

    def emit(cluster: FlowCluster, indent: str) -> None:
        for nid in cluster.nodes:
            node = layout.nodes[nid]
            a, b = _FLOW_SHAPES[node.kind]
            lines.append(f"{indent}{nid}{a}{label(_node_text(node, parts, where))}{b}")
            cls = ("folded" if node.more else "muted" if node.muted else "finish" if node.kind == "end"
                   else node.kind)
            by_class.setdefault(cls, []).append(nid)
        for sub in cluster.clusters:
            lines.append(f"{indent}subgraph {sub.id}[{label(sub.label)}]")
            lines.append(f"{indent}  direction TB")
            emit(sub, indent + "  ")
            lines.append(f"{indent}end")

    emit(layout.root, "  ")
    for e in layout.edges:
        if e.kind == "after":
            continue  # a DOT layout hint; Mermaid stacks subgraphs itself
        dynamic = e.kind in ("go", "defer", "alt")
        lines.append(f"  {e.src} {_arrow(dynamic, e.label)} {e.dst}")
    lines += ["  " + c for c in _FLOW_CLASSES]
    for cls in sorted(by_class):
        lines.append(f"  class {','.join(by_class[cls])} st_{cls}")
    return "\n".join(lines) + "\n"
