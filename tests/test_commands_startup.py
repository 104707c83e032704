import json

import pytest
from conftest import PAERSER, T, TRAEFIK, load_fixture

from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.analysis.commands import find_commands, struct_view
from goanalyzer.analysis.startup import startup_flow
from goanalyzer.analysis.startup_model import StepKind
from goanalyzer.cli.main import main
from goanalyzer.errors import NotFoundError


def commands_of(name, into=()):
    program = load_fixture(name, into=into)
    cg = build_callgraph(program)
    index = {}
    for row in find_commands(program, cg).to_json():
        index[row["name"]] = row
    return index


def test_traefik_commands(traefik, traefik_cg):
    rows = find_commands(traefik, traefik_cg).to_json()
    assert [(r["name"], r["parent"], r["type"]) for r in rows] == [
        ("traefik", None, f"{PAERSER}/cli.Command"),
        ("healthcheck", "traefik", f"{PAERSER}/cli.Command"),
        ("version", "traefik", f"{PAERSER}/cli.Command")]
    traefik_cmd = rows[0]
    assert traefik_cmd["run"] == f"{T}/cmd/traefik.main$1"
    assert traefik_cmd["run_calls"] == [f"{T}/cmd/traefik.runCmd"]
    assert traefik_cmd["position"] == "cmd/traefik/traefik.go:44:17"
    resources = next(f for f in traefik_cmd["fields"] if f["name"] == "Resources")
    assert resources["targets"] == [f"{T}/pkg/cli.EnvLoader", f"{T}/pkg/cli.FileLoader", f"{T}/pkg/cli.FlagLoader"]
    assert rows[1]["run"] == f"{T}/cmd/healthcheck.runCmd$1"
    assert rows[1]["built_in"] == f"{T}/cmd/healthcheck.NewCmd"


def test_command_struct_view_lists_nine_fields(traefik, traefik_cg):
    view = struct_view(traefik, traefik_cg, "cli.Command")
    assert [f["name"] for f in view.fields] == ["Name", "Description", "Configuration", "Resources", "Run",
                                                "CustomHelpFunc", "Hidden", "AllowArg", "subCommands"]
    assert view.methods == [f"(*{PAERSER}/cli.Command).AddCommand", f"(*{PAERSER}/cli.Command).PrintHelp"]
    assert "cmd/traefik/traefik.go:44:17 in " + f"{T}/cmd/traefik.main" in view.constructed_at
    assert any(" call in " in use for use in view.field_uses["Run"])


def test_cobra_commands():
    rows = commands_of("cobra-app", into=("github.com/spf13/cobra",))
    assert {n: r["parent"] for n, r in rows.items()} == {"cobra-app": None, "serve": "cobra-app",
                                                        "version": "cobra-app"}
    assert rows["serve"]["run_calls"] == ["example.com/cobra-app/cmd.runServe"]
    assert rows["serve"]["framework"] == "cobra"


def test_urfave_commands():
    rows = commands_of("urfave-app", into=("github.com/urfave/cli",))
    assert {n: r["parent"] for n, r in rows.items()} == {"urfave-app": None, "greet": "urfave-app",
                                                        "config": "urfave-app", "get": "config", "set": "config"}
    assert rows["greet"]["run"] == "example.com/urfave-app.greet"


def test_handrolled_commands_take_the_word_from_usage_line():
    rows = commands_of("handrolled-app")
    assert {n: r["parent"] for n, r in rows.items()} == {"hand": None, "version": "hand", "build": "hand",
                                                        "mod": "hand", "init": "mod", "tidy": "mod"}
    assert rows["tidy"]["run"] == "example.com/handrolled-app/internal/modcmd.runTidy"
    assert rows["init"]["framework"] == "handrolled"


