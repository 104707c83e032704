"""Issue 4: command structs and the startup flow, on Traefik's miniature and on small cobra,
urfave/cli (v1 and v2) and hand-rolled programs — the same facts on each (fixtures/*/EXPECT.md)."""

import json
from functools import lru_cache

import pytest

import goanalyzer
from conftest import PAERSER, T, TRAEFIK, load_fixture, write_module

from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.analysis.commands import command_word, find_commands, struct_view
from goanalyzer.analysis.startup import startup_flow
from goanalyzer.analysis.startup_model import StepKind
from goanalyzer.cli.main import main
from goanalyzer.errors import NotFoundError

COBRA = "github.com/spf13/cobra"
URFAVE = "github.com/urfave/cli"
OFFLINE = ["--goroot", "none", "-q", "--no-cache"]


@lru_cache(maxsize=None)
def analysed(name, into=()):
    program = load_fixture(name, into=into)
    return program, build_callgraph(program)


def commands_of(name, into=()):
    return {row["name"]: row for row in find_commands(*analysed(name, into)).to_json()}


def facts(row):
    """The facts issue 4 names for one command, as one comparable tuple."""
    return (row["parent"], row["type"], row["position"], row["built_in"], row["run"], row["run_calls"],
            row["description"], row["long"], [(f["name"], f["value"], f["targets"]) for f in row["fields"]],
            row["children"])


def calls(steps):
    return [(s.kind, s.callee) for s in steps]


def find_step(flow, callee):
    """The step that shows `callee`'s steps (the expanded one)."""
    return next(s for s in flow.walk() if s.callee == callee and s.steps)


# --------------------------------------------------------------------------- Traefik: commands

def test_traefik_commands(traefik, traefik_cg):
    rows = find_commands(traefik, traefik_cg).to_json()
    command = f"{PAERSER}/cli.Command"
    assert [r["name"] for r in rows] == ["traefik", "healthcheck", "version"]
    by_name = {r["name"]: r for r in rows}
    assert facts(by_name["traefik"]) == (
        None, command, "cmd/traefik/traefik.go:44:17", f"{T}/cmd/traefik.main", f"{T}/cmd/traefik.main$1",
        [f"{T}/cmd/traefik.runCmd"],
        "Traefik is a modern HTTP reverse proxy and load balancer for deploying microservices easily.\n"
        "The full documentation is at https://traefik.io", "",
        [("Configuration", "tConfig", []),
         ("Resources", "loaders", [f"{T}/pkg/cli.EnvLoader", f"{T}/pkg/cli.FileLoader", f"{T}/pkg/cli.FlagLoader"])],
        ["healthcheck", "version"])
    assert facts(by_name["healthcheck"]) == (
        "traefik", command, "cmd/healthcheck/healthcheck.go:16:10", f"{T}/cmd/healthcheck.NewCmd",
        f"{T}/cmd/healthcheck.runCmd$1",
        [f"(*{T}/pkg/config/static.Configuration).SetEffectiveConfiguration", f"{T}/cmd/healthcheck.Do"],
        "Calls the Traefik /ping endpoint (off by default) to check that Traefik is healthy.", "",
        [("Configuration", "traefikConfiguration", []),  # main's loaders, passed to NewCmd as `loaders`
         ("Resources", "loaders", [f"{T}/pkg/cli.EnvLoader", f"{T}/pkg/cli.FileLoader", f"{T}/pkg/cli.FlagLoader"])],
        [])
    assert facts(by_name["version"]) == (
        "traefik", command, "cmd/version/version.go:22:10", f"{T}/cmd/version.NewCmd", f"{T}/cmd/version.NewCmd$1",
        [f"{T}/cmd/version.GetPrint"], "Prints the Traefik version.", "", [("Configuration", "nil", [])], [])


def test_command_struct_view_lists_nine_fields(traefik, traefik_cg):
    view = struct_view(traefik, traefik_cg, f"{PAERSER}/cli.Command")
    assert [(f["name"], f["type"], f["tag"], f["doc"]) for f in view.fields] == [
        ("Name", "string", "", ""), ("Description", "string", "", ""), ("Configuration", "interface{}", "", ""),
        ("Resources", "[]ResourceLoader", "", ""), ("Run", "func([]string) error", "", ""),
        ("CustomHelpFunc", "func(io.Writer, *Command) error", "", ""), ("Hidden", "bool", "", ""),
        ("AllowArg", "bool", "", "AllowArg lets the command accept arguments that are not sub-command names."),
        ("subCommands", "[]*Command", "", "")]
    assert view.methods == [f"(*{PAERSER}/cli.Command).AddCommand", f"(*{PAERSER}/cli.Command).PrintHelp"]
    assert view.constructed_at == [f"cmd/healthcheck/healthcheck.go:16:10 in {T}/cmd/healthcheck.NewCmd",
                                   f"cmd/traefik/traefik.go:44:17 in {T}/cmd/traefik.main",
                                   f"cmd/version/version.go:22:10 in {T}/cmd/version.NewCmd"]
    where = "github.com/traefik/paerser@v0.1.4/cli/commands.go"
    assert view.field_uses["Run"] == [f"{where}:107:9 read in {PAERSER}/cli.run",
                                      f"{where}:113:14 call in {PAERSER}/cli.run",
                                      f"{where}:126:13 call in {PAERSER}/cli.run"]
    assert view.field_uses["subCommands"][:2] == [
        f"{where}:36:27 read in (*{PAERSER}/cli.Command).AddCommand",
        f"{where}:36:4 set in (*{PAERSER}/cli.Command).AddCommand"]  # c.subCommands = append(c.subCommands, cmd)


