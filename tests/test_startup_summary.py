"""The startup flow cut into parts and pages (analysis/startup_summary.py): on hand-made flows and
on the Traefik fixture."""

from __future__ import annotations

import json

import pytest

from conftest import PAERSER, T
from goanalyzer.analysis.startup import outline_flow, startup_flow
from goanalyzer.analysis.startup_model import StartupFlow, Step, StepKind
from goanalyzer.analysis.startup_summary import SMALL, size, slug, summarise_flow

M = "example.com/app"


def call(name: str, line: int, *inner: Step) -> Step:
    return Step(StepKind.CALL, f"{M}.{name}", f"{M}.caller", "main.go", line, 2, steps=list(inner))


def leaves(prefix: str, n: int) -> list[Step]:
    return [call(f"{prefix}{i}", i + 1) for i in range(n)]


def count(part) -> int:
    return sum(1 for _ in part.walk())


@pytest.fixture(scope="module")
def traefik_flow(traefik, traefik_cg):
    return outline_flow(startup_flow(traefik, traefik_cg, "main", into=(PAERSER,)))


def test_a_small_flow_is_one_part():
    flow = StartupFlow(f"{M}.main", "main.go", 1, [call("a", 2, *leaves("x", 3)), call("b", 3)])
    summary = summarise_flow(flow)
    assert [p.id for p in summary.parts] == ["startup"] and summary.pages() == summary.parts
    assert summary.overview.flow.to_json() == flow.to_json()


def test_the_heaviest_callee_is_folded_first_and_gets_a_part():
    heavy = call("heavy", 2, *leaves("h", 6))
    light = call("light", 3, *leaves("l", 3))
    flow = StartupFlow(f"{M}.main", "main.go", 1, [heavy, light])
    summary = summarise_flow(flow, budget=8, depth=2, page_min=5, defined={f"{M}.heavy": ("heavy.go", 40)})
    overview, part = summary.parts
    assert (part.flow.path, part.flow.line) == ("heavy.go", 40)  # a part starts where its function is
    assert [(s.callee, s.folded, s.shown_in, len(s.steps)) for s in overview.flow.steps] == [
        (f"{M}.heavy", 6, "startup-app-heavy", 0), (f"{M}.light", 0, "", 3)]
    assert (part.id, part.callee, part.parent, part.page, part.call.line) == (
        "startup-app-heavy", f"{M}.heavy", "startup", "startup-app-heavy", 2)
    assert part.trail == [f"{M}.main", f"{M}.heavy"]
    assert [s.callee for s in part.flow.steps] == [f"{M}.h{i}" for i in range(6)]


def test_a_pass_through_call_is_never_a_part_of_its_own():
    # main -> main$1 (one call) -> runCmd (many steps): runCmd is folded, main$1 stays in view
    run_cmd = call("runCmd", 9, *leaves("r", 10))
    closure = call("main$1", 5, run_cmd)
    summary = summarise_flow(StartupFlow(f"{M}.main", "main.go", 1, [closure, *leaves("m", 3)]), budget=6)
    assert [p.callee for p in summary.parts] == [f"{M}.main", f"{M}.runCmd"]
    shown = summary.overview.flow.steps[0]
    assert (shown.callee, shown.folded, [(s.callee, s.folded) for s in shown.steps]) == (
        f"{M}.main$1", 0, [(f"{M}.runCmd", 10)])


def test_callees_below_the_depth_limit_are_folded_and_small_parts_share_a_page():
    deep = call("a", 2, call("b", 3, call("c", 4, *leaves("d", 2)), call("e", 5)))
    summary = summarise_flow(StartupFlow(f"{M}.main", "main.go", 1, [deep, call("z", 9)]), budget=50, depth=2)
    ids = [p.id for p in summary.parts]
    assert ids == ["startup", "startup-app-c"]
    c = summary.part("startup-app-c")
    assert c.page == "startup" and summary.pages() == [summary.overview]  # 2 steps: a section, not a page
    assert c.call.folded == 2 and c.trail == [f"{M}.main", f"{M}.a", f"{M}.b", f"{M}.c"]


