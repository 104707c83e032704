"""Render tests: DOT (golden strings, determinism, collapse), data formats, engine, SVG files.

The small hand-built models and golden strings here are shared with test_render_mermaid.py.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys

import networkx as nx
import pytest

from goanalyzer.analysis.callgraph import CallGraph, Site


def tiny_callgraph() -> CallGraph:
    g = nx.DiGraph()
    g.add_node("example.com/app.main", kind="func", package="example.com/app", position="main.go:5:1",
               doc="main starts.", std=False, external=False)
    g.add_node("(*example.com/app/cli.Cmd).Run", kind="method", package="example.com/app/cli",
               position="cli/cmd.go:9:1", doc="", std=False, external=False)
    g.add_node("example.com/app.main$1", kind="closure", package="example.com/app", position="main.go:7:9",
               doc="", std=False, external=False)
    g.add_node("os.Exit", kind="external", package="os", position="", doc="", std=True, external=True)
    g.add_edge("example.com/app.main", "(*example.com/app/cli.Cmd).Run", sites=[Site("main.go", 6, 2, "interface")],
               rule="interface", go=False, defer=False)
    g.add_edge("example.com/app.main", "example.com/app.main$1", sites=[Site("main.go", 7, 5, "static", go=True)],
               rule="static", go=True, defer=False)
    g.add_edge("example.com/app.main$1", "os.Exit", sites=[Site("main.go", 8, 3, "static")], rule="static",
               go=False, defer=False)
    return CallGraph(g)


def big_callgraph(packages=20, per=10) -> CallGraph:
    g = nx.DiGraph()
    for p in range(packages):
        for f in range(per):
            name = f"example.com/big/p{p:02d}.F{f:02d}"
            g.add_node(name, kind="func", package=f"example.com/big/p{p:02d}", position=f"p{p:02d}/f.go:{f + 1}:1",
                       doc="", std=False, external=False)
    for p in range(packages):
        for f in range(per):
            u = f"example.com/big/p{p:02d}.F{f:02d}"
            v = f"example.com/big/p{(p + 1) % packages:02d}.F{(f + 3) % per:02d}"
            w = f"example.com/big/p{p:02d}.F{(f + 1) % per:02d}"
            for callee in (v, w):
                g.add_edge(u, callee, sites=[Site(f"p{p:02d}/f.go", f + 1, 2, "static")], rule="static", go=False,
                           defer=False)
    return CallGraph(g)


from goanalyzer.analysis.commands_model import Command, CommandSet
from goanalyzer.analysis.startup_model import StartupFlow, Step, StepKind


def tiny_commands() -> CommandSet:
    root = Command(id="main.go:10:9", name="app", description='The "app" [tool] $HOME*', long="",
                   type="example.com/cli.Command", framework="paerser", path="main.go", line=10, col=9,
                   built_in="example.com/app.main", run="example.com/app.run", children=["v.go:3:9"])
    version = Command(id="v.go:3:9", name="version", description="Shows the version (short).", long="",
                      type="example.com/cli.Command", framework="paerser", path="v.go", line=3, col=9,
                      built_in="example.com/app.newVersion", parent=root.id)
    return CommandSet(commands=[root, version], struct_types=["example.com/cli.Command"])


def _step(kind, callee, line, steps=(), context=(), error_path=False, **kw):
    return Step(kind=StepKind(kind), callee=callee, caller="example.com/app.main", path="main.go", line=line, col=2,
                context=list(context), error_path=error_path, steps=list(steps), **kw)


def tiny_flow() -> StartupFlow:
    inner = [_step("call", "example.com/app.load", 20),
             _step("return", "return err", 21, context=["if err != nil"], error_path=True)]
    steps = [_step("call", "example.com/app.setup", 6, steps=inner),
             _step("call", "log.Println", 8, context=["if err != nil"], error_path=True, external=True),
             _step("exit", "os.Exit", 9, context=["if err != nil"], error_path=True),
             _step("go", "(*example.com/app.Server).Serve", 11),
             _step("wait", "<-ctx.Done()", 12)]
    return StartupFlow(entry="example.com/app.main", path="main.go", line=5, steps=steps)


def rich_flow() -> StartupFlow:
    """Every shape of the flowchart: a block, a loop, nested branches, `else`, a value built, a
    dynamic call's targets, a folded step, a step expanded earlier."""
    load = [_step("call", "example.com/app.read", 30),
            _step("return", "return nil, err", 31, context=["for range files", "if err != nil"], error_path=True)]
    steps = [_step("call", "example.com/app.a", 6), _step("call", "example.com/app.b", 7),
             _step("call", "example.com/app.load", 8, steps=load),
             _step("call", "example.com/app.fail", 9, context=["if err != nil"], error_path=True),
             _step("call", "example.com/app.good", 10, context=["else (not err != nil)"]),
             _step("call", "example.com/app.run", 11, context=["if len(args) == 1"]),
             _step("return", "return err", 12, context=["if len(args) == 1", "if err != nil"], error_path=True),
             _step("build", "loaders := []cli.ResourceLoader{&app.Env{}, &app.File{}}", 13,
                   built="example.com/cli.ResourceLoader"),
             *[_step("call", f"(*example.com/app.{t}).Load", 14, rule="interface") for t in ("Env", "File")],
             _step("call", "example.com/app.runCmd", 16, folded=85, shown_in="startup-app-runcmd"),
             _step("call", "example.com/app.load", 17, seen_before=True, shown_in="startup"),
             _step("exit", "os.Exit", 18)]
    return StartupFlow(entry="example.com/app.main", path="main.go", line=5, steps=steps)

