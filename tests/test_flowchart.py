"""The startup flowchart's layout (render/flowchart.py) on hand-made flows: nested branches, `else`,
dynamic calls fanning out, blocks of plain calls, loops, callee boxes beside their calls, folded
steps; and what the DOT and Mermaid views make of them."""

from __future__ import annotations

from goanalyzer.analysis.startup_model import StartupFlow, Step, StepKind
from goanalyzer.render import dot, mermaid
from goanalyzer.naming import ShortNames
from goanalyzer.render.flowchart import flow_layout, placement

M = "example.com/app"


def step(kind, callee, line, *, context=(), steps=(), col=2, **kw) -> Step:
    return Step(StepKind(kind), callee, f"{M}.main", "main.go", line, col, context=list(context),
                steps=list(steps), **kw)


def flow(*steps: Step) -> StartupFlow:
    return StartupFlow(f"{M}.main", "main.go", 1, list(steps))


def edges(layout) -> set[tuple[str, str, str, str]]:
    return {(e.src, e.dst, e.label, e.kind) for e in layout.edges}


def by_label(layout) -> dict[str, str]:
    return {n.label: n.id for n in layout.nodes.values()}


def test_nested_condition_hangs_inside_its_branch():
    # if len(args) == 1 { if err := run(); err != nil { return err }; return nil }; next()
    layout = flow_layout(flow(
        step("call", f"{M}.run", 3, context=["if len(args) == 1"]),
        step("return", "return err", 4, context=["if len(args) == 1", "if err != nil"], error_path=True),
        step("return", "return nil", 6, context=["if len(args) == 1"]),
        step("call", f"{M}.next", 8)))
    ids = by_label(layout)
    outer, inner = ids["if len(args) == 1"], ids["if err != nil"]
    assert edges(layout) >= {
        (outer, ids["app.run"], "yes", "yes"), (ids["app.run"], inner, "", "seq"),
        (inner, ids["return err"], "error", "error"), (inner, ids["return nil"], "ok", "ok"),
        (outer, ids["app.next"], "no", "no")}
    # the branch returns: nothing of it joins the next statement
    assert not any(e.dst == ids["app.next"] and e.src != outer for e in layout.edges)


def test_else_hangs_off_its_if():
    layout = flow_layout(flow(
        step("call", f"{M}.fail", 3, context=["if err != nil"], error_path=True),
        step("call", f"{M}.good", 5, context=["else (not err != nil)"]),
        step("call", f"{M}.after", 7)))
    ids = by_label(layout)
    diamonds = [n for n in layout.nodes.values() if n.kind == "cond"]
    assert [d.label for d in diamonds] == ["if err != nil"]
    cond = diamonds[0].id
    assert edges(layout) >= {(cond, ids["app.fail"], "error", "error"), (cond, ids["app.good"], "ok", "ok"),
                             (ids["app.fail"], ids["app.after"], "", "seq"),
                             (ids["app.good"], ids["app.after"], "", "seq")}
    assert not any(e.src == cond and e.dst == ids["app.after"] for e in layout.edges)


def test_targets_of_one_dynamic_call_fan_out_from_a_fork():
    targets = [step("call", f"{M}.{name}", 4, col=9, rule="funcfield") for name in ("a", "b", "c")]
    layout = flow_layout(flow(*targets, step("call", f"{M}.after", 6)))
    forks = [n for n in layout.nodes.values() if n.kind == "fork"]
    assert len(forks) == 1 and forks[0].tooltip == "a dynamic call: one of 3 functions"
    ids = by_label(layout)
    fork = forks[0].id
    alts = [ids[f"app.{name} (funcfield)"] for name in ("a", "b", "c")]
    assert {(fork, a, "", "alt") for a in alts} <= edges(layout)
    assert {(a, ids["app.after"], "", "seq") for a in alts} <= edges(layout)
    assert (alts[0], alts[1], "", "after") in edges(layout)  # one above the other