def test_slugs_are_file_names():
    assert slug("(*github.com/traefik/paerser/cli.Command).AddCommand") == "cli-command-addcommand"
    assert slug(f"{T}/cmd/traefik.main$1") == "traefik-main-1"


def test_fixture_every_step_is_in_exactly_one_part(traefik_flow):
    before = json.dumps(traefik_flow.to_json())
    summary = summarise_flow(traefik_flow)
    assert json.dumps(traefik_flow.to_json()) == before  # the flow given is not changed
    assert sum(count(p) for p in summary.parts) == sum(1 for _ in traefik_flow.walk())
    for part in summary.parts:
        if part.call is not None:  # a folded step counts the steps its part and the parts below show
            assert part.call.folded == size(_expanded(traefik_flow, part.trail)) == total(summary, part)
        if count(part) > summary.budget:  # beyond the budget: only the function's own steps, small callees
            assert all(drawn(s) <= SMALL or single_chain(s) for s in part.flow.steps), part.id  # and folds


def total(summary, part) -> int:
    return count(part) + sum(total(summary, child) for child in summary.children(part.id))


def drawn(step: Step) -> int:
    return sum(1 + drawn(s) for s in step.steps)


def single_chain(step: Step) -> bool:
    """Calls that each make one call, ending in a folded step: what is left of a folded pass-through."""
    while len(step.steps) == 1:
        step = step.steps[0]
    return not step.steps and step.folded > 0


def _expanded(flow: StartupFlow, trail: list[str]) -> Step:
    """The step of the whole flow that expands the last function of `trail`."""
    steps, found = flow.steps, None
    for name in trail[1:]:
        found = next(s for s in steps if s.callee == name and s.steps)
        steps = found.steps
    return found


def test_fixture_parts_and_pages(traefik_flow):
    summary = summarise_flow(traefik_flow)
    assert [p.id for p in summary.pages()] == [
        "startup", "startup-cli-execute", "startup-cli-run", "startup-cli-fileloader-load",
        "startup-healthcheck-runcmd-1", "startup-traefik-runcmd", "startup-traefik-configurelogging",
        "startup-traefik-setupserver", "startup-server-server-start",
        "startup-server-configurationwatcher-startprovider", "startup-server-server-listensignals"]
    overview = summary.overview
    # 14 calls, 2 builds, and package initialisation: pkg/log's init#1 and its 2 logrus calls
    assert overview.callee == f"{T}/cmd/traefik.main" and count(overview) == 20
    execute = next(s for s in overview.flow.steps if s.callee == f"{PAERSER}/cli.Execute")
    assert [(s.callee, s.folded, s.shown_in) for s in execute.steps] == [
        (f"{PAERSER}/cli.execute", 309, "startup-cli-execute")]  # 8 of them builds
    run_cmd = summary.part("startup-traefik-runcmd")
    assert run_cmd.parent == "startup-cli-run" and run_cmd.trail == [
        f"{T}/cmd/traefik.main", f"{PAERSER}/cli.Execute", f"{PAERSER}/cli.execute", f"{PAERSER}/cli.run",
        f"{T}/cmd/traefik.main$1", f"{T}/cmd/traefik.runCmd"]
    folded = {s.callee: s.shown_in for s in run_cmd.flow.steps if s.folded}
    assert folded[f"{T}/cmd/traefik.setupServer"] == "startup-traefik-setupserver"
    assert folded[f"(*{T}/pkg/server.Server).Start"] == "startup-server-server-start"
    # a later call of an expanded function names the part that shows its steps
    execute_part = summary.part("startup-cli-execute")
    later_runs = [s for s in execute_part.walk() if s.callee == f"{PAERSER}/cli.run" and s.seen_before]
    assert later_runs and {s.shown_in for s in later_runs} == {"startup-cli-run"}
    assert all(p.page in {q.id for q in summary.pages()} for p in summary.parts)