CALLGRAPH_DOT = 'digraph "callgraph" {\n  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.6, newrank=true, bgcolor="white", pad=0.3, size=\"55,300\"];\n  node [fontname="Helvetica", fontsize=11, margin="0.15,0.06", penwidth=1.2];\n  edge [fontname="Helvetica", fontsize=9, color="#475569", arrowsize=0.7];\n  subgraph "cluster_0" {\n    graph [label="example.com/app", style="rounded,filled", fillcolor="#f8fafc", color="#cbd5e1", fontcolor="#334155", fontsize=11, labeljust=l, tooltip="example.com/app"];\n    "example.com/app.main" [label="main", shape=box, style="filled", fillcolor="#dbeafe", color="#3b6fb6", fontcolor="#0f172a", tooltip="example.com/app.main\\n\\nmain starts.\\nmain.go:5:1", URL="https://x/main.go#L5", target="_blank"];\n    "example.com/app.main$1" [label="main$1", shape=box, style="dashed,filled", fillcolor="#fef9c3", color="#a68a1f", fontcolor="#0f172a", tooltip="example.com/app.main$1\\nmain.go:7:9", fontsize=9, URL="https://x/main.go#L7", target="_blank"];\n  }\n  subgraph "cluster_1" {\n    graph [label="example.com/app/cli", style="rounded,filled", fillcolor="#f8fafc", color="#cbd5e1", fontcolor="#334155", fontsize=11, labeljust=l, tooltip="example.com/app/cli"];\n    "(*example.com/app/cli.Cmd).Run" [label="(*Cmd).Run", shape=box, style="rounded,filled", fillcolor="#dcfce7", color="#3f8f5a", fontcolor="#0f172a", tooltip="(*example.com/app/cli.Cmd).Run\\ncli/cmd.go:9:1", URL="https://x/cli/cmd.go#L9", target="_blank"];\n  }\n  subgraph "cluster_2" {\n    graph [label="os", style="rounded,filled", fillcolor="#f8fafc", color="#cbd5e1", fontcolor="#334155", fontsize=11, labeljust=l, tooltip="os"];\n    "os.Exit" [label="Exit", shape=box, style="dotted,filled", fillcolor="#f1f5f9", color="#94a3b8", fontcolor="#64748b", tooltip="os.Exit"];\n  }\n  "example.com/app.main" -> "(*example.com/app/cli.Cmd).Run" [style=dashed, color="#2563eb", tooltip="example.com/app.main -> (*example.com/app/cli.Cmd).Run (interface)\\nmain.go:6:2"];\n  "example.com/app.main" -> "example.com/app.main$1" [label="go", fontcolor="#b91c1c", penwidth=1.6, tooltip="example.com/app.main -> example.com/app.main$1 (static)\\nmain.go:7:5"];\n  "example.com/app.main$1" -> "os.Exit" [tooltip="example.com/app.main$1 -> os.Exit (static)\\nmain.go:8:3"];\n}\n'

