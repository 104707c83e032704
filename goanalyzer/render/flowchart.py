"""The startup flowchart as a format-neutral layout (nodes, nested clusters, edges) that dot.py
and mermaid.py draw.

How the picture reads:
- a function's steps run top down in statement order;
- an expanded callee is a box beside its call, entered by an arrow from the call; the caller goes
  on below the call (no arrows back from the box: they tangled every large flow);
- steps under a condition hang off a diamond (`error`/`yes` into them, `ok`/`no` on to the next
  statement); nested conditions nest, an `else` hangs off its `if`'s `no`;
- a loop's body is a dashed box labelled with the loop;
- consecutive plain calls (nothing drawn inside them, same context) share one node, a row each;
- exits end the flow, returns end their branch, `end of F` is F's normal end;
- a value built with a composite literal (a build step) is a node of its own, its text on up to
  three lines: the target, then the literal;
- a folded step (in a part of a FlowSummary) says how many steps it stands for.

Node and cluster ids are numbered in emission order, so the output is deterministic.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from goanalyzer.analysis.startup_model import is_error_check, step_label
from goanalyzer.naming import PLAIN, ShortNames

_CONDITIONS = ("if ", "if\t", "else", "case ", "switch", "default", "select case", "type switch")
_LOOPS = ("for ",)
LABEL_LIMIT = 36
"""Conditions and returns longer than this are cut (the full text is in the tooltip)."""
BUILD_WIDTH = 40
BUILD_LINES = 3
"""A build step's text is drawn BUILD_WIDTH characters wide (a word that cannot be cut may be
wider), on BUILD_LINES lines at most."""


@dataclass
class FlowRow:
    """One call in a block node."""

    label: str
    detail: str = ""
    tooltip: str = ""
    position: str = ""
    muted: bool = False
    part: str = ""
    """Id of the summary part that shows the callee's steps, when it is expanded elsewhere."""


@dataclass
class FlowNode:
    id: str
    kind: str
    """start, end, call, go, defer, exit, return, wait, build, cond, block, fork (before a dynamic
    call's possible targets)."""
    label: str
    detail: str = ""
    """Second line: where (file:line), and `in a goroutine` for goroutine helpers."""
    tooltip: str = ""
    position: str = ""
    muted: bool = False
    """External or recursive: drawn lighter."""
    more: int = 0
    """Folded: the number of steps inside the callee that this part leaves out."""
    part: str = ""
    """Id of the summary part that shows the callee's steps (folded or expanded elsewhere)."""
    rows: list[FlowRow] = field(default_factory=list)
    """For a block: its calls, in statement order."""
    callee: str = ""
    """The step's callee (x/tools name), for a step's node."""
    expanded: bool = False
    """The callee's steps are drawn beside this node, in a callee box."""


@dataclass
class FlowCluster:
    id: str
    label: str
    tooltip: str = ""
    kind: str = "callee"
    """callee (an expanded call's steps), loop (a loop body) or root."""
    nodes: list[str] = field(default_factory=list)
    clusters: list["FlowCluster"] = field(default_factory=list)


@dataclass
class FlowEdge:
    src: str
    dst: str
    label: str = ""
    kind: str = "seq"
    """seq (statement order), call (into a callee), go, defer, alt (fork to one possible target
    of a dynamic call), error/ok (an error check's
    branches), yes/no (any other condition's), after (not drawn: keeps a callee box above the
    next box of the same function, so boxes stack instead of spreading sideways)."""


@dataclass
class FlowLayout:
    nodes: dict[str, FlowNode]
    root: FlowCluster
    edges: list[FlowEdge]

    def walk_clusters(self):
        stack = [self.root]
        while stack:
            cluster = stack.pop(0)
            yield cluster
            stack[:0] = cluster.clusters


