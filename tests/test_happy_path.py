"""The happy path (goanalyzer.analysis.happy_path): exact steps on the fixtures, and side-path folding."""

from __future__ import annotations

from pathlib import Path

import pytest

import goanalyzer
from goanalyzer.analysis.happy_path import SideKind, after_startup, fold_side_paths, happy_path, side_path
from goanalyzer.analysis.startup_model import Step, StepKind
from goanalyzer.naming import ShortNames, short_name, short_names

ROOT = Path(__file__).resolve().parent.parent
PAERSER = ("github.com/traefik/paerser",)


@pytest.fixture(scope="module")
def traefik():
    program = goanalyzer.load(ROOT / "fixtures" / "traefik-2.5.2", goroot="none", use_cache=False, into=PAERSER)
    return goanalyzer.analyse(program, into=PAERSER)


def outline(analysis) -> list[str]:
    return ["  " * h.depth + (h.step.callee if h.step.kind is StepKind.BUILD else short_name(h.step.callee))
            + ("" if h.step.kind is StepKind.CALL else f" [{h.step.kind.value}]") + (f" ({h.note})" if h.note else "")
            for h in analysis.happy.steps]


def test_traefik_happy_path_in_run_order(traefik):
    assert outline(traefik) == [
        "traefik.init",  # package initialisation
        "cmd.NewTraefikConfiguration",
        "loaders := []cli.ResourceLoader{&tcli.FileLoader{}, &tcli.FlagLoader{}, &tcli.EnvLoader{}} [build]",
        'cmdTraefik := &cli.Command{Name: "traefik", ...} [build]',
        "healthcheck.NewCmd",
        "(*cli.Command).AddCommand",
        "version.NewCmd",
        "(*cli.Command).AddCommand",
        "cli.Execute",
        "  cli.execute",
        "    cli.run",
        # the loaders in the order the slice lists them, not alphabetically
        "      (*cli.FileLoader).Load (each in turn (for range cmd.Resources, until done))",
        "      (*cli.FlagLoader).Load (each in turn (for range cmd.Resources, until done))",
        "      (*cli.EnvLoader).Load (each in turn (for range cmd.Resources, until done))",
        # the default command's Run only (not healthcheck's or version's)
        "      traefik.main$1",
        "        traefik.runCmd",
        "          traefik.configureLogging",
        "          roundrobin.SetDefaultWeight",
        "          (*static.Configuration).SetEffectiveConfiguration",
        "          traefik.checkNewVersion",
        "          traefik.stats",
        "          traefik.setupServer",
        "          signal.NotifyContext",  # the shutdown wiring: SIGINT/SIGTERM cancel the context
        "          (*server.Server).Start",
        "          (*server.Server).Close [defer]",
        "          daemon.SdNotify",
        "          daemon.SdWatchdogEnabled",
        "          traefik.runCmd$1 [go]",
        "          (*server.Server).Wait [wait]",
    ]


def _step(callee: str, **kw) -> Step:
    return Step(kw.pop("kind", StepKind.CALL), callee, "example.com/app.main", "main.go", kw.pop("line", 3),
                kw.pop("col", 2), **kw)


@pytest.mark.parametrize("step, kind", [
    (_step("fmt.Errorf", error_path=True), SideKind.ERRORS),
    (_step("os.Exit", kind=StepKind.EXIT), SideKind.ERRORS),
    (_step("github.com/sirupsen/logrus.Infof"), SideKind.LOGGING),
    (_step("(*github.com/traefik/traefik/v2/pkg/log.Entry).Debug"), SideKind.LOGGING),
    (_step("(*github.com/spf13/cobra.Command).UsageString"), SideKind.HELP),
    (_step("example.com/app.run", context=["if isHelp(args)"]), SideKind.HELP),
    (_step("example.com/app.validateConfig"), SideKind.VALIDATION),
    (_step("(*example.com/app/api.Config).DeepCopyInto"), SideKind.GENERATED),
    (_step("(*example.com/app/tcp.Router).ServeTCP"), SideKind.SERVING),
    (_step("example.com/app.setupServer"), None),
    (_step("x := &app.Server{...}", kind=StepKind.BUILD, error_path=False), None),
])
def test_side_path_kinds(step, kind):
    assert side_path(step) is kind