STARTUP_DOT = 'digraph "startup" {\n  graph [rankdir=TB, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.25, newrank=true, bgcolor="white", pad=0.3, size=\"55,300\"];\n  node [fontname="Helvetica", fontsize=11, margin="0.15,0.06", penwidth=1.2];\n  edge [fontname="Helvetica", fontsize=9, color="#475569", arrowsize=0.7];\n  n1 [label=<app.main<BR/><FONT POINT-SIZE="9" COLOR="#cbd5e1">main.go:5</FONT>>, shape=box, style="rounded,filled,bold", fillcolor="#1e3a8a", color="#1e3a8a", fontcolor="white", tooltip="example.com/app.main\\nmain.go:5"];\n  n2 [label=<app.setup<BR/><FONT POINT-SIZE="9" COLOR="#64748b">main.go:6</FONT>>, shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#3b6fb6", fontcolor="#0f172a", tooltip="example.com/app.setup\\nmain.go:6:2"];\n  n6 [label="if err != nil", shape=diamond, style=filled, fillcolor="#fff7ed", color="#ea580c", fontcolor="#7c2d12", fontsize=9, margin="0.02,0.02", tooltip="if err != nil"];\n  n7 [label=<log.Println<BR/><FONT POINT-SIZE="9" COLOR="#64748b">main.go:8</FONT>>, shape=box, style="rounded,filled,dotted", fillcolor="#f8fafc", color="#3b6fb6", fontcolor="#64748b", tooltip="log.Println\\nmain.go:8:2\\nif err != nil"];\n  n8 [label=<os.Exit<BR/><FONT POINT-SIZE="9" COLOR="#cbd5e1">main.go:9</FONT>>, shape=octagon, style="filled,bold", fillcolor="#dc2626", color="#991b1b", fontcolor="white", tooltip="os.Exit\\nmain.go:9:2\\nif err != nil"];\n  n9 [label=<go (*app.Server).Serve<BR/><FONT POINT-SIZE="9" COLOR="#64748b">main.go:11</FONT>>, shape=box, style="rounded,filled,dashed", fillcolor="#ede9fe", color="#7c3aed", fontcolor="#0f172a", tooltip="(*example.com/app.Server).Serve\\nmain.go:11:2"];\n  n10 [label=<&lt;-ctx.Done()<BR/><FONT POINT-SIZE="9" COLOR="#64748b">main.go:12</FONT>>, shape=hexagon, style=filled, fillcolor="#fef3c7", color="#d97706", fontcolor="#0f172a", tooltip="<-ctx.Done()\\nmain.go:12:2"];\n  n11 [label=<end of main>, shape=box, style="rounded,filled", fillcolor="#e2e8f0", color="#64748b", fontcolor="#334155"];\n  subgraph cluster_c1 {\n    graph [label="app.setup", tooltip="example.com/app.setup", style="rounded,filled", fillcolor="#f8fafc", color="#94a3b8", fontcolor="#1e293b", fontsize=11, labeljust=l, margin=10];\n    n3 [label=<app.load<BR/><FONT POINT-SIZE="9" COLOR="#64748b">main.go:20</FONT>>, shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#3b6fb6", fontcolor="#0f172a", tooltip="example.com/app.load\\nmain.go:20:2"];\n    n4 [label="if err != nil", shape=diamond, style=filled, fillcolor="#fff7ed", color="#ea580c", fontcolor="#7c2d12", fontsize=9, margin="0.02,0.02", tooltip="if err != nil"];\n    n5 [label=<return err<BR/><FONT POINT-SIZE="9" COLOR="#64748b">main.go:21</FONT>>, shape=box, style="rounded,filled", fillcolor="#f1f5f9", color="#94a3b8", fontcolor="#334155", fontsize=9, margin="0.08,0.03", tooltip="return err\\nmain.go:21:2\\nif err != nil"];\n  }\n  n3 -> n4 [color="#475569", weight=8];\n  n4 -> n5 [xlabel="error", color="#dc2626", fontcolor="#dc2626", penwidth=1.4];\n  n2 -> n3 [color="#3b6fb6", penwidth=1.4, minlen=0, weight=2];\n  n2 -> n6 [color="#475569", weight=8];\n  n7 -> n8 [color="#475569", weight=8];\n  n6 -> n7 [xlabel="error", color="#dc2626", fontcolor="#dc2626", penwidth=1.4];\n  n9 -> n10 [color="#475569", weight=8];\n  n6 -> n9 [xlabel="ok", color="#16a34a", fontcolor="#15803d", weight=8];\n  n1 -> n2 [color="#475569", weight=8];\n  n10 -> n11 [color="#475569", weight=8];\n}\n'