def placement(layout: FlowLayout, nearby: dict[str, str] | None = None) -> dict[str, str]:
    """Where each node expanded elsewhere has its steps, in reading order: `drawn above`/`drawn
    below` when they are in this chart (its nodes are numbered top down), else `shown above`/
    `shown below` when `nearby` (part id -> `above`/`below`: the charts on the same page) knows
    the part showing them. Node id -> text; a node left out says nothing of where."""
    first: dict[str, int] = {}
    order = {nid: index for index, nid in enumerate(layout.nodes)}
    for nid, node in layout.nodes.items():
        if node.expanded:
            first.setdefault(node.callee, order[nid])
    out = {}
    for nid, node in layout.nodes.items():
        if not node.part or node.more or node.expanded:
            continue
        if node.callee in first:
            out[nid] = "drawn above" if first[node.callee] < order[nid] else "drawn below"
        elif nearby and node.part in nearby:
            out[nid] = f"shown {nearby[node.part]}"
    return out


def clip(text: str, limit: int = LABEL_LIMIT) -> str:
    """`text` cut to `limit` characters, never inside an identifier (`if cfg.Global.Check…` -> `if cfg.Global.…`)."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    if text[limit - 1].isalnum() or text[limit - 1] == "_":
        cut = len(head)
        while cut > 0 and (head[cut - 1].isalnum() or head[cut - 1] == "_"):
            cut -= 1
        head = head[:cut] if cut > limit // 2 else head
    return head.rstrip() + "…"


def flow_layout(flow, names: ShortNames = PLAIN) -> FlowLayout:
    """The layout of a StartupFlow (or of one part of a FlowSummary: its `flow`); `names` says
    how package names print."""
    return _Builder(names).build(flow)


End = tuple[str, str, str]
"""An open end: (node id, edge label, edge kind) waiting for the next node."""


class _Builder:
    def __init__(self, names: ShortNames = PLAIN) -> None:
        self.names = names
        self.nodes: dict[str, FlowNode] = {}
        self.edges: list[FlowEdge] = []
        self.clusters = 0
        self.parents: dict[str, FlowCluster] = {}
        self.last_box: dict[str, tuple[FlowCluster, tuple[str, ...]]] = {}
        """Function cluster id -> the callee box drawn last in it, and the context of its call."""

    def build(self, flow) -> FlowLayout:
        root = FlowCluster("root", "", kind="root")
        where = f"{flow.path.rsplit('/', 1)[-1]}:{flow.line}" if flow.path and flow.line else ""
        start = self.node(root, "start", self.names.short(flow.entry), detail=where,
                          tooltip=f"{flow.entry}\n{flow.path}:{flow.line}",
                          position=f"{flow.path}:{flow.line}:1" if flow.line else "")
        first, ends = self.sequence(list(flow.steps), root, 0)
        if first:
            self.edges.append(FlowEdge(start, first))
        else:
            ends = [(start, "", "seq")]
        if ends:
            end = self.node(root, "end", "end of " + self.names.short(flow.entry).rsplit(".", 1)[-1])
            self.connect(ends, end)
        return FlowLayout(self.nodes, root, self.edges)

    # ------------------------------------------------------------------ pieces
    def node(self, cluster: FlowCluster, kind: str, label: str, **attrs) -> str:
        nid = f"n{len(self.nodes) + 1}"
        self.nodes[nid] = FlowNode(nid, kind, label, **attrs)
        cluster.nodes.append(nid)
        return nid

    def cluster(self, parent: FlowCluster, label: str, tooltip: str, kind: str) -> FlowCluster:
        self.clusters += 1
        sub = FlowCluster(f"c{self.clusters}", label, tooltip, kind)
        parent.clusters.append(sub)
        self.parents[sub.id] = parent
        return sub

    def owner(self, cluster: FlowCluster) -> FlowCluster:
        """The function box a (loop) cluster belongs to."""
        while cluster.kind == "loop":
            cluster = self.parents[cluster.id]
        return cluster

    def connect(self, ends: list[End], dst: str) -> None:
        for src, label, kind in ends:
            self.edges.append(FlowEdge(src, dst, label, kind))

    # ------------------------------------------------------------------ structure
    def sequence(self, steps, cluster: FlowCluster, depth: int) -> tuple[str | None, list[End]]:
        """Steps whose contexts agree up to `depth`: runs of deeper steps become branches or loops."""
        first: str | None = None
        prev: list[End] = []
        last_if: tuple[str, str] | None = None  # (diamond, condition) an `else` may hang off
        i = 0
        while i < len(steps):
            key = _key(steps[i], depth)
            j = i + 1
            while j < len(steps) and _key(steps[j], depth) == key:
                j += 1
            group = steps[i:j]
            entry: str | None
            if key is None:
                entry, ends = self.linear(group, cluster)
                self.connect(prev, entry)
                last_if = None
            elif key.startswith(_LOOPS):
                loop = self.cluster(cluster, clip(key), key, "loop")
                entry, ends = self.sequence(group, loop, depth + 1)
                self.connect(prev, entry)
                last_if = None
            elif key.startswith(_CONDITIONS):
                branch_error = is_error_check(key)
                yes, no = ("error", "ok") if branch_error else ("yes", "no")
                if last_if is not None and key == f"else (not {last_if[1]})":
                    diamond, entry = last_if[0], None
                    no = "ok" if is_error_check(f"if {last_if[1]}") else "no"
                    prev = [e for e in prev if not (e[0] == diamond and e[2] == no)]
                    bfirst, bends = self.sequence(group, cluster, depth + 1)
                    self.edges.append(FlowEdge(diamond, bfirst, no, no))
                    ends = prev + bends
                    last_if = None
                else:
                    entry = self.node(cluster, "cond", clip(key), tooltip=" > ".join(steps[i].context[:depth + 1]))
                    self.connect(prev, entry)
                    bfirst, bends = self.sequence(group, cluster, depth + 1)
                    self.edges.append(FlowEdge(entry, bfirst, yes, yes))
                    ends = bends + [(entry, no, no)]
                    last_if = (entry, key[3:]) if key.startswith("if ") else None
            else:  # a context that is neither branch nor loop (a goroutine helper): no shape of its own
                entry, ends = self.sequence(group, cluster, depth + 1)
                self.connect(prev, entry)
                last_if = None
            first = first or entry
            prev = ends
            i = j
        return first, prev

    def linear(self, group, cluster: FlowCluster) -> tuple[str, list[End]]:
        """Steps in one context, one after the other. Plain calls in a row share a block; the
        targets of one dynamic call (steps at one call site) fan out from a fork point."""
        first: str | None = None
        prev: list[End] = []
        k = 0
        while k < len(group):
            alternatives = _same_site(group, k)
            if alternatives > 1:
                fork = self.node(cluster, "fork", "", tooltip=f"a dynamic call: one of {alternatives} functions")
                nid, ends = fork, []
                above = None
                for step in group[k:k + alternatives]:
                    target, step_ends = self.step(step, cluster, stack=False)
                    self.edges.append(FlowEdge(fork, target, "", "alt"))
                    if above is not None:  # one above the other, not side by side
                        self.edges.append(FlowEdge(above, target, "", "after"))
                    above = target
                    ends += step_ends
                run = alternatives
            else:
                run = 1
                while (_plain(group[k]) and k + run < len(group) and _plain(group[k + run])
                       and _same_site(group, k + run) == 1):
                    run += 1
                if run > 1:
                    rows = [_row(s, self.names) for s in group[k:k + run]]
                    nid = self.node(cluster, "block", rows[0].label, rows=rows)
                    ends = [(nid, "", "seq")]
                else:
                    nid, ends = self.step(group[k], cluster)
            self.connect(prev, nid)
            first = first or nid
            prev = ends
            k += run
            if not ends:  # an exit or a return: what follows in this run is unreachable
                break
        assert first is not None
        return first, prev

    def step(self, step, cluster: FlowCluster, stack: bool = True) -> tuple[str, list[End]]:
        """One step's node, and beside it the box of its callee's steps when they are drawn.
        With `stack`, the box goes below the function's previous box on the same path."""
        kind = getattr(step.kind, "value", step.kind)
        row = _row(step, self.names)
        label = row.label
        if kind == "return":
            label = clip(step.callee)
        elif kind == "build":
            label = build_label(step.callee)
        nid = self.node(cluster, kind, label, detail=row.detail, tooltip=row.tooltip, position=row.position,
                        muted=row.muted, more=step.folded, part=step.shown_in, callee=step.callee)
        if kind in ("exit", "return"):
            return nid, []
        if step.steps:
            owner = self.owner(cluster)
            previous = self.last_box.get(owner.id)
            if stack and previous is not None and tuple(step.context[:len(previous[1])]) == previous[1]:
                for inner in _all_nodes(previous[0]):
                    self.edges.append(FlowEdge(inner, nid, "", "after"))
            self.nodes[nid].expanded = True
            sub = self.cluster(cluster, self.names.short(step.callee), step.callee, "callee")
            self.last_box[owner.id] = (sub, tuple(step.context))
            first, _ends = self.sequence(list(step.steps), sub, 0)
            if first:
                edge = kind if kind in ("go", "defer") else "call"
                self.edges.append(FlowEdge(nid, first, kind if edge != "call" else "", edge))
        return nid, [(nid, "", "seq")]