# --------------------------------------------------------------------------- Traefik: startup flow

def test_startup_flow_reads_in_statement_order(traefik, traefik_cg):
    flow = startup_flow(traefik, traefik_cg, "main", into=(PAERSER,))
    assert calls(flow.steps) == [
        (StepKind.CALL, f"{T}/cmd/traefik.init"),  # package initialisation: pkg/log's init#1 calls logrus
        (StepKind.CALL, f"{T}/cmd.NewTraefikConfiguration"),
        (StepKind.BUILD, "loaders := []cli.ResourceLoader{&tcli.FileLoader{}, &tcli.FlagLoader{}, &tcli.EnvLoader{}}"),
        (StepKind.BUILD, 'cmdTraefik := &cli.Command{Name: "traefik", ...}'),
        (StepKind.CALL, f"{T}/cmd/healthcheck.NewCmd"),
        (StepKind.CALL, f"(*{PAERSER}/cli.Command).AddCommand"),
        (StepKind.CALL, "log.Println"), (StepKind.EXIT, "os.Exit"),
        (StepKind.CALL, f"{T}/cmd/version.NewCmd"),
        (StepKind.CALL, f"(*{PAERSER}/cli.Command).AddCommand"),
        (StepKind.CALL, "log.Println"), (StepKind.EXIT, "os.Exit"),
        (StepKind.CALL, f"{PAERSER}/cli.Execute"),
        (StepKind.CALL, "log.Println"), (StepKind.EXIT, "github.com/sirupsen/logrus.Exit"),
        (StepKind.EXIT, "github.com/sirupsen/logrus.Exit")]
    exits = [(s.callee, s.position, s.context, s.error_path) for s in flow.steps if s.kind is StepKind.EXIT]
    assert exits == [("os.Exit", "cmd/traefik/traefik.go:58:10", ["if err != nil"], True),
                     ("os.Exit", "cmd/traefik/traefik.go:64:10", ["if err != nil"], True),
                     ("github.com/sirupsen/logrus.Exit", "cmd/traefik/traefik.go:70:14", ["if err != nil"], True),
                     ("github.com/sirupsen/logrus.Exit", "cmd/traefik/traefik.go:73:13", [], False)]
    builds = [(s.position, s.built) for s in flow.steps if s.kind is StepKind.BUILD]
    assert builds == [("cmd/traefik/traefik.go:42:13", f"{PAERSER}/cli.ResourceLoader"),
                      ("cmd/traefik/traefik.go:44:17", f"{PAERSER}/cli.Command")]  # the literals, after the `&`
    execute = flow.steps[12]
    assert calls(execute.steps) == [(StepKind.CALL, f"{PAERSER}/cli.execute")]
    recursion = [(s.callee, s.line, s.col) for s in execute.walk() if s.recursive]
    assert recursion == [  # the provider aggregator's Provide reaches itself through launchProvider
        (f"({T}/pkg/provider/aggregator.ProviderAggregator).Provide", 64, 23),
        (f"{PAERSER}/cli.execute", 87, 18), (f"{PAERSER}/cli.execute", 90, 18)]