def test_plain_calls_in_a_row_share_a_block():
    layout = flow_layout(flow(step("call", f"{M}.a", 3), step("call", f"{M}.b", 4),
                              step("call", f"{M}.c", 5, context=["if x"]), step("exit", "os.Exit", 7)))
    blocks = [n for n in layout.nodes.values() if n.kind == "block"]
    assert len(blocks) == 1 and [(r.label, r.detail) for r in blocks[0].rows] == [("app.a", "main.go:3"),
                                                                                   ("app.b", "main.go:4")]
    text = dot.render_startup_dot(flow(step("call", f"{M}.a", 3), step("call", f"{M}.b", 4)),
                                  link_base="https://x/{path}#L{line}")
    assert ('<TR><TD ALIGN="LEFT" TOOLTIP="example.com/app.a&#10;main.go:3:2" HREF="https://x/main.go#L3" '
            'TARGET="_blank"><FONT COLOR="#0f172a">app.a</FONT>  <FONT POINT-SIZE="9" COLOR="#64748b">main.go:3</FONT>'
            '</TD></TR>') in text


def test_a_loop_body_is_a_box_and_callees_sit_beside_their_calls():
    inner = [step("call", f"{M}.load", 20)]
    layout = flow_layout(flow(
        step("call", f"{M}.setup", 3, steps=inner),
        step("call", f"{M}.each", 5, context=["for range xs"]),
        step("call", f"{M}.serve", 7, steps=[step("call", f"{M}.listen", 30)])))
    kinds = [(c.kind, c.label) for c in layout.walk_clusters()]
    assert kinds == [("root", ""), ("callee", "app.setup"), ("loop", "for range xs"), ("callee", "app.serve")]
    ids = by_label(layout)
    assert (ids["app.setup"], ids["app.load"], "", "call") in edges(layout)
    assert (ids["app.setup"], ids["app.each"], "", "seq") in edges(layout)  # the caller goes on below
    # the second box stacks below the first: an invisible edge from the first box to the second call
    assert (ids["app.load"], ids["app.serve"], "", "after") in edges(layout)
    text = dot.render_startup_dot(flow(step("call", f"{M}.setup", 3, steps=inner)))
    assert "minlen=0" in text and "style=invis" not in text


def test_folded_steps_say_where_their_steps_are():
    folded = step("call", f"{M}.runCmd", 3, folded=85, shown_in="startup-app-runcmd")
    seen = step("call", f"{M}.helper", 4, seen_before=True, shown_in="startup")
    layout = flow_layout(flow(folded, seen))
    node = layout.nodes[by_label(layout)["app.runCmd"]]
    assert (node.more, node.part) == (85, "startup-app-runcmd")
    elsewhere = dot.render_startup_dot(flow(folded), parts={"startup-app-runcmd": "startup-app-runcmd.md"})
    assert "85 more steps — see its page" in elsewhere and 'URL="startup-app-runcmd.md"' in elsewhere
    assert "peripheries=2" in elsewhere
    here = dot.render_startup_dot(flow(folded, seen))
    # nothing says where helper's steps are on this page: no "above" it cannot vouch for
    assert "85 more steps — drawn below" in here and "main.go:4 · steps shown on this page" in here
    assert "85 more steps — see its page" in mermaid.render_startup_mermaid(
        flow(folded), parts={"startup-app-runcmd": "x.md"})


def test_links_through_a_linker_reach_dependencies():
    dep = Step(StepKind.CALL, "github.com/o/dep.Run", f"{M}.main", "github.com/o/dep@v1.2.0/run.go", 9, 2)
    urls = {"main.go": "https://x/main.go",
            "github.com/o/dep@v1.2.0/run.go": "https://github.com/o/dep/blob/v1.2.0/run.go"}
    text = dot.render_startup_dot(flow(dep), link_base="https://x/{path}#L{line}",
                                  links=lambda path, line: f"{urls[path]}#L{line}")
    assert 'URL="https://github.com/o/dep/blob/v1.2.0/run.go#L9"' in text
    assert "https://x/github.com" not in text