COMMANDS_DOT = 'digraph "commands" {\n  graph [rankdir=TB, fontname="Helvetica", fontsize=12, nodesep=0.35, ranksep=0.5, newrank=true, bgcolor="white", pad=0.3, size=\"55,300\"];\n  node [fontname="Helvetica", fontsize=11, margin="0.15,0.06", penwidth=1.2];\n  edge [fontname="Helvetica", fontsize=9, color="#475569", arrowsize=0.7];\n  c0 [label=<<B>app</B><BR/><FONT POINT-SIZE="10" COLOR="#dbeafe">The &quot;app&quot; [tool] $HOME*</FONT><BR/><FONT POINT-SIZE="9" COLOR="#bfdbfe" FACE="Courier">run: app.run</FONT>>, shape=box, style="rounded,filled", fillcolor="#1e3a8a", color="#1e3a8a", fontcolor="white", margin="0.3,0.12", tooltip="example.com/cli.Command at main.go:10:9\\nbuilt in example.com/app.main"];\n  c1 [label=<<B>version</B><BR/><FONT POINT-SIZE="10" COLOR="#475569">Shows the version (short).</FONT>>, shape=box, style="rounded,filled", fillcolor="#eef2ff", color="#6366f1", fontcolor="#0f172a", margin="0.3,0.12", tooltip="example.com/cli.Command at v.go:3:9\\nbuilt in example.com/app.newVersion"];\n  c0 -> c1 [color="#6366f1"];\n}\n'

CALLGRAPH_MMD = 'flowchart LR\n  subgraph p0["example.com/app"]\n    f1["main"]\n    f2(["main$1"])\n  end\n  subgraph p1["example.com/app/cli"]\n    f3("(*Cmd).Run")\n  end\n  subgraph p2["os"]\n    f4[/"Exit"/]\n  end\n  f1 -.-> f3\n  f1 -->|"go"| f2\n  f2 --> f4\n  classDef cg_func fill:#dbeafe,stroke:#3b6fb6,color:#0f172a\n  classDef cg_method fill:#dcfce7,stroke:#3f8f5a,color:#0f172a\n  classDef cg_closure fill:#fef9c3,stroke:#a68a1f,stroke-dasharray:4 3,color:#0f172a\n  classDef cg_external fill:#f1f5f9,stroke:#94a3b8,stroke-dasharray:2 2,color:#64748b\n  classDef cg_package fill:#e0e7ff,stroke:#4f46e5,color:#0f172a\n  classDef cg_note fill:#fffbeb,stroke:#d97706,color:#78350f\n  class f2 cg_closure\n  class f4 cg_external\n  class f1 cg_func\n  class f3 cg_method\n'

STARTUP_MMD = 'flowchart TD\n  n1(["app.main<br/>main.go:5"])\n  n2("app.setup<br/>main.go:6")\n  n6{"if err != nil"}\n  n7("log.Println<br/>main.go:8")\n  n8[["os.Exit<br/>main.go:9"]]\n  n9("go (*app.Server).Serve<br/>main.go:11")\n  n10{{"#lt;-ctx.Done()<br/>main.go:12"}}\n  n11(["end of main"])\n  subgraph c1["app.setup"]\n    direction TB\n    n3("app.load<br/>main.go:20")\n    n4{"if err != nil"}\n    n5("return err<br/>main.go:21")\n  end\n  n3 --> n4\n  n4 -->|"error"| n5\n  n2 --> n3\n  n2 --> n6\n  n7 --> n8\n  n6 -->|"error"| n7\n  n9 --> n10\n  n6 -->|"ok"| n9\n  n1 --> n2\n  n10 --> n11\n  classDef st_start fill:#1e3a8a,stroke:#1e3a8a,color:#ffffff\n  classDef st_finish fill:#e2e8f0,stroke:#64748b,color:#334155\n  classDef st_call fill:#dbeafe,stroke:#3b6fb6,color:#0f172a\n  classDef st_block fill:#eff6ff,stroke:#3b6fb6,color:#0f172a\n  classDef st_folded fill:#e0e7ff,stroke:#4338ca,stroke-width:3px,color:#0f172a\n  classDef st_go fill:#ede9fe,stroke:#7c3aed,stroke-dasharray:4 3,color:#0f172a\n  classDef st_defer fill:#f1f5f9,stroke:#64748b,stroke-dasharray:4 3,color:#0f172a\n  classDef st_wait fill:#fef3c7,stroke:#d97706,color:#0f172a\n  classDef st_build fill:#ccfbf1,stroke:#0d9488,color:#0f172a\n  classDef st_return fill:#f1f5f9,stroke:#94a3b8,color:#334155\n  classDef st_exit fill:#dc2626,stroke:#991b1b,color:#ffffff\n  classDef st_cond fill:#fff7ed,stroke:#ea580c,color:#7c2d12\n  classDef st_fork fill:#7c3aed,stroke:#7c3aed,color:#7c3aed\n  classDef st_muted fill:#f8fafc,stroke:#94a3b8,stroke-dasharray:2 2,color:#64748b\n  class n2,n3 st_call\n  class n6,n4 st_cond\n  class n8 st_exit\n  class n11 st_finish\n  class n9 st_go\n  class n7 st_muted\n  class n5 st_return\n  class n1 st_start\n  class n10 st_wait\n'