def test_startup_run_loads_then_runs_the_command(traefik, traefik_cg):
    flow = startup_flow(traefik, traefik_cg, "main", into=(PAERSER,))
    run = find_step(flow, f"{PAERSER}/cli.run")
    dynamic = [(s.callee, s.line, s.rule, s.context) for s in run.steps if s.rule != "static"]
    guard, loop = ["if cmd.Configuration == nil"], ["for range cmd.Resources, until done"]
    runs = [f"{T}/cmd/healthcheck.runCmd$1", f"{T}/cmd/traefik.main$1", f"{T}/cmd/version.NewCmd$1"]
    assert dynamic == [
        *[(r, 113, "funcfield", guard) for r in runs],
        # in the order main's loaders slice lists them, as they run
        (f"(*{T}/pkg/cli.FileLoader).Load", 117, "interface", loop),
        (f"(*{T}/pkg/cli.FlagLoader).Load", 117, "interface", loop),
        (f"(*{T}/pkg/cli.EnvLoader).Load", 117, "interface", loop),
        *[(r, 126, "funcfield", []) for r in runs]]
    expanded = [(s.line, s.expanded_below) for s in run.steps if s.callee == f"{T}/cmd/traefik.main$1"]
    assert expanded == [(113, True), (126, False)]  # Run's steps after the loaders: the main path, not the guard
    assert calls(find_step(flow, f"{T}/cmd/traefik.main$1").steps) == [(StepKind.CALL, f"{T}/cmd/traefik.runCmd")]
    assert find_step(flow, f"{T}/cmd/traefik.main$1").line == 126
    order = [s.callee for s in find_step(flow, f"{T}/cmd/traefik.runCmd").steps]
    assert order.index(f"{T}/cmd/traefik.configureLogging") < order.index(f"{T}/cmd/traefik.setupServer") \
        < order.index(f"(*{T}/pkg/server.Server).Start")


def test_startup_marks_defer_goroutines_and_waits(traefik, traefik_cg):
    flow = startup_flow(traefik, traefik_cg, "main", into=(PAERSER,))
    run_cmd = find_step(flow, f"{T}/cmd/traefik.runCmd")
    marked = [(s.kind, s.callee, s.context) for s in run_cmd.steps if s.kind is not StepKind.CALL
              or "goroutine helper" in s.context]
    assert marked == [
        (StepKind.RETURN, "return err", ["if err != nil"]),
        (StepKind.RETURN, "return err", ["if err != nil"]),
        (StepKind.DEFER, f"(*{T}/pkg/server.Server).Close", []),
        (StepKind.CALL, f"{T}/pkg/safe.Go", ["else (not err != nil)", "if t != 0", "goroutine helper"]),
        (StepKind.GO, f"{T}/cmd/traefik.runCmd$1", ["else (not err != nil)", "if t != 0"]),  # what safe.Go runs
        (StepKind.WAIT, f"(*{T}/pkg/server.Server).Wait", [])]
    close = find_step(flow, f"(*{T}/pkg/server.Server).Close")
    assert (StepKind.GO, f"(*{T}/pkg/server.Server).Close$1") in calls(close.steps)
    wait = find_step(flow, f"(*{T}/pkg/server.Server).Wait")
    assert [(s.kind, s.callee, s.position) for s in wait.steps] == [
        (StepKind.WAIT, "<-s.stopChan", "pkg/server/server.go:61:1")]  # a receive: its statement's line


def test_startup_depth_limits_the_descent(traefik, traefik_cg):
    flow = startup_flow(traefik, traefik_cg, "main", depth=1, into=(PAERSER,))
    execute = flow.steps[12]
    assert calls(execute.steps) == [(StepKind.CALL, f"{PAERSER}/cli.execute")]
    assert execute.steps[0].steps == [] and flow.depth == 1


BUILDS_MODULE = {
    "cli/cli.go": """package cli

// Command is shaped like a command: a name and a func-typed Run field.
type Command struct {
	Name string
	Run  func(args []string) error
	Sub  []*Command
}
""",
    "main.go": """package main

import (
	"net/http"

	"example.com/m/cli"
)

type Server struct{ Addr string }

type Options map[string]string

func load() string { return ":80" }

func newServer(s *Server) *Server { return &Server{Addr: s.Addr} }

func main() {
	root := &cli.Command{Name: "m", Run: func(args []string) error { return nil }}
	var srv = Server{Addr: load()}
	opts := Options{"a": "b"}
	root.Sub = []*cli.Command{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}}
	handlers := []interface{}{&Server{}, 42}
	if len(opts) > 0 {
		srv = Server{}
	}
	a, b := Server{Addr: "a"}, Options{}
	empty := map[string]*Server{}
	client := &http.Client{}
	point := struct{ X int }{1}
	names := []string{"x"}
	other := newServer(&Server{Addr: ":81"})
	_ = Server{}
	type local struct{ n int }
	l := local{1}
	use(srv, handlers, a, b, empty, client, point, names, other, l)
}

func use(values ...interface{}) {}
""",
}


