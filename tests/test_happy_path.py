"""The happy path (goanalyzer.analysis.happy_path): exact steps on the fixtures, and side-path folding."""

from __future__ import annotations

from pathlib import Path

import pytest

import goanalyzer
from goanalyzer.analysis.happy_path import SideKind, fold_side_paths, side_path
from goanalyzer.analysis.startup_model import Step, StepKind
from goanalyzer.naming import short_name

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
        "      (*cli.FileLoader).Load (each in turn (for range cmd.Resources))",
        "      (*cli.FlagLoader).Load (each in turn (for range cmd.Resources))",
        "      (*cli.EnvLoader).Load (each in turn (for range cmd.Resources))",
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