COMMANDS_MMD = 'flowchart TD\n  c1["<b>app</b><br/>The #quot;app#quot; [tool] $HOME*"]\n  c2["<b>version</b><br/>Shows the version (short)."]\n  c1 --> c2\n  classDef cmd_node fill:#eef2ff,stroke:#6366f1,color:#0f172a\n  classDef cmd_root fill:#1e3a8a,stroke:#1e3a8a,color:#ffffff\n  class c2 cmd_node\n  class c1 cmd_root\n'


# --------------------------------------------------------------------------------------------- DOT

from goanalyzer.render import dot as dotmod  # noqa: E402
from goanalyzer.render import engine, formats, svg  # noqa: E402


def test_callgraph_dot_golden():
    assert dotmod.render_callgraph_dot(tiny_callgraph(), link_base="https://x/{path}#L{line}") == CALLGRAPH_DOT


def test_startup_dot_golden():
    assert dotmod.render_startup_dot(tiny_flow()) == STARTUP_DOT


def test_commands_dot_golden():
    assert dotmod.render_commands_dot(tiny_commands()) == COMMANDS_DOT


def test_callgraph_dot_deterministic_across_insertion_order():
    cg = tiny_callgraph()
    g2 = nx.DiGraph()
    for n in reversed(list(cg.graph.nodes)):
        g2.add_node(n, **cg.graph.nodes[n])
    for u, v in reversed(list(cg.graph.edges)):
        g2.add_edge(u, v, **cg.graph.edges[u, v])
    assert dotmod.render_callgraph_dot(g2) == dotmod.render_callgraph_dot(cg)


def test_callgraph_dot_cluster_by_type_and_none():
    by_type = dotmod.render_callgraph_dot(tiny_callgraph(), cluster_by="type")
    assert 'label="example.com/app/cli.Cmd"' in by_type and 'label="(*Cmd).Run"' in by_type
    flat = dotmod.render_callgraph_dot(tiny_callgraph(), cluster_by=None)
    assert "subgraph" not in flat and 'label="app.main"' in flat and 'label="(*cli.Cmd).Run"' in flat
    with pytest.raises(ValueError):
        dotmod.render_callgraph_dot(tiny_callgraph(), cluster_by="file")


def test_no_url_without_link_base():
    assert "URL=" not in dotmod.render_callgraph_dot(tiny_callgraph())


def test_collapse_above_limit():
    cg = big_callgraph()  # 200 nodes
    text = dotmod.render_callgraph_dot(cg)
    assert "collapsed_note" in text and "more than the limit of 150" in text.replace("\\n", " ")
    assert text.count("shape=folder") == 20
    assert '"example.com/big/p00.F00"' not in text
    assert '"pkg:example.com/big/p00" -> "pkg:example.com/big/p01" [label="10"' in text
    assert "collapsed_note" not in dotmod.render_callgraph_dot(cg, limit=500)


def test_collapse_with_focus_keeps_functions_expanded():
    text = dotmod.render_callgraph_dot(big_callgraph(), focus="example.com/big/p03")
    assert '"example.com/big/p03.F00" [label="F00"' in text
    assert "Functions of example.com/big/p03* are shown" in text.replace("\\n", " ")
    assert '"pkg:example.com/big/p03"' not in text
    # packages not touching the focus are left out; p02 (calls in) and p04 (called) stay
    assert '"pkg:example.com/big/p02"' in text and '"pkg:example.com/big/p04"' in text
    assert '"pkg:example.com/big/p10"' not in text and "left out" in text.replace("\\n", " ")