def test_folding_counts_what_each_body_loses_and_folds_many_implementations():
    inner = [_step("example.com/app.load"), _step("fmt.Errorf", error_path=True),
             _step("(*example.com/app/log.Logger).Info"), _step("(*example.com/app/log.Logger).Warn")]
    closes = [_step(f"(*example.com/app/io{i}.R).Close", rule="interface", line=9, col=4) for i in range(5)]
    flow = goanalyzer.StartupFlow("example.com/app.main", "main.go", 1,
                                  [_step("example.com/app.setup", steps=inner), *closes,
                                   _step("os.Exit", kind=StepKind.EXIT)])
    folded = fold_side_paths(flow)
    assert [s.callee for s in folded.steps] == ["example.com/app.setup", "(*example.com/app/io0.R).Close"]
    assert folded.side == {"errors": 1}
    assert folded.steps[0].side == {"errors": 1, "logging": 2}
    assert [s.callee for s in folded.steps[0].steps] == ["example.com/app.load"]
    assert folded.steps[1].alternatives == 4
    assert goanalyzer.fold_side_paths(flow, ["all"]).steps[0].steps == inner
    assert [s.callee for s in fold_side_paths(flow, ["logging"]).steps[0].steps] == [
        "example.com/app.load", "(*example.com/app/log.Logger).Info", "(*example.com/app/log.Logger).Warn"]


# ------------------------------------------------------------------ after startup
def test_what_runs_once_serving_has_begun_is_listed_once_each():
    serve = _step("(*example.com/app/tcp.Router).ServeTCP", rule="interface", line=30,
                  steps=[_step("example.com/app/tcp.handle", line=40)])
    again = _step("(*example.com/app/tcp.Router).ServeTCP", line=31, seen_before=True)
    http = _step("(*example.com/app/web.Handler).ServeHTTP", line=32, kind=StepKind.GO)
    start = _step("example.com/app.start", steps=[serve, _step("example.com/app.listen", line=33), again, http])
    flow = goanalyzer.StartupFlow("example.com/app.main", "main.go", 1, [start])
    assert [(s.callee, s.line) for s in after_startup(flow)] == [
        ("(*example.com/app/tcp.Router).ServeTCP", 30), ("(*example.com/app/web.Handler).ServeHTTP", 32)]
    happy = happy_path(flow, root_module="example.com/app")
    assert happy.after == after_startup(flow)
    assert [h.step.callee for h in happy.steps] == ["example.com/app.start"]


def test_traefik_serves_nothing_during_startup(traefik):
    # the fixture's only ServeHTTP (acme's challenge handler) is not reached from main
    assert traefik.happy.after == ()


# ------------------------------------------------------------------ one name per package
T = "github.com/traefik/traefik/v2"


def test_traefik_naming_table(traefik):
    """Four last path elements are shared in the fixture; the entry's package keeps its name, a
    package the program imports under an alias is called by it, the other by its path's tail."""
    assert dict(traefik.names.labels) == {
        f"{T}/pkg/cli": "tcli",  # paerser's cli stays `cli`
        f"{T}/cmd/version": "cmdVersion",  # pkg/version stays `version`
        "log": "stdlog",  # Traefik's pkg/log stays `log`
        f"{T}/pkg/provider/traefik": "provider/traefik",  # cmd/traefik, the entry's package, stays `traefik`
    }
    names = traefik.names
    assert names.short(f"(*{T}/pkg/cli.FileLoader).Load") == "(*tcli.FileLoader).Load"
    assert names.short("(*github.com/traefik/paerser/cli.Command).Run") == "(*cli.Command).Run"
    assert names.short(f"{T}/cmd/traefik.main$1") == "traefik.main$1"
    assert [names.relabel(h.step.callee if h.step.kind is StepKind.BUILD else short_name(h.step.callee),
                          h.step.callee) for h in traefik.happy.steps][4:14] == [
        "healthcheck.NewCmd", "(*cli.Command).AddCommand", "cmdVersion.NewCmd", "(*cli.Command).AddCommand",
        "cli.Execute", "cli.execute", "cli.run",
        "(*tcli.FileLoader).Load", "(*tcli.FlagLoader).Load", "(*tcli.EnvLoader).Load"]