def build_label(text: str) -> str:
    """A build step's text on lines: `cmdTraefik :=` above `&cli.Command{Name: "traefik", ...}`
    (a long literal wraps at its spaces; beyond BUILD_LINES lines it is cut)."""
    for op in (" := ", " = "):
        head, found, value = text.partition(op)
        if found:
            lines = [head + op.rstrip(), *textwrap.wrap(value, BUILD_WIDTH, break_long_words=False,
                                                        break_on_hyphens=False)]
            break
    else:
        lines = textwrap.wrap(text, BUILD_WIDTH, break_long_words=False, break_on_hyphens=False)
    if len(lines) > BUILD_LINES:
        lines = lines[:BUILD_LINES - 1] + [clip(" ".join(lines[BUILD_LINES - 1:]), BUILD_WIDTH)]
    return "\n".join(lines)


def _all_nodes(cluster: FlowCluster) -> list[str]:
    out = list(cluster.nodes)
    for sub in cluster.clusters:
        out += _all_nodes(sub)
    return out


def _same_site(steps, k: int) -> int:
    """How many steps from k on are targets of the same call site (a dynamic call's callees)."""
    n = 1
    while (k + n < len(steps) and steps[k + n].line and (steps[k + n].path, steps[k + n].line, steps[k + n].col)
           == (steps[k].path, steps[k].line, steps[k].col) and steps[k + n].kind == steps[k].kind):
        n += 1
    return n