def test_a_focus_larger_than_the_limit_keeps_the_functions_nearest_the_entry():
    # a real program's module has hundreds of functions: the nearest to the entry stay, the rest
    # collapse by package like any other (Graphviz needs minutes for a thousand nodes)
    cg = big_callgraph(packages=5, per=10)
    g = cg.graph
    g.add_node("example.com/big.main", kind="func", package="example.com/big", position="main.go:1:1", doc="",
               std=False, external=False)
    g.add_edge("example.com/big.main", "example.com/big/p02.F05", sites=[Site("main.go", 2, 2, "static")],
               rule="static", go=False, defer=False)
    text = dotmod.render_callgraph_dot(cg, limit=4, focus="example.com/big")
    kept = sorted(line.split('"')[1] for line in text.splitlines() if 'shape=box' in line and '"example.com' in line)
    assert kept == ["example.com/big.main", "example.com/big/p02.F05", "example.com/big/p02.F06",
                    "example.com/big/p03.F08"]  # main, then what it calls, breadth first
    assert "The 4 functions of example.com/big* nearest the entry are shown, the other 47 by package" \
        in text.replace("\\n", " ")


def test_startup_layout_branches_and_exits():
    text = dotmod.render_startup_dot(tiny_flow())
    assert text.count("shape=diamond") == 2
    assert 'xlabel="error"' in text and 'xlabel="ok"' in text
    assert "shape=octagon" in text and "subgraph cluster_c1" in text
    # the callee's box sits beside its call (minlen=0) and the caller goes on from the call: no edge
    # comes back out of the box
    assert "n2 -> n3 [color=\"#3b6fb6\", penwidth=1.4, minlen=0" in text and "n2 -> n6 " in text
    assert "n5 -> " not in text and "n4 -> n6" not in text


def test_startup_build_is_a_teal_note_with_its_text_on_lines():
    text = dotmod.render_startup_dot(rich_flow())
    node = next(line for line in text.splitlines() if "shape=note" in line)
    assert node.split(", shape=")[0].split("[label=")[1] == (
        '<loaders :=<BR/>[]cli.ResourceLoader{&amp;app.Env{},<BR/>&amp;app.File{}}'
        '<BR/><FONT POINT-SIZE="9" COLOR="#64748b">main.go:13</FONT>>')
    assert 'fillcolor="#ccfbf1"' in node and 'tooltip="loaders := []cli.ResourceLoader{&app.Env{}, &app.File{}}' in node


def test_link_for():
    assert dotmod.link_for("https://h/{path}#L{line}", "a/b.go:12:3") == "https://h/a/b.go#L12"
    assert dotmod.link_for("https://h/{path}#L{line}", "") is None
    assert dotmod.link_for(None, "a.go:1:1") is None


# ------------------------------------------------------------------------------------------ formats

def test_tsv_one_line_per_site_sorted():
    assert formats.callgraph_tsv(tiny_callgraph()) == (
        "example.com/app.main\t(*example.com/app/cli.Cmd).Run\tmain.go:6:2\tinterface\n"
        "example.com/app.main\texample.com/app.main$1\tmain.go:7:5\tstatic\n"
        "example.com/app.main$1\tos.Exit\tmain.go:8:3\tstatic\n")


def test_tsv_in_pieces_is_the_same_text_cut_between_lines():
    assert list(formats.callgraph_tsv_chunks(tiny_callgraph(), lines=2)) == [
        "example.com/app.main\t(*example.com/app/cli.Cmd).Run\tmain.go:6:2\tinterface\n"
        "example.com/app.main\texample.com/app.main$1\tmain.go:7:5\tstatic\n",
        "example.com/app.main$1\tos.Exit\tmain.go:8:3\tstatic\n"]


def test_json_deterministic_and_complete():
    text = formats.callgraph_json(tiny_callgraph())
    data = json.loads(text)
    assert [n["name"] for n in data["nodes"]] == sorted(n["name"] for n in data["nodes"])
    edge = next(e for e in data["edges"] if e["callee"] == "example.com/app.main$1")
    assert edge["go"] is True and edge["sites"] == [
        {"path": "main.go", "line": 7, "col": 5, "rule": "static", "go": True, "defer": False}]
    assert formats.callgraph_json(tiny_callgraph()) == text