@pytest.mark.parametrize("packages, aliases, keep, labels", [
    (["a/x/cli", "b/cli"], {"a/x/cli": "xcli"}, None, {"a/x/cli": "xcli"}),
    # two left without an alias: each by the shortest tail no other ends with
    (["a/x/cli", "b/x/cli", "c/cli"], {}, None, {"a/x/cli": "a/x/cli", "b/x/cli": "b/x/cli", "c/cli": "c/cli"}),
    # the entry's package keeps the plain name even beside one without an alias
    (["a/cmd/app", "a/pkg/app"], {}, "a/cmd/app", {"a/pkg/app": "pkg/app"}),
    # an alias that is another package's name is no label
    (["a/cli", "b/cli", "c/log"], {"a/cli": "log"}, None, {"a/cli": "a/cli", "b/cli": "b/cli"}),
    (["a/cli", "b/log"], {"a/cli": "acli"}, None, {}),  # nothing shared, nothing relabelled
])
def test_short_names_rules(packages, aliases, keep, labels):
    table = short_names(packages, aliases, keep=keep)
    assert dict(table.labels) == labels
    printed = [table.package(p) for p in packages]
    assert len(set(printed)) == len(printed)


def test_an_empty_table_is_short_name():
    for name in ["(*a/b/cli.T).M", "a/b.F$1", "os.Exit", "loaders := []cli.X{&tcli.Y{}}"]:
        assert ShortNames().short(name) == short_name(name)
        assert ShortNames({"a/b/cli": "bcli"}).relabel("package initialisation", name) == "package initialisation"
    assert ShortNames({"a/b/cli": "bcli"}).relabel("(*cli.T).M (+3 implementations)", "(*a/b/cli.T).M") == \
        "(*bcli.T).M (+3 implementations)"


@pytest.mark.parametrize("condition, error", [
    ("err != nil", True), ("!ok", True), ("err != nil && retries > 3", True), ("err != nil || !ok", True),
    ("err != nil || pluginmanager.IsPluginCommand(ccmd)", False),  # docker: also the plugin dispatch
    ("(err != nil || stale) && retry", False), ("isPlugin(a || b) || err != nil", False), ("len(args) > 0", False)])
def test_a_condition_is_an_error_check_only_when_every_alternative_is_one(condition, error):
    from goanalyzer.analysis.startup_model import checks_error, is_error_check

    assert (checks_error(condition), is_error_check(f"if {condition}")) == (error, error)


def test_a_branch_taken_on_an_error_or_another_condition_stays_on_the_main_line(tmp_path):
    from conftest import write_module

    source = ("package main\n\nfunc find() error { return nil }\nfunc isPlugin() bool { return false }\n"
              "func runPlugin() {}\nfunc fail() {}\n\nfunc main() {\n\terr := find()\n"
              "\tif err != nil || isPlugin() {\n\t\trunPlugin()\n\t}\n\tif err != nil {\n\t\tfail()\n\t}\n}\n")
    program = goanalyzer.load(write_module(tmp_path, {"main.go": source}, "example.com/p"), goroot="none",
                              use_cache=False)
    flow = goanalyzer.analyse(program).flow
    steps = {s.callee: s for s in flow.steps}
    assert (steps["example.com/p.runPlugin"].error_path, side_path(steps["example.com/p.runPlugin"])) == (False, None)