def test_a_value_built_is_a_node_of_its_own_between_calls():
    # cfg := load(); cmd := &cli.Command{Name: "app", ...}; run(cmd)
    built = 'cmd := &cli.Command{Name: "app", Description: "a tool that does many useful things", ...}'
    layout = flow_layout(flow(step("call", f"{M}.load", 3),
                              step("build", built, 4, col=9, built="example.com/cli.Command"),
                              step("call", f"{M}.run", 5)))
    nodes = [n for n in layout.nodes.values() if n.kind not in ("start", "end")]
    assert [(n.kind, n.label) for n in nodes] == [  # plain calls around it do not share a block with it
        ("call", "app.load"),
        ("build", 'cmd :=\n&cli.Command{Name: "app", Description:\n"a tool that does many useful things",…'),  # 3 lines
        ("call", "app.run")]
    assert nodes[1].position == "main.go:4:9" and nodes[1].tooltip.startswith(built)
    assert edges(layout) >= {(nodes[0].id, nodes[1].id, "", "seq"), (nodes[1].id, nodes[2].id, "", "seq")}
    assert "shape=note" in dot.render_startup_dot(flow(step("build", built, 4)))
    assert '[/"cmd :=<br/>' in mermaid.render_startup_mermaid(flow(step("build", built, 4)))


def test_a_step_expanded_elsewhere_says_above_or_below_as_it_reads():
    """In this chart (nodes numbered top down): drawn above/below; in another chart of the page
    (`nearby`): shown above/below; on another page: on its page. (Each under a condition of its
    own: plain calls in a row share one block node, whose rows say nothing of where.)"""
    inner = [step("call", f"{M}.read", 20)]
    before = step("call", f"{M}.load", 3, seen_before=True, shown_in="startup")
    expanded = step("call", f"{M}.load", 4, steps=inner)
    after = step("call", f"{M}.load", 5, seen_before=True, shown_in="startup", context=["if again"])
    other = step("call", f"{M}.helper", 6, seen_before=True, shown_in="startup-helper", context=["if debug"])
    layout = flow_layout(flow(before, expanded, after, other))
    ids = {n.position: n.id for n in layout.nodes.values() if n.position}
    where = placement(layout, {"startup-helper": "below"})
    assert where == {ids["main.go:3:2"]: "drawn below", ids["main.go:5:2"]: "drawn above",
                     ids["main.go:6:2"]: "shown below"}
    text = dot.render_startup_dot(flow(before, expanded, after, other), nearby={"startup-helper": "above"})
    assert "main.go:3 · steps drawn below" in text and "main.go:5 · steps drawn above" in text
    assert "main.go:6 · steps shown above" in text
    assert "main.go:6 · steps on its page" in dot.render_startup_dot(flow(other), parts={"startup-helper": "h.md"})
    assert "main.go:3 · steps drawn below" in mermaid.render_startup_mermaid(flow(before, expanded))


def test_flowcharts_name_packages_through_the_naming_table():
    names = ShortNames({"example.com/pkg/cli": "tcli"})
    load = step("call", "(*example.com/pkg/cli.FileLoader).Load", 3, rule="interface",
                steps=[step("call", "example.com/pkg/cli.decode", 9)])
    text = dot.render_startup_dot(flow(load), names=names)
    assert "<(*tcli.FileLoader).Load (interface)<BR/>" in text and 'label="(*tcli.FileLoader).Load"' in text
    assert "<tcli.decode<BR/>" in text and "(*cli.FileLoader)" not in text
    assert '"(*tcli.FileLoader).Load (interface)<br/>main.go:3"' in mermaid.render_startup_mermaid(flow(load),
                                                                                                    names=names)
    assert "<(*cli.FileLoader).Load (interface)<BR/>" in dot.render_startup_dot(flow(load))  # the plain names