def test_graphml_roundtrip():
    import io
    text = formats.callgraph_graphml(tiny_callgraph())
    assert text == formats.callgraph_graphml(tiny_callgraph())
    g = nx.read_graphml(io.BytesIO(text.encode()))
    assert g.nodes["os.Exit"]["kind"] == "external"
    assert g.edges["example.com/app.main", "example.com/app.main$1"]["sites"] == "main.go:7:5 static go"


# ------------------------------------------------------------------------------------- engine, svg

def _no_engine(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("GOANALYZER_DOT", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))


def test_engine_missing_message(monkeypatch, tmp_path):
    _no_engine(monkeypatch, tmp_path)
    assert engine.find_engine() is None
    with pytest.raises(engine.RenderError) as info:
        engine.render("digraph { a }")
    assert str(info.value) == "no Graphviz engine found: install graphviz (dot) or the graphviz-pure package"


def test_write_diagram_without_engine_writes_dot_and_warns(monkeypatch, tmp_path, caplog):
    _no_engine(monkeypatch, tmp_path)
    with caplog.at_level(logging.WARNING, logger="goanalyzer"):
        paths = svg.write_diagram("digraph { a }", tmp_path / "out" / "g", ("svg", "png"), mermaid="flowchart LR\n")
    assert [p.name for p in paths] == ["g.dot", "g.mmd"]
    assert (tmp_path / "out" / "g.dot").read_text() == "digraph { a }"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "no Graphviz engine found" in warnings[0].getMessage()


def test_engine_prefers_dot_then_graphviz_pure(monkeypatch, tmp_path):
    fake_dot = tmp_path / "bin" / "dot"
    fake_dot.parent.mkdir()
    fake_dot.write_text("#!/bin/sh\n")
    fake_dot.chmod(0o755)
    beside = tmp_path / "venv" / "graphviz-pure"
    beside.parent.mkdir()
    beside.write_text("#!/bin/sh\n")
    beside.chmod(0o755)
    monkeypatch.delenv("GOANALYZER_DOT", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "venv" / "python"))
    monkeypatch.setenv("PATH", str(fake_dot.parent))
    assert engine.find_engine() == str(fake_dot)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert engine.find_engine() == str(beside)


def test_render_rejects_pdf():
    with pytest.raises(engine.RenderError, match="supported formats are svg, png"):
        engine.render("digraph { a }", "pdf")


def test_render_timeout(monkeypatch, tmp_path):
    slow = tmp_path / "slowdot"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    slow.chmod(0o755)
    with pytest.raises(engine.RenderError, match="did not finish rendering within 0.5 s"):
        engine.render("digraph { a }", "svg", timeout=0.5, engine=str(slow))


needs_engine = pytest.mark.skipif(engine.find_engine() is None, reason="no Graphviz engine (dot or graphviz-pure)")


@needs_engine
def test_svg_renders_with_present_engine(tmp_path):
    text = svg.callgraph_svg(tiny_callgraph())
    assert text.lstrip().startswith(("<?xml", "<svg")) and "</svg>" in text and "main$1" in text
    paths = svg.write_diagram(dotmod.render_startup_dot(tiny_flow()), tmp_path / "startup", ("svg", "png"))
    assert [p.suffix for p in paths] == [".dot", ".svg", ".png"]
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("exe", [p for p in [shutil.which("dot"), os.path.join(os.path.dirname(sys.executable), "graphviz-pure")]
                                 if p and os.path.exists(p)])
def test_each_engine_renders_all_views(exe):
    for source in (dotmod.render_callgraph_dot(tiny_callgraph()), dotmod.render_startup_dot(tiny_flow()),
                   dotmod.render_startup_dot(rich_flow(), link_base="https://x/{path}#L{line}",
                                             parts={"startup-app-runcmd": "startup-app-runcmd.md"}),
                   dotmod.render_commands_dot(tiny_commands()), dotmod.render_callgraph_dot(big_callgraph())):
        assert b"</svg>" in engine.render(source, "svg", engine=exe)


# ----------------------------------------------------------------- the happy path and package names

HAPPY_NODE = ', color="#ea580c", '
HAPPY_EDGE = '[color="#ea580c", penwidth=2.6, '