def test_startup_builds_are_literals_of_the_programs_own_types(tmp_path):
    program = goanalyzer.load(write_module(tmp_path, BUILDS_MODULE), goroot="none", use_cache=False)
    flow = startup_flow(program, build_callgraph(program), "main")
    assert [(s.kind.value, s.callee, s.built, s.position, s.context) for s in flow.steps] == [
        ("build", 'root := &cli.Command{Name: "m", ...}', "example.com/m/cli.Command", "main.go:18:11", []),
        ("call", "example.com/m.load", "", "main.go:19:29", []),  # what the literal's fields call comes first
        ("build", "var srv = Server{...}", "example.com/m.Server", "main.go:19:12", []),
        ("build", 'opts := Options{"a": "b"}', "example.com/m.Options", "main.go:20:10", []),
        ("build", 'root.Sub = []*cli.Command{{Name: "a"}, {Name: "b"}, {Name: "c"}, ...}', "example.com/m/cli.Command",
         "main.go:21:13", []),  # elided element types are the slice's, three elements are named
        ("build", "handlers := []interface{}{&Server{}, 42}", "example.com/m.Server", "main.go:22:14", []),
        ("build", "srv = Server{}", "example.com/m.Server", "main.go:24:9", ["if len(opts) > 0"]),
        ("build", 'a := Server{...}', "example.com/m.Server", "main.go:26:10", []),
        ("build", "b := Options{}", "example.com/m.Options", "main.go:26:29", []),
        # not built here: an empty map, a type of a package not loaded (net/http), an unnamed struct, a slice
        # of strings, a literal passed to a call (the call is the step), `_`, a type local to the function
        ("call", "example.com/m.newServer", "", "main.go:31:20", []),
        ("call", "example.com/m.use", "", "main.go:35:5", [])]
    assert flow.steps[-2].steps == []  # newServer's `return &Server{...}`: its call stands for the value


def test_missing_entry_lists_candidates(traefik, traefik_cg):
    with pytest.raises(NotFoundError) as error:
        startup_flow(traefik, traefik_cg, "nosuchentry")
    assert error.value.candidates == [f"{T}/cmd/traefik.main"]


# --------------------------------------------------------------------------- the CLI