def _key(step, depth: int) -> str | None:
    return step.context[depth] if len(step.context) > depth else None


def _plain(step) -> bool:
    """A call with nothing drawn inside it: it can share a block with its neighbours."""
    return getattr(step.kind, "value", step.kind) == "call" and not step.steps and not step.folded


def _row(step, names: ShortNames = PLAIN) -> FlowRow:
    kind = getattr(step.kind, "value", step.kind)
    label = names.relabel(step_label(step), step.callee) if step.callee else kind
    if kind in ("go", "defer"):
        label = f"{kind} {label}"
    marks = []
    rule = getattr(step.rule, "value", step.rule)
    if rule and rule != "static" and kind not in ("return", "wait", "exit", "build"):
        marks.append(rule)
    if step.recursive:
        marks.append("recursive")
    if marks:
        label += f" ({', '.join(marks)})"
    detail = f"{step.path.rsplit('/', 1)[-1]}:{step.line}" if step.path and step.line else ""
    if "goroutine helper" in step.context:
        detail = " · ".join(x for x in ("in a goroutine", detail) if x)
    tip = f"{step.callee}\n{step.position}" + (f"\nresolved by {rule}" if rule != "static" else "")
    if step.context:
        tip += "\n" + " > ".join(step.context)
    return FlowRow(label, detail, tip, step.position if step.line else "", bool(step.external or step.recursive),
                   step.shown_in)