def test_callgraph_dot_draws_the_happy_path_bold_in_orange():
    text = dotmod.render_callgraph_dot(tiny_callgraph(), highlight=[("example.com/app.main", "example.com/app.main$1")])
    assert '    "example.com/app.main" [label="main", shape=box, style="filled", fillcolor="#dbeafe", ' \
           'color="#ea580c", ' \
           'fontcolor="#0f172a", tooltip="example.com/app.main\\n\\nmain starts.\\nmain.go:5:1", penwidth=2.6, ' \
           'fontname="Helvetica-Bold"];\n' in text
    # a go edge on the path keeps its label, and its orange width
    assert '  "example.com/app.main" -> "example.com/app.main$1" [color="#ea580c", penwidth=2.6, label="go", ' \
           'fontcolor="#b91c1c", tooltip=' in text
    # off the path: as before
    assert '  "example.com/app.main" -> "(*example.com/app/cli.Cmd).Run" [style=dashed, color="#2563eb", ' in text
    assert text.count(HAPPY_NODE) == 2 and text.count(HAPPY_EDGE) == 1


def test_a_collapsed_callgraph_keeps_the_happy_path_as_functions():
    path = [("example.com/big/p00.F00", "example.com/big/p01.F03"),
            ("example.com/big/p01.F03", "example.com/big/p02.F06")]
    text = dotmod.render_callgraph_dot(big_callgraph(), highlight=path)
    assert text.count(HAPPY_NODE) == 3 and text.count(HAPPY_EDGE) == 2
    assert '  "example.com/big/p00.F00" -> "example.com/big/p01.F03" [color="#ea580c", penwidth=2.6, ' in text
    assert '  "example.com/big/p01.F03" -> "example.com/big/p02.F06" [color="#ea580c", penwidth=2.6, ' in text
    assert "197 functions of 20 packages are shown as one node per package" in text.replace("\\n", " ")
    # the functions nearest the entry, and the path's beyond them
    cg = big_callgraph(packages=5, per=10)
    g = cg.graph
    g.add_node("example.com/big.main", kind="func", package="example.com/big", position="main.go:1:1", doc="",
               std=False, external=False)
    g.add_edge("example.com/big.main", "example.com/big/p02.F05", sites=[Site("main.go", 2, 2, "static")],
               rule="static", go=False, defer=False)
    text = dotmod.render_callgraph_dot(cg, limit=4, focus="example.com/big",
                                       highlight=[("example.com/big/p03.F08", "example.com/big/p04.F01")])
    assert "The 4 functions of example.com/big* nearest the entry and 1 more on the happy path are shown, the " \
           "other 46 by package" in text.replace("\\n", " ")
    assert '"example.com/big/p04.F01" [label="F01"' in text and text.count(HAPPY_EDGE) == 1


def test_callgraph_and_commands_name_packages_through_the_table():
    from goanalyzer.naming import ShortNames
    names = ShortNames({"example.com/app/cli": "appcli", "example.com/app": "myapp"})
    flat = dotmod.render_callgraph_dot(tiny_callgraph(), cluster_by=None, names=names)
    assert 'label="myapp.main"' in flat and 'label="(*appcli.Cmd).Run"' in flat
    assert "run: myapp.run" in dotmod.render_commands_dot(tiny_commands(), names=names)
    assert dotmod.render_commands_dot(tiny_commands()) == COMMANDS_DOT


def test_the_text_outline_says_above_or_below_in_its_own_order():
    """`run` calls `setup`, whose steps main's next call shows: the analysis marks that call
    seen_before (not expanded_below: another body), and the outline, read top down, says below."""
    from goanalyzer.render.outline import flow_text
    seen = Step(StepKind.CALL, "example.com/app.setup", "example.com/app.run", "main.go", 30, 2, seen_before=True)
    run = _step("call", "example.com/app.run", 6, steps=[seen])
    setup = _step("call", "example.com/app.setup", 7, steps=[_step("call", "example.com/app.load", 20)])
    again = _step("call", "example.com/app.setup", 8, seen_before=True)
    lines = flow_text(StartupFlow("example.com/app.main", "main.go", 5, [run, setup, again])).splitlines()
    assert lines[2] == "    → app.setup  (expanded below)  main.go:30:2"
    assert lines[5] == "  → app.setup  (expanded above)  main.go:8:2"