def test_startup_flow_reads_in_statement_order(traefik, traefik_cg):
    flow = startup_flow(traefik, traefik_cg, "main", into=(PAERSER,))
    top = [(s.kind, s.callee) for s in flow.steps]
    assert top == [
        (StepKind.CALL, f"{T}/cmd.NewTraefikConfiguration"),
        (StepKind.CALL, f"{T}/cmd/healthcheck.NewCmd"),
        (StepKind.CALL, f"(*{PAERSER}/cli.Command).AddCommand"),
        (StepKind.CALL, "log.Println"), (StepKind.EXIT, "os.Exit"),
        (StepKind.CALL, f"{T}/cmd/version.NewCmd"),
        (StepKind.CALL, f"(*{PAERSER}/cli.Command).AddCommand"),
        (StepKind.CALL, "log.Println"), (StepKind.EXIT, "os.Exit"),
        (StepKind.CALL, f"{PAERSER}/cli.Execute"),
        (StepKind.CALL, "log.Println"), (StepKind.EXIT, "github.com/sirupsen/logrus.Exit"),
        (StepKind.EXIT, "github.com/sirupsen/logrus.Exit")]
    assert flow.steps[4].error_path and flow.steps[4].context == ["if err != nil"]
    execute = flow.steps[9]
    run = next(s for s in execute.walk() if s.callee == f"{PAERSER}/cli.run" and s.steps)
    calls = [(s.callee, s.line, s.rule) for s in run.steps if s.kind is StepKind.CALL]
    loads = [c for c in calls if c[0].endswith(").Load")]
    runs = [c for c in calls if c[0] == f"{T}/cmd/traefik.main$1"]
    assert [c[2] for c in loads] == ["interface"] * 3 and [c[2] for c in runs] == ["funcfield"] * 2
    assert loads[0][1] < runs[-1][1]  # each loader's Load, then the Run closure
    run_cmd = next(s for s in execute.walk() if s.callee == f"{T}/cmd/traefik.runCmd" and s.steps)
    order = [s.callee for s in run_cmd.steps]
    assert order.index(f"{T}/cmd/traefik.configureLogging") < order.index(f"{T}/cmd/traefik.setupServer") \
        < order.index(f"(*{T}/pkg/server.Server).Start")
    recursive = [s for s in execute.walk() if s.recursive]
    assert recursive and recursive[0].callee == f"{PAERSER}/cli.execute"


def test_missing_entry_lists_candidates(traefik, traefik_cg):
    with pytest.raises(NotFoundError) as error:
        startup_flow(traefik, traefik_cg, "nosuchentry")
    assert f"{T}/cmd/traefik.main" in error.value.candidates


def test_startup_cli_json_and_missing_entry_exit_code(capsys):
    assert main(["startup", str(TRAEFIK), "--into", PAERSER, "--format", "json", "--goroot", "none", "-q",
                 "--no-cache"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["entry"] == f"{T}/cmd/traefik.main" and data["position"] == "cmd/traefik/traefik.go:38"
    assert main(["startup", str(TRAEFIK), "--entry", "nosuchentry", "--goroot", "none", "-q", "--no-cache"]) == 2
    assert "error: no entry function 'nosuchentry'" in capsys.readouterr().err


def test_outline_keeps_the_startup_path_and_drops_std_leaves(traefik, traefik_cg):
    from goanalyzer.analysis.startup import outline_flow
    flow = outline_flow(startup_flow(traefik, traefik_cg, "main", into=(PAERSER,)))
    assert [(s.kind, s.callee) for s in flow.steps] == [
        (StepKind.CALL, f"{T}/cmd.NewTraefikConfiguration"),
        (StepKind.CALL, f"{T}/cmd/healthcheck.NewCmd"),
        (StepKind.CALL, f"(*{PAERSER}/cli.Command).AddCommand"),
        (StepKind.EXIT, "os.Exit"),
        (StepKind.CALL, f"{T}/cmd/version.NewCmd"),
        (StepKind.CALL, f"(*{PAERSER}/cli.Command).AddCommand"),
        (StepKind.EXIT, "os.Exit"),
        (StepKind.CALL, f"{PAERSER}/cli.Execute"),
        (StepKind.EXIT, "github.com/sirupsen/logrus.Exit"),
        (StepKind.EXIT, "github.com/sirupsen/logrus.Exit")]
    names = {s.callee for s in flow.walk()}
    assert f"{T}/cmd/traefik.setupServer" in names and "fmt.Errorf" not in names