def test_an_interface_call_on_an_error_path_is_one_folded_side_path(tmp_path):
    # docker: `err.Error()` under `if err != nil` reaching every error type of the program
    from conftest import write_module

    source = ("package main\n\ntype a struct{}\n\nfunc (a) Error() string { return \"a\" }\n\ntype b struct{}\n\n"
              "func (b) Error() string { return \"b\" }\n\nfunc find() error { return a{} }\nfunc report(string) {}\n"
              "func serve() {}\n\nfunc main() {\n\tvar _ error = b{}\n\tif err := find(); err != nil {\n"
              "\t\treport(err.Error())\n\t}\n\tserve()\n}\n")
    program = goanalyzer.load(write_module(tmp_path, {"main.go": source}, "example.com/e"), goroot="none",
                              use_cache=False)
    whole = goanalyzer.analyse(program, show=["all"]).flow
    assert [s.callee for s in whole.steps if s.callee.endswith(").Error")] == [
        "(example.com/e.a).Error", "(example.com/e.b).Error"]
    folded = goanalyzer.analyse(program).flow
    assert [s.callee for s in folded.steps] == ["example.com/e.find", "example.com/e.serve"]
    assert folded.side == {"errors": 2}  # report(...) and the Error() dispatch


def test_a_run_field_call_keeps_the_root_commands_run_even_after_the_frameworks_own(tmp_path):
    # docker: cobra's `c.RunE(c, args)` reaches cobra's own completion closures first, then every
    # command's RunE; the happy path keeps the root's (`newDockerCommand$1`), and the `else c.Run`
    # branch, which reaches no root run, is left out
    from goanalyzer.analysis.startup_model import StartupFlow

    cobra = "github.com/spf13/cobra"

    def run(callee: str, line: int, rule: str = "funcfield") -> Step:
        return Step(StepKind.CALL, callee, f"(*{cobra}.Command).execute", "command.go", line, 9, rule=rule)

    execute = Step(StepKind.CALL, f"(*{cobra}.Command).execute", "example.com/app.main", "main.go", 5, 2, steps=[
        run(f"(*{cobra}.Command).InitDefaultCompletionCmd$1", 916), run("example.com/app.newRoot$1", 916),
        run("example.com/app/sub.newList$1", 916), run("example.com/app/sub.newPlugin$1", 920)])
    flow = StartupFlow("example.com/app.main", "main.go", 3, [execute])
    path = happy_path(flow, root_module="example.com/app", default_runs=["example.com/app.newRoot$1"],
                      default_builders=["example.com/app.newRoot"])
    assert [(h.step.callee, h.depth) for h in path.steps] == [
        (f"(*{cobra}.Command).execute", 0), ("example.com/app.newRoot$1", 1)]


def test_a_command_with_no_parent_found_is_not_the_default_command(tmp_path):
    # docker's plugin stubs, built in a closure whose parent is not found: a root without children
    # beside the tree's root is no default command, its run no step of the happy path
    from conftest import FIXTURES, write_module

    source = ('package main\n\nimport "github.com/spf13/cobra"\n\nfunc serve() {}\nfunc stub() {}\n\n'
              'func newStub() *cobra.Command {\n\treturn &cobra.Command{Use: "stub", Run: func(*cobra.Command, []string) { stub() }}\n}\n\n'
              'func main() {\n\troot := &cobra.Command{Use: "tool", Run: func(*cobra.Command, []string) { serve() }}\n'
              '\troot.AddCommand(&cobra.Command{Use: "version"})\n\t_ = newStub()\n\troot.Execute()\n}\n')
    root = write_module(tmp_path, {"main.go": source}, "example.com/t")
    (root / "go.mod").write_text("module example.com/t\n\ngo 1.17\n\nrequire github.com/spf13/cobra v1.2.1\n")
    program = goanalyzer.load(root, goroot="none", use_cache=False,
                              gomodcache=[str(FIXTURES / "cobra-app" / "_gomodcache")])
    analysis = goanalyzer.analyse(program, reload=lambda into: goanalyzer.with_bodies(program, into))
    assert sorted(c.name for c in analysis.commands.roots()) == ["stub", "tool"]
    assert [h.step.callee for h in analysis.happy.steps if h.step.callee.startswith("example.com/t.")] == [
        "example.com/t.newStub", "example.com/t.main$1", "example.com/t.serve"]