def test_commands_cli_formats(capsys):
    assert main(["commands", str(TRAEFIK), "--into", PAERSER, "--format", "json", *OFFLINE]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["parent"], r["type"], r["run"]) for r in rows] == [
        ("traefik", None, f"{PAERSER}/cli.Command", f"{T}/cmd/traefik.main$1"),
        ("healthcheck", "traefik", f"{PAERSER}/cli.Command", f"{T}/cmd/healthcheck.runCmd$1"),
        ("version", "traefik", f"{PAERSER}/cli.Command", f"{T}/cmd/version.NewCmd$1")]
    assert {"name", "description", "type", "position", "parent", "run", "fields"} <= set(rows[0])
    assert main(["commands", str(TRAEFIK), "--format", "tree", *OFFLINE]) == 0
    tree = capsys.readouterr().out.splitlines()
    assert tree[1] == ("    built at cmd/traefik/traefik.go:44:17 in traefik.main"
                       "  run: traefik.main$1 → traefik.runCmd")
    assert tree[2].startswith("  healthcheck  [paerser] ") and tree[4].startswith("  version  [paerser] ")
    assert main(["commands", str(TRAEFIK), "--format", "markdown", *OFFLINE]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0] == "| command | parent | description | built at | run |"
    assert [line.split(" | ")[:2] for line in table[2:]] == [["| `traefik`", ""], ["| `healthcheck`", "traefik"],
                                                             ["| `version`", "traefik"]]
    assert main(["commands", str(TRAEFIK), "--format", "dot", *OFFLINE]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith('digraph "commands" {') and "  c0 -> c1 " in dot and "  c0 -> c2 " in dot


def test_struct_cli_lists_the_fields(capsys):
    assert main(["struct", str(TRAEFIK), f"{PAERSER}/cli.Command", "--format", "json", *OFFLINE]) == 0
    view = json.loads(capsys.readouterr().out)
    assert [f["name"] for f in view["fields"]] == ["Name", "Description", "Configuration", "Resources", "Run",
                                                   "CustomHelpFunc", "Hidden", "AllowArg", "subCommands"]
    assert view["position"] == "github.com/traefik/paerser@v0.1.4/cli/commands.go:13"
    assert main(["struct", str(TRAEFIK), "cli.Command", *OFFLINE]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[:3] == ["// Command describes one program or sub-command (its name and description).",
                        f"type {PAERSER}/cli.Command struct   // github.com/traefik/paerser@v0.1.4/cli/commands.go:13",
                        "    Name            string"]
    assert text[9:12] == [
        "    AllowArg        bool  // AllowArg lets the command accept arguments that are not sub-command names.",
        "    subCommands     []*Command", ""]
    assert main(["struct", str(TRAEFIK), "NoSuchStruct", *OFFLINE]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_startup_cli_formats_and_missing_entry_exit_code(capsys):
    assert main(["startup", str(TRAEFIK), "--into", PAERSER, "--format", "json", *OFFLINE]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["entry"] == f"{T}/cmd/traefik.main" and data["position"] == "cmd/traefik/traefik.go:38"
    assert data["into"] == [PAERSER] and [(s["kind"], s["callee"]) for s in data["steps"]][:5] == [
        ("call", f"{T}/cmd/traefik.init"), ("call", f"{T}/cmd.NewTraefikConfiguration"),
        ("build", "loaders := []cli.ResourceLoader{&tcli.FileLoader{}, &tcli.FlagLoader{}, &tcli.EnvLoader{}}"),
        ("build", 'cmdTraefik := &cli.Command{Name: "traefik", ...}'), ("call", f"{T}/cmd/healthcheck.NewCmd")]
    assert data["steps"][3]["built"] == f"{PAERSER}/cli.Command" and "built" not in data["steps"][1]
    assert main(["startup", str(TRAEFIK), "--format", "text", "--depth", "0", *OFFLINE]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[:5] == [f"startup of {T}/cmd/traefik.main (cmd/traefik/traefik.go:38)",
                        "  → cmd.NewTraefikConfiguration  cmd/traefik/traefik.go:40:40",
                        "  ■ build loaders := []cli.ResourceLoader{&tcli.FileLoader{}, &tcli.FlagLoader{}, "
                        "&tcli.EnvLoader{}}  cmd/traefik/traefik.go:42:13",
                        '  ■ build cmdTraefik := &cli.Command{Name: "traefik", ...}  cmd/traefik/traefik.go:44:17',
                        "  → healthcheck.NewCmd  cmd/traefik/traefik.go:55:49"]
    assert "  ✖ exit os.Exit  [if err != nil]  (error path)  cmd/traefik/traefik.go:58:10" in text
    assert main(["startup", str(TRAEFIK), "--format", "markdown", "--depth", "0", *OFFLINE]) == 0
    markdown = capsys.readouterr().out.splitlines()
    assert markdown[0] == f"# Startup of `{T}/cmd/traefik.main`"
    assert "- ✖ exit `os.Exit` — *if err != nil* **(error path)** (`cmd/traefik/traefik.go:58:10`)" in markdown
    assert main(["startup", str(TRAEFIK), "--entry", "nosuchentry", *OFFLINE]) == 2
    assert capsys.readouterr().err.splitlines() == ["error: no entry function 'nosuchentry'",
                                                    f"  candidate: {T}/cmd/traefik.main"]


# --------------------------------------------------------------------------- cobra

def test_cobra_commands():
    rows = commands_of("cobra-app", into=(COBRA,))
    command, cmd = f"{COBRA}.Command", "example.com/cobra-app/cmd"
    assert list(rows) == ["cobra-app", "serve", "version"]
    assert facts(rows["cobra-app"]) == (
        None, command, "cmd/root.go:11:16", f"{cmd}.init", f"{cmd}.init$1", [],
        "A tiny cobra program for goanalyzer's tests",
        "cobra-app shows how goanalyzer reads a cobra command tree.\n\nIt has two sub-commands: serve and version.",
        [], ["serve", "version"])
    assert facts(rows["serve"]) == (
        "cobra-app", command, "cmd/serve.go:10:17", f"{cmd}.init", f"{cmd}.init$2", [f"{cmd}.runServe"],
        "Start the HTTP server",
        'Start the HTTP server.\n\nThe server listens on :8080 and answers every request with "ok".', [], [])
    assert facts(rows["version"]) == (
        "cobra-app", command, "cmd/version.go:12:19", f"{cmd}.init", f"{cmd}.printVersion", [],
        "Print the version", "Print the version of cobra-app and exit.", [("Aliases", '[]string{"v"}', [])], [])
    assert {r["framework"] for r in rows.values()} == {"cobra"}


def test_cobra_struct_and_startup():
    program, cg = analysed("cobra-app", (COBRA,))
    view = struct_view(program, cg, f"{COBRA}.Command")
    assert [f["name"] for f in view.fields] == ["Use", "Aliases", "Short", "Long", "Example", "Run", "RunE",
                                                "commands", "parent", "args"]
    flow = startup_flow(program, cg, "main", into=(COBRA,))
    execute = find_step(flow, f"(*{COBRA}.Command).execute")
    assert [(s.callee, s.rule, s.context) for s in execute.steps if s.rule == "funcfield"] == [
        ("example.com/cobra-app/cmd.init$2", "funcfield", ["if c.RunE != nil"]),
        ("example.com/cobra-app/cmd.init$1", "funcfield", ["if c.Run != nil"]),
        ("example.com/cobra-app/cmd.printVersion", "funcfield", ["if c.Run != nil"])]
    assert calls(find_step(flow, "example.com/cobra-app/cmd.init$2").steps) == [
        (StepKind.CALL, "example.com/cobra-app/cmd.runServe")]
    top = find_step(flow, "example.com/cobra-app/cmd.Execute")
    assert [(s.kind, s.callee, s.error_path) for s in top.steps if s.kind is StepKind.EXIT] == [
        (StepKind.EXIT, "os.Exit", True)]
    assert [(s.callee, s.line) for s in flow.walk() if s.recursive] == [(f"(*{COBRA}.Command).Find", 79)]


# --------------------------------------------------------------------------- urfave/cli v2 and v1

@pytest.mark.parametrize("name, package, app_position, app_built_in, positions", [
    ("urfave-app", f"{URFAVE}/v2", "main.go:12:10", "example.com/urfave-app.main",
     ["main.go:16:4", "main.go:22:4", "main.go:29:6", "main.go:34:6"]),
    ("urfave-v1-app", URFAVE, f"{URFAVE}@v1.22.5/app.go:26:10", f"{URFAVE}.NewApp",
     ["main.go:17:3", "main.go:23:3", "main.go:30:5", "main.go:35:5"]),
], ids=["v2", "v1"])
def test_urfave_commands(name, package, app_position, app_built_in, positions):
    rows = commands_of(name, into=(URFAVE,))
    main_func = f"example.com/{name}.main"
    command = f"{package}.Command"
    app_fields = [("HelpName", "filepath.Base(os.Args[0])", []), ("Version", '"0.0.0"', [])] \
        if name == "urfave-v1-app" else []  # v1: the fields NewApp sets
    assert list(rows) == [name, "greet", "config", "get", "set"]
    assert facts(rows[name]) == (None, f"{package}.App", app_position, app_built_in, None, [],
                                 f"a tiny urfave/cli {'v1 ' if 'v1' in name else ''}program for goanalyzer's tests",
                                 "", app_fields, ["greet", "config"])
    assert facts(rows["greet"]) == (name, command, positions[0], main_func, f"example.com/{name}.greet", [],
                                    "say hello", "", [("Aliases", '[]string{"g"}', [])], [])
    assert facts(rows["config"]) == (name, command, positions[1], main_func, None, [],
                                     "read or write the configuration",
                                     "Reads and writes the configuration file.\n\nUse the get and set sub-commands.",
                                     [], ["get", "set"])
    assert facts(rows["get"]) == ("config", command, positions[2], main_func, f"example.com/{name}.configGet", [],
                                  "print a value", "", [], [])
    assert facts(rows["set"]) == ("config", command, positions[3], main_func, f"example.com/{name}.main$1",
                                  [f"example.com/{name}.configSet"], "store a value", "", [], [])
    assert {r["framework"] for r in rows.values()} == {"urfave"}


def test_urfave_v1_without_its_body_has_no_app():
    rows = commands_of("urfave-v1-app")
    assert {n: r["parent"] for n, r in rows.items()} == {"greet": None, "config": None, "get": "config",
                                                        "set": "config"}


@pytest.mark.parametrize("name, package, receiver, fields", [
    ("urfave-app", f"{URFAVE}/v2", "*", ["Name", "Aliases", "Usage", "UsageText", "Description", "Action",
                                         "Subcommands"]),
    ("urfave-v1-app", URFAVE, "", ["Name", "ShortName", "Aliases", "Usage", "UsageText", "Description", "Action",
                                   "Subcommands"]),
], ids=["v2", "v1"])
def test_urfave_struct_and_startup(name, package, receiver, fields):
    program, cg = analysed(name, (URFAVE,))
    view = struct_view(program, cg, f"{package}.Command")
    assert [f["name"] for f in view.fields] == fields
    flow = startup_flow(program, cg, "main", into=(URFAVE,))
    built = 'app := &cli.App{Name: "urfave-app", ...}' if name == "urfave-app" else \
        'app.Commands = []cli.Command{{Name: "greet", ...}, {Name: "config", ...}}'  # v1: NewApp, then fields
    assert [(s.kind, s.callee, s.error_path) for s in flow.steps if s.kind is not StepKind.CALL] == [
        (StepKind.BUILD, built, False), (StepKind.EXIT, "log.Fatal", True)]
    command_run = find_step(flow, f"({receiver}{package}.Command).Run")
    assert [(s.callee, s.recursive) for s in command_run.steps if s.callee == f"({receiver}{package}.Command).Run"] \
        == [(f"({receiver}{package}.Command).Run", True)]
    actions = [f"example.com/{name}.configGet", f"example.com/{name}.greet", f"example.com/{name}.main$1"]
    if name == "urfave-app":  # v2: Action is a func field, called directly
        assert [s.callee for s in command_run.steps if s.rule == "funcfield"] == actions
    else:  # v1: the func sits in an interface{}; HandleAction's type switch calls it
        handle = command_run.steps[-1]
        assert (handle.kind, handle.callee) == (StepKind.CALL, f"{URFAVE}.HandleAction")
        assert [(s.callee, s.rule, s.line, s.context) for s in handle.steps if s.kind is StepKind.CALL] == [
            (a, "funcvalue", line, ["type switch"]) for line in (60, 62) for a in actions]  # case ActionFunc,
        # case func(*Context) error; never case func(*Context) (64): no action has that signature


# --------------------------------------------------------------------------- hand-rolled

def test_handrolled_commands_take_the_word_from_usage_line():
    rows = commands_of("handrolled-app")
    command, m = "example.com/handrolled-app/internal/base.Command", "example.com/handrolled-app"
    assert list(rows) == ["hand", "version", "build", "mod", "init", "tidy"]
    assert facts(rows["hand"]) == (None, command, "internal/base/base.go:34:13", f"{m}/internal/base.init", None, [],
                                   "", "Hand is a tool for managing hand-rolled things.", [],
                                   ["version", "build", "mod"])
    assert facts(rows["build"]) == (  # Run assigned in init: CmdBuild.Run = runBuild
        "hand", command, "internal/build/build.go:11:17", f"{m}/internal/build.init", f"{m}/internal/build.runBuild",
        [], "compile things", "Build compiles the named things.\n\nThe -o flag names the output file.", [], [])
    assert facts(rows["init"]) == (
        "mod", command, "internal/modcmd/mod.go:28:16", f"{m}/internal/modcmd.init", f"{m}/internal/modcmd.init$1",
        [f"{m}/internal/modcmd.runInit"], "initialize new module in current directory",
        "Init writes a new module file in the current directory.", [], [])
    assert {n: (r["parent"], r["run"]) for n, r in rows.items()} == {
        "hand": (None, None), "version": ("hand", f"{m}.runVersion"), "build": ("hand", f"{m}/internal/build.runBuild"),
        "mod": ("hand", None), "init": ("mod", f"{m}/internal/modcmd.init$1"),
        "tidy": ("mod", f"{m}/internal/modcmd.runTidy")}
    assert {r["framework"] for r in rows.values()} == {"handrolled"}


def test_handrolled_struct_and_startup():
    program, cg = analysed("handrolled-app")
    base = "example.com/handrolled-app/internal/base"
    view = struct_view(program, cg, f"{base}.Command")
    assert [f["name"] for f in view.fields] == ["Run", "UsageLine", "Short", "Long", "Flag", "Commands"]
    assert view.field_uses["Run"] == [
        f"internal/base/base.go:56:11 read in (*{base}.Command).Runnable",
        "internal/build/build.go:22:11 set in example.com/handrolled-app/internal/build.init#1",
        "main.go:45:6 call in example.com/handrolled-app.main"]
    flow = startup_flow(program, cg, "main")
    m = "example.com/handrolled-app"
    assert [(s.callee, s.position) for s in flow.steps if s.rule == "funcfield"] == [
        (f"{m}.runVersion", "main.go:45:9"), (f"{m}/internal/build.runBuild", "main.go:45:9"),
        (f"{m}/internal/modcmd.init$1", "main.go:45:9"), (f"{m}/internal/modcmd.runTidy", "main.go:45:9")]
    assert calls(find_step(flow, f"{m}/internal/modcmd.init$1").steps) == [
        (StepKind.CALL, f"{m}/internal/modcmd.runInit")]
    assert [(s.caller, s.position) for s in flow.walk() if s.kind is StepKind.EXIT] == [
        (f"(*{base}.Command).Usage", "internal/base/base.go:51:9"),
        (f"{base}.Fatalf", "internal/base/base.go:62:9"), (f"{m}.main", "main.go:46:9")]


@pytest.mark.parametrize("field, value, word", [
    ("Use", "serve [flags]", "serve"), ("UsageLine", "go mod tidy [-v]", "tidy"),
    ("UsageLine", "build [-o output] [things]", "build"), ("Name", "greet", "greet")])
def test_command_word_as_the_framework_takes_it(field, value, word):
    assert command_word(field, value) == word


def test_handrolled_name_from_a_constant_and_run_set_later(tmp_path):
    root = write_module(tmp_path, {"main.go": """package main

const buildUsage = "tool build [-o out] [files]"

type Command struct {
	Run       func(args []string) error
	UsageLine string
	Short     string
	Commands  []*Command
}

var cmdBuild = &Command{UsageLine: buildUsage, Short: "build things"}

var root = &Command{UsageLine: "tool", Commands: []*Command{cmdBuild}}

func init() {
	cmdBuild.Run = runBuild
}

func runBuild(args []string) error { return nil }

func configure(cmdBuild *Command) {
	cmdBuild.Short = "a parameter, not the package's cmdBuild"
}

func main() {
	app := &Command{UsageLine: "other"}
	app.Short = "set " + "later"
	app.Run = func(args []string) error { return runBuild(args) }
	_ = root.Commands[0].Run(nil)
}
"""})
    program = goanalyzer.load(root, goroot="none", use_cache=False)
    rows = {r["name"]: r for r in find_commands(program, build_callgraph(program)).to_json()}
    assert {n: (r["parent"], r["run"], r["run_calls"], r["description"]) for n, r in rows.items()} == {
        "tool": (None, None, [], ""),
        "build": ("tool", "example.com/m.runBuild", [], "build things"),
        "other": (None, "example.com/m.main$1", ["example.com/m.runBuild"], "")}  # a computed Short is no text
    assert [(f["name"], f["value"]) for f in rows["other"]["fields"]] == [("Short", '"set " + "later"')]


def test_goroutine_helpers_show_what_they_run_at_each_call(traefik, traefik_cg):
    # safe.Go forwards its func to GoWithRecover, whose goroutine calls it: the call graph has every
    # func ever passed; the flow shows, at each helper call, the one passed there, as a `go` step.
    flow = startup_flow(traefik, traefik_cg, "main", into=(PAERSER,))
    helpers = [(s.callee, s.position) for s in flow.walk() if "goroutine helper" in s.context]
    goroutines = [(s.callee, s.position) for s in flow.walk() if s.kind is StepKind.GO and s.rule == "funcvalue"]
    assert goroutines == [
        (f"{T}/cmd/traefik.checkNewVersion$1", "cmd/traefik/traefik.go:348:9"),
        (f"{T}/cmd/traefik.collect$1", "cmd/traefik/traefik.go:372:9"),
        (f"(*{T}/pkg/server.ConfigurationWatcher).listenProviders", "pkg/server/configurationwatcher.go:55:22"),
        (f"(*{T}/pkg/server.ConfigurationWatcher).listenConfigurations", "pkg/server/configurationwatcher.go:56:22"),
        (f"(*{T}/pkg/server.ConfigurationWatcher).startProvider$1", "pkg/server/configurationwatcher.go:85:9"),
        (f"(*{T}/pkg/provider/acme.Provider).watchNewDomains", "pkg/provider/acme/provider.go:50:12"),
        (f"({T}/pkg/provider/aggregator.ProviderAggregator).Provide$1", "pkg/provider/aggregator/aggregator.go:54:10"),
        (f"(*{T}/pkg/server.Server).listenSignals", "pkg/server/server.go:56:22"),
        (f"{T}/cmd/traefik.runCmd$1", "cmd/traefik/traefik.go:127:10"),
    ]
    assert [p for _, p in helpers] == [p for _, p in goroutines]  # each after its helper's call
    assert not any(s.steps for s in flow.walk() if "goroutine helper" in s.context)  # plumbing, not expanded
    edges = set(traefik_cg.callees(f"{T}/pkg/safe.GoWithRecover$1"))
    assert edges == {f"{T}/cmd/traefik.runCmd$1", f"{T}/cmd/traefik.checkNewVersion$1", f"{T}/cmd/traefik.collect$1",
                     f"(*{T}/pkg/safe.Pool).GoCtx$1", f"(*{T}/pkg/server.ConfigurationWatcher).startProvider$1",
                     f"({T}/pkg/provider/aggregator.ProviderAggregator).Provide$1", f"{T}/pkg/safe.GoWithRecover$1$1"}


def test_run_calls_name_what_the_closure_calls_not_an_interfaces_fan_out(tmp_path):
    # `body.Close()` on a Closer could be any constructed Closer of the program: that is no
    # call the closure makes by name, so run_calls leaves it out.
    module = write_module(tmp_path / "m", {"main.go": """package main

type Command struct {
	Name string
	Run  func(args []string) error
}

type Closer interface{ Close() error }

type file struct{}

func (file) Close() error { return nil }

type pipe struct{}

func (pipe) Close() error { return nil }

func open() Closer { return file{} }

func check() error { return nil }

func main() {
	_ = pipe{}
	cmd := &Command{Name: "check", Run: func(args []string) error {
		body := open()
		body.Close()
		return check()
	}}
	_ = cmd.Run(nil)
}
"""})
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    cg = build_callgraph(program)
    [row] = find_commands(program, cg).to_json()
    assert (row["name"], row["run"], row["run_calls"]) == ("check", "example.com/m.main$1",
                                                           ["example.com/m.check", "example.com/m.open"])
    assert {"(example.com/m.file).Close", "(example.com/m.pipe).Close"} <= set(cg.callees("example.com/m.main$1"))
