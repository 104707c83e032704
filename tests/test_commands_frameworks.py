"""Issue 13: command trees of ffcli, kingpin and mitchellh/cli programs, parents through the
program's own code (helpers, variadics, loops, registries, inline literals), folded names, and a
framework module that is missing (fixtures/*-app, fixtures/*-helpers, fixtures/cobra-nomodule)."""

import functools
import json
import shutil
from functools import lru_cache

import goanalyzer
from conftest import FIXTURES, write_module

from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.analysis.commands import find_commands
from goanalyzer.cli.main import main

OFFLINE = ["--goroot", "none", "-q", "--no-cache"]
FFCLI = "github.com/peterbourgon/ff/v3/ffcli.Command"
COBRA = "github.com/spf13/cobra.Command"
KINGPIN = "gopkg.in/alecthomas/kingpin.v2"


@lru_cache(maxsize=None)
def found(name, into=()):
    program = goanalyzer.load(FIXTURES / name, goroot="none", use_cache=False, into=into)
    return find_commands(program, build_callgraph(program))


def tree(commands):
    """(name, parent, position, description, run, run_calls) of each command, in tree order."""
    return [(r["name"], r["parent"], r["position"], r["description"], r["run"], r["run_calls"])
            for r in commands.to_json()]


def copy_without_modules(name, tmp_path):
    """The fixture without its `_gomodcache/`: the framework module is missing."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("_gomodcache"))
    return target


# --------------------------------------------------------------------------- ffcli

def test_ffcli_tree_with_short_help_as_description():
    commands = found("ffcli-app")
    m = "example.com/ffcli-app"
    assert tree(commands) == [
        ("ffcli-app", None, "main.go:29:11", "A tiny ffcli program for goanalyzer's tests", f"{m}.main$2", []),
        ("repo", "ffcli-app", "main.go:22:11", "Work with repositories", None, []),
        ("get", "repo", "main.go:16:14", "Fetch a repository", f"{m}.getRepo", []),
        ("version", "ffcli-app", "main.go:36:4", "Print the version", f"{m}.main$1", [f"{m}.printVersion"])]
    rows = {r["name"]: r for r in commands.to_json()}
    assert rows["repo"]["long"] == "Repo groups the commands that read and write repositories."
    assert {r["type"] for r in rows.values()} == {FFCLI} and {r["framework"] for r in rows.values()} == {"ffcli"}
    assert [f["name"] for f in rows["ffcli-app"]["fields"]] == ["ShortUsage", "FlagSet"]
    assert not commands.partial


def test_ffcli_subcommands_through_append_and_a_variadic_filter():
    m = "example.com/ffcli-helpers"
    assert tree(found("ffcli-helpers")) == [
        ("ffcli-helpers", None, "main.go:16:11", "Sub-commands through helpers", None, []),
        ("up", "ffcli-helpers", "main.go:14:3", "Connect", f"{m}.up", []),
        ("debug", "ffcli-helpers", "main.go:43:10", "Debugging tools", None, []),
        ("status", "ffcli-helpers", "main.go:36:10", "Show the status", f"{m}.status", [])]


# --------------------------------------------------------------------------- cobra: parents through code

def test_cobra_parents_through_helpers_loops_registries_and_inline_literals():
    commands = found("cobra-helpers")
    m = "example.com/cobra-helpers/cmd"
    root = "cobra-helpers"
    assert tree(commands) == [
        (root, None, "cmd/root.go:10:16", "Parents through helpers", None, []),
        ("inline", root, "cmd/root.go:16:14", "Built by a function literal called inline", None, []),  # func(){}()
        ("show", root, "cmd/root.go:19:14", "Show things", None, []),
        ("all", "show", "cmd/root.go:55:15", "Show everything", None, []),  # range over []*cobra.Command{...}
        ("values", "show", "cmd/root.go:57:18", "Show the values", None, []),
        ("network", root, "cmd/network.go:5:19", "Manage networks", None, []),  # registry entry without Parent
        ("ls", "network", "cmd/network.go:7:23", "List networks", None, []),  # its Parent, entry by entry
        ("volume", root, "cmd/registry.go:14:18", "Manage volumes", None, []),
        ("prune", "volume", "cmd/volume_prune.go:5:17", "Remove unused volumes", None, []),
        ("close", root, "cmd/root.go:44:10", "Close an issue", f"{m}.runClose", []),  # addGroup(root, "...", c...)
        ("list", root, "cmd/root.go:48:10", "List issues", f"{m}.newListCmd$1", [])]
    by_name = {r["name"]: r for r in commands.to_json()}
    assert by_name[root]["children"] == ["inline", "show", "network", "volume", "close", "list"]
    assert by_name["list"]["fields"] == []  # cobra's own `x.parent = c` is not a field the program sets


def test_cobra_parents_through_help_groups_of_a_dependency_and_a_registry_of_constructors(capsys):
    # kubectl's templates.CommandGroups{...}.Add(root) attaches the groups' commands in a dependency's
    # body: read it as the framework's is; oc's catalog: `subCommands = append(subCommands, newMirror)`
    assert main(["commands", str(FIXTURES / "cobra-kubectl-groups"), "--format", "json", *OFFLINE]) == 0
    rows = json.loads(capsys.readouterr().out)
    m = "example.com/kubectl-groups/cmd"
    assert [(r["name"], r["parent"], r["position"], r["run"]) for r in rows] == [
        ("kubectl-groups", None, "cmd/root.go:11:11", None),
        ("catalog", "kubectl-groups", "cmd/catalog.go:5:19", None),
        ("mirror", "catalog", "cmd/catalog_mirror.go:10:10", None),
        ("delete", "kubectl-groups", "cmd/root.go:31:10", f"{m}.newDelete$1"),
        ("get", "kubectl-groups", "cmd/root.go:27:10", f"{m}.newGet$1"),
        (None, None, "cmd/root.go:43:12", None)]  # a copy, `Run: c.Run`, runs either: no run shown
    assert rows[-1]["name_expr"] == "c.Use"
    program = goanalyzer.load(FIXTURES / "cobra-kubectl-groups", goroot="none", use_cache=False)
    analysis = goanalyzer.analyse(program, reload=functools.partial(goanalyzer.with_bodies, program))
    assert [(c.name, c.parent is None) for c in analysis.commands.commands] == [
        ("kubectl-groups", True), ("catalog", False), ("mirror", False), ("delete", False), ("get", False),
        ("(computed)", True)]


def test_a_constructor_called_under_two_parents_lists_its_command_under_both(capsys):
    # docker: `container.NewAttachCommand` builds `container attach` and, called again, the legacy
    # top-level `attach`; cobra's SetHelpCommand makes `help` a child of the root
    rows = found("cobra-docker-aliases").to_json()
    assert [r["run"] for r in rows if r["run"]] == ["example.com/docker-aliases/cli/container.runRun"]  # RunE wins
    assert [(r["name"], r["parent"], r["position"], r["children"]) for r in rows] == [
        ("docker-aliases", None, "main.go:16:11", ["help", "container", "volume", "run", "ps", "attach"]),
        ("help", "docker-aliases", "main.go:13:20", []),
        ("container", "docker-aliases", "cli/container/cmd.go:8:10", ["attach", "run", "ls"]),
        ("attach", "container", "cli/container/cmd.go:15:10", []),  # listed once, under its first parent
        ("run", "container", "cli/container/cmd.go:20:10", []),
        ("ls", "container", "cli/container/cmd.go:38:22", []),  # `cmd := *NewPsCommand(); cmd.Use = "ls"`
        ("volume", "docker-aliases", "main.go:18:13", ["ls"]),
        ("ls", "volume", "main.go:19:21", []),
        ("ps", "docker-aliases", "cli/container/cmd.go:32:10", [])]
    assert rows[5]["description"] == "List containers"  # the copy keeps what it does not change
    assert main(["commands", str(FIXTURES / "cobra-docker-aliases"), *OFFLINE]) == 0
    assert [line.split("  [")[0] for line in capsys.readouterr().out.splitlines() if "[cobra]" in line] == [
        "docker-aliases", "  help", "  container", "    attach", "    run", "    ls", "  volume", "    ls",
        "  run", "  ps", "  attach"]


def test_the_walkthrough_names_commands_sharing_a_name_by_their_path(tmp_path):
    # docker's `checkpoint ls` and `volume ls`: one heading and one anchor each
    assert main(["walkthrough", str(FIXTURES / "cobra-docker-aliases"), "-o", str(tmp_path / "w"), *OFFLINE]) == 0
    page = (tmp_path / "w" / "commands.md").read_text()
    assert [line for line in page.splitlines() if line.startswith("### Command")] == [
        "### Command docker-aliases", "### Command help", "### Command container", "### Command attach",
        "### Command run", "### Command docker-aliases container ls", "### Command volume",
        "### Command docker-aliases volume ls", "### Command ps"]
    assert "- **Sub-commands:** [`docker-aliases volume ls`](#command-docker-aliases-volume-ls)" in page
    overview = next(line for line in (tmp_path / "w" / "index.md").read_text().splitlines()
                    if line.startswith("- **Commands:**"))
    assert overview == ("- **Commands:** `docker-aliases`, `help`, `container`, `attach`, `run`, `volume`, `ps`, "
                        "`docker-aliases container ls`, `docker-aliases volume ls`")


# --------------------------------------------------------------------------- kingpin

KINGPIN_TREE = [
    ("kingpin-app", None, "main.go:14:23", "A tiny kingpin program for goanalyzer's tests.", None, []),
    ("check", "kingpin-app", "main.go:17:25", "Check the configuration.", "example.com/kingpin-app.runCheck", []),
    ("user", "kingpin-app", "main.go:20:23", "Manage users.", None, []),
    ("add", "user", "main.go:21:24", "Add a user.", "example.com/kingpin-app.addUser", []),
    ("delete", "user", "main.go:22:24", "Delete a user.", "example.com/kingpin-app.deleteUser",
     ["example.com/kingpin-app.audit"]),  # `case "user delete":` calls both
    ("version", "kingpin-app", "main.go:26:13", "Print the version.", "example.com/kingpin-app.printVersion", [])]


def test_kingpin_chains_actions_and_the_parse_switch():
    commands = found("kingpin-app")
    assert tree(commands) == KINGPIN_TREE
    rows = {r["name"]: r for r in commands.to_json()}
    assert rows["kingpin-app"]["type"] == f"{KINGPIN}.Application" and rows["add"]["type"] == f"{KINGPIN}.CmdClause"
    assert (rows["check"]["built_in"], rows["version"]["built_in"]) == (
        "example.com/kingpin-app.init", "example.com/kingpin-app.main")
    assert {r["framework"] for r in rows.values()} == {"kingpin"}


def test_kingpin_without_its_module_is_the_same_tree_and_partial(tmp_path):
    program = goanalyzer.load(copy_without_modules("kingpin-app", tmp_path), goroot="none", use_cache=False)
    commands = find_commands(program, build_callgraph(program))
    assert tree(commands) == KINGPIN_TREE
    assert commands.missing_modules == [KINGPIN]


# --------------------------------------------------------------------------- mitchellh/cli

def test_mitchellh_factories_map_with_spaced_keys_as_subcommands():
    commands = found("mitchellh-app")
    m = "example.com/mitchellh-app"
    assert tree(commands) == [
        ("mitchellh-app", None, "main.go:14:17", "", None, []),
        ("agent", "mitchellh-app", "main.go:17:12", "Runs the agent", f"(*{m}.AgentCommand).Run", []),
        ("kv", "mitchellh-app", "main.go:20:13", "Interact with the key/value store", f"(*{m}/command/kv.Command).Run",
         []),
        ("get", "kv", "main.go:21:13", "Read a key/value entry", f"(*{m}/command/kv.GetCommand).Run", []),
        ("put", "kv", "main.go:22:13", "Write a key/value entry", f"(*{m}/command/kv.PutCommand).Run", [])]
    assert not commands.partial
    rows = {r["name"]: r for r in commands.to_json()}
    assert rows["kv"]["long"] == "Usage: mitchellh-app kv <subcommand> [options]\n\n  Reads and writes the key/value store."
    assert (rows["kv"]["type"], rows["kv"]["built_in"]) == (f"{m}/command/kv.Command", f"{m}.kvFactory")
    assert (rows["agent"]["built_in"], rows["mitchellh-app"]["type"]) == (f"{m}.main$1", "github.com/mitchellh/cli.CLI")


# --------------------------------------------------------------------------- missing module, names

def test_cobra_without_its_module_by_shape_with_folded_and_computed_names():
    commands = found("cobra-nomodule")
    m = "example.com/cobra-nomodule/cmd"
    root = "cobra-nomodule"
    assert tree(commands) == [
        (root, None, "cmd/root.go:17:16", "A cobra program without its module", f"{m}.init$1", []),
        ("completion", root, "cmd/root.go:23:22", "Generate the completion script", f"{m}.runCompletion", []),
        ("__complete", root, "cmd/root.go:29:27", "Request completions", f"{m}.init$2", []),
        (None, root, "cmd/root.go:35:18", "Named after the binary", None, [])]
    assert commands.missing_modules == ["github.com/spf13/cobra"]
    rows = commands.to_json()
    assert [r["name_expr"] for r in rows] == [None, None, None, "filepath.Base(os.Args[0])"]
    assert rows[0]["children"] == ["completion", "__complete", None]
    assert rows[3]["parent_position"] == "cmd/root.go:17:16"
    assert {r["type"] for r in rows} == {COBRA}


def test_commands_cli_warns_and_marks_json_partial_when_the_module_is_missing(capsys):
    assert main(["commands", str(FIXTURES / "cobra-nomodule"), "--format", "json", *OFFLINE]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert (data["partial"], data["missing_modules"]) == (True, ["github.com/spf13/cobra"])
    assert [c["name"] for c in data["commands"]] == ["cobra-nomodule", "completion", "__complete", None]
    assert captured.err.splitlines() == [
        "entry: example.com/cobra-nomodule.main (the main package at PATH)",
        "warning: framework module github.com/spf13/cobra not found: its commands are recognised by import path "
        "and field names, its own code is unseen; provide it with --gomodcache DIR, a module cache holding it, "
        "or `go mod vendor` (vendor/)"]
    assert main(["commands", str(FIXTURES / "cobra-nomodule"), "--format", "tree", *OFFLINE]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "cobra-nomodule  [cobra] A cobra program without its module"
    assert lines[6] == "  (computed)  [cobra] Named after the binary"
    assert main(["commands", str(FIXTURES / "ffcli-app"), "--format", "json", *OFFLINE]) == 0
    captured = capsys.readouterr()
    assert isinstance(json.loads(captured.out), list)  # complete: the plain list, no warning
    assert captured.err == "entry: example.com/ffcli-app.main (the main package at PATH)\n"


def test_startup_keeps_calls_into_the_missing_framework_as_steps(capsys):
    assert main(["startup", str(FIXTURES / "cobra-nomodule"), "--format", "text", *OFFLINE]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:5] == ["    → (*cobra.Command).AddCommand  cmd/root.go:44:20",
                          "    → (*cobra.Command).Execute  cmd/root.go:45:27",
                          "    ✖ exit os.Exit  [if err != nil]  (error path)  cmd/root.go:46:10"]


NAMES_MODULE = {
    "cli/cli.go": """package cli

// Command is shaped like a command.
type Command struct {
	Name  string
	Short string
	Run   func(args []string) error
}
""",
    "main.go": """package main

import (
	"fmt"
	"os"
	"strings"

	"example.com/m/cli"
)

const (
	prefix = "tool-"
	verb   = prefix + "run"
)

type ext struct{ name string }

func (e ext) Name() string { return e.name }

func main() {
	e := ext{"x"}
	commands := []*cli.Command{
		{Name: verb, Short: fmt.Sprintf("%s: %s", "run", "go " + "fast")},
		{Name: fmt.Sprintf("%s-%d", prefix, 2), Short: strings.TrimSpace("  padded  ")},
		{Name: e.Name(), Short: fmt.Sprintf("%d%%", 3)},
		{Name: "", Short: os.Args[0]},
		{Short: "no name at all"},
	}
	_ = commands
}
""",
}


def test_names_fold_constants_concatenation_and_sprintf_else_null_with_the_expression(tmp_path):
    program = goanalyzer.load(write_module(tmp_path, NAMES_MODULE), goroot="none", use_cache=False)
    rows = find_commands(program, build_callgraph(program)).to_json()
    assert [(r["name"], r["name_expr"], r["description"]) for r in rows] == [
        ("tool-run", None, "run: go fast"),
        (None, 'fmt.Sprintf("%s-%d", prefix, 2)', "padded"),  # `tool--` then a %d: the name is not known
        (None, "e.Name()", ""),  # "3%" is not whole either: %d of a literal is not folded
        (None, '""', ""),  # never "" as a name
        (None, "", "no name at all")]


FRAMEWORK_INTERNAL = {
    "go.mod": "module example.com/app\n\ngo 1.17\n\nrequire github.com/urfave/cli/v2 v2.3.0\n",
    "main.go": """package main

import (
	"os"

	"github.com/urfave/cli/v2"
)

func main() {
	app := &cli.App{Name: "app", Commands: []*cli.Command{{Name: "sub", Action: run}}}
	_ = app.Run(os.Args)
}

func run(*cli.Context) error { return nil }
""",
    "_gomodcache/github.com/urfave/cli/v2@v2.3.0/go.mod": "module github.com/urfave/cli/v2\n",
    "_gomodcache/github.com/urfave/cli/v2@v2.3.0/cli.go": """package cli

// App is the program.
type App struct {
	Name     string
	Action   func(*Context) error
	Commands []*Command
}

// Command is a command.
type Command struct {
	Name        string
	Action      func(*Context) error
	Subcommands []*Command
}

// Context is what an action gets.
type Context struct{ App *App }

// Run runs the app.
func (a *App) Run(args []string) error {
	for _, c := range a.Commands {
		if len(args) > 1 && c.Name == args[1] {
			return c.startApp(args[1:])
		}
	}
	return nil
}

// startApp runs a command's sub-commands as an App of their own, as urfave/cli does.
func (c *Command) startApp(args []string) error {
	app := &App{Name: c.Name, Action: c.Action, Commands: c.Subcommands}
	return app.Run(args)
}
""",
}


def test_literals_inside_the_framework_are_not_commands_of_the_program(tmp_path):
    root = tmp_path / "app"
    for name, text in FRAMEWORK_INTERNAL.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    program = goanalyzer.load(root, goroot="none", use_cache=False, into=("github.com/urfave/cli/v2",))
    rows = find_commands(program, build_callgraph(program)).to_json()
    assert [(r["name"], r["parent"], r["position"]) for r in rows] == [
        ("app", None, "main.go:10:10"), ("sub", "app", "main.go:10:56")]  # not startApp's `&App{Name: c.Name}`


def test_mitchellh_without_its_module_is_the_same_tree_and_partial(tmp_path):
    program = goanalyzer.load(copy_without_modules("mitchellh-app", tmp_path), goroot="none", use_cache=False)
    commands = find_commands(program, build_callgraph(program))
    assert tree(commands) == tree(found("mitchellh-app"))
    assert commands.missing_modules == ["github.com/mitchellh/cli"]


# --------------------------------------------------------------------------- patterns of real CLIs (issue 13 item 5)

KINGPIN_V2 = "github.com/alecthomas/kingpin/v2"
KINGPIN_V2_TOOL = "example.com/kingpin-v2-tool"


def test_kingpin_app_built_through_a_chain_and_dispatched_on_a_parse_variable():
    """promtool's shape: `kingpin.New(...).UsageWriter(w)` is the root, the switch is on a local
    holding `kingpin.MustParse(app.Parse(...))`, `exitCode(run(...))` runs `run`, and a framework
    method passed along (`writeDocs(app.Model())`) is not a run."""
    commands = found("kingpin-v2-tool", into=(KINGPIN_V2,))
    m = KINGPIN_V2_TOOL
    assert [(r["name"], r["parent_position"], r["position"], r["description"], r["run"], r["run_calls"])
            for r in commands.to_json()] == [
        (None, None, "main.go:16:20", "Tools for a small store.", None, []),
        ("check", "main.go:16:20", "main.go:19:25", "Check things.", None, []),
        ("config", "main.go:19:25", "main.go:20:36", "Check the configuration files.", f"{m}.checkConfig", []),
        ("healthy", "main.go:19:25", "main.go:22:36", "Check that the server is healthy.", f"{m}.checkHealth",
         [f"{m}.exitCode"]),
        ("db", "main.go:16:20", "main.go:24:22", "Work with the database.", None, []),
        ("dump", "main.go:24:22", "main.go:25:28", "Dump the samples.", f"{m}.dump", [f"{m}.exitCode"]),
        ("write-documentation", "main.go:16:20", "main.go:28:23", "Write the documentation.", f"{m}.writeDocs",
         [f"{m}.exitCode"])]
    rows = commands.to_json()
    assert (rows[0]["name_expr"], rows[0]["type"]) == ("filepath.Base(os.Args[0])", f"{KINGPIN_V2}.Application")
    assert not commands.partial


def test_kingpin_v2_without_its_module_is_the_same_tree_and_partial(tmp_path):
    program = goanalyzer.load(copy_without_modules("kingpin-v2-tool", tmp_path), goroot="none", use_cache=False)
    commands = find_commands(program, build_callgraph(program))
    assert tree(commands) == tree(found("kingpin-v2-tool", into=(KINGPIN_V2,)))
    assert commands.missing_modules == [KINGPIN_V2]


def test_cobra_parent_held_by_value_adopts_inline_children():
    """gh's `extension` shape: `extCmd := cobra.Command{...}; extCmd.AddCommand(func() *cobra.Command
    {...}(), &cobra.Command{... Run ranges over values ...})`."""
    m = "example.com/cobra-value-parent"
    assert tree(found("cobra-value-parent")) == [
        ("cobra-value-parent", None, "main.go:55:11", "A parent held by value", None, []),
        ("plugin", "cobra-value-parent", "main.go:19:15", "Manage plugins", None, []),
        ("search", "plugin", "main.go:26:12", "Search plugins", f"{m}.newPluginCmd$1$1", [f"{m}.search"]),
        ("list", "plugin", "main.go:36:4", "List installed plugins", f"{m}.newPluginCmd$2",
         [f"({m}.plugin).Name", f"{m}.installed"])]


HEREDOC_MODULE = {
    "cli/cli.go": "package cli\n\n// Command is shaped like cobra's.\ntype Command struct {\n\tUse   string\n"
                  "\tShort string\n\tLong  string\n\tRun   func(args []string) error\n}\n",
    "main.go": (
        "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/m/cli\"\n\t\"github.com/MakeNowJust/heredoc\"\n)\n\n"
        "const tool = \"gh\"\n\n"
        "var commands = []*cli.Command{\n"
        "\t{Use: fmt.Sprintf(\"%[1]s-%[1]s <arg>\", tool), Short: fmt.Sprintf(\"%[2]s then %[1]s, %s\", \"one\", \"two\"),\n"
        "\t\tLong: heredoc.Docf(`\n\t\t\tRun %[1]sgh ext%[1]s.\n\n\t\t\t  Indented example.\n\t\t`, \"`\")},\n"
        "\t{Use: \"plain\", Long: heredoc.Doc(`\n\t\tFirst line.\n\t\tSecond line.\n\t`)},\n"
        "\t{Use: \"width\", Short: fmt.Sprintf(\"%5s|\", \"x\"), Long: heredoc.Doc(fmt.Sprint(\"not folded\"))},\n"
        "}\n"),
}


def test_descriptions_fold_heredoc_and_explicit_sprintf_argument_indexes(tmp_path):
    """gh's long texts are `heredoc.Docf(`...%[1]s...`, "`")`: the common indentation goes, `%[n]s`
    takes argument n and the next verb n+1; a width (`%5s`) or an unknown argument is not folded."""
    program = goanalyzer.load(write_module(tmp_path, HEREDOC_MODULE), goroot="none", use_cache=False)
    rows = find_commands(program, build_callgraph(program)).to_json()
    assert [(r["name"], r["description"], r["long"]) for r in rows] == [
        ("gh-gh", "two then one, two", "Run `gh ext`.\n\n  Indented example.\n"),
        ("plain", "", "First line.\nSecond line.\n"),
        ("width", "", "")]


KINGPIN_PARSE_MODULE = {
    "cmd/define/main.go": """package main

import (
	"os"

	"gopkg.in/alecthomas/kingpin.v2"
)

func main() {
	app := kingpin.New("define", "Parse result and error defined together.")
	serve := app.Command("serve", "Serve.")
	command, err := app.Parse(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	switch command {
	case serve.FullCommand():
		runServe()
	}
}

func runServe() {}
""",
    "cmd/assign/main.go": """package main

import (
	"os"

	"gopkg.in/alecthomas/kingpin.v2"
)

func main() {
	app := kingpin.New("assign", "Parse result assigned to a declared variable.")
	app.Command("other", "Not dispatched.")
	sync := app.Command("sync", "Sync.")
	var command string
	var err error
	command, err = app.Parse(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	switch command {
	case sync.FullCommand():
		runSync()
	}
}

func runSync() {}
""",
}


def test_kingpin_dispatch_on_the_command_of_a_two_value_parse(tmp_path):
    """`command, err := app.Parse(...)` (or `=`) then `switch command { case x.FullCommand(): ... }`."""
    program = goanalyzer.load(write_module(tmp_path, KINGPIN_PARSE_MODULE), goroot="none", use_cache=False)
    rows = find_commands(program, build_callgraph(program)).to_json()
    assert [(r["name"], r["parent"], r["run"]) for r in rows] == [
        ("assign", None, None), ("other", "assign", None), ("sync", "assign", "example.com/m/cmd/assign.runSync"),
        ("define", None, None), ("serve", "define", "example.com/m/cmd/define.runServe")]


# --------------------------------------------------------------------------- tailscale, gopass and serf shapes

def test_ffcli_helpers_shared_by_two_parents_return_each_call_its_own_arguments():
    """tailscale's shape: root and `debug` both list their children through `nonNil(...)` (a
    variadic helper over a generic `keep(cmds[:0], cmds)`), and optional commands come from
    func-typed package variables set in init, called through `orNil(f)` / `call(f)`."""
    m = "example.com/ffcli-call-context"
    assert tree(found("ffcli-call-context")) == [
        ("ffcli-call-context", None, "main.go:34:11", "Children through helpers shared by two parents", None, []),
        ("up", "ffcli-call-context", "main.go:31:14", "Connect", f"{m}.up", []),
        ("debug", "ffcli-call-context", "main.go:47:10", "Debugging tools", None, []),
        ("stacks", "debug", "main.go:51:4", "Print the goroutine stacks", None, []),
        ("trace", "debug", "main.go:28:10", "Trace requests", None, []),
        ("web", "ffcli-call-context", "main.go:24:10", "Serve the web interface", None, [])]


def test_urfave_v2_flags_with_actions_are_not_commands_and_methods_return_commands():
    """gopass's shape: `cli.NewApp()`, `app.Commands = commands(s)` appending what a method returns
    and what backends return through an interface (`c.Commands()` for each `b.(commander)`), and
    `&cli.BoolFlag{Name: ..., Action: ...}` flags (v2.27 flags have actions) that are no commands."""
    m = "example.com/urfave-v2-flags"
    commands = found("urfave-v2-flags", into=("github.com/urfave/cli/v2",))
    assert [(r["name"], r["parent"], r["position"], r["description"], r["run"]) for r in commands.to_json()] == [
        ("vault", None, "github.com/urfave/cli/v2@v2.27.7/cli.go:48:10", "A new cli application", None),
        ("show", "vault", "main.go:26:3", "Show a secret", f"(*{m}.store).show"),
        ("sync", "vault", "main.go:46:24", "Sync the store", f"(*{m}.store).sync"),
        ("git", "vault", "main.go:65:24", "Run git in the store", None)]


def test_mitchellh_registry_filled_in_init_and_the_cli_named_by_its_help_function():
    """serf's shape: `var Commands map[string]cli.CommandFactory` filled in init, and a `cli.CLI`
    without a Name whose `HelpFunc: cli.BasicHelpFunc("registry")` names the app."""
    m = "example.com/mitchellh-registry/command"
    rows = found("mitchellh-registry").to_json()
    assert [(r["name"], r["name_expr"], r["parent"], r["position"], r["description"], r["long"], r["run"])
            for r in rows] == [
        ("registry", None, None, "main.go:12:8", "", "", None),
        ("join", None, "registry", "commands.go:14:11", "Join a cluster", "Usage: registry join ADDRESS",
         f"(*{m}.JoinCommand).Run"),
        ("keys", None, "registry", "commands.go:17:11", "List the keys", "Usage: registry keys",
         f"(*{m}.KeysCommand).Run")]


def test_cobra_group_helper_pairs_each_calls_parent_with_its_commands():
    """gh's `cmdutil.AddGroup(cmd, title, cmds...)` calls `parent.AddCommand(c)` for each of its
    commands; issue and pull both call it: each gets its own, not the first parent all of them."""
    m = "example.com/cobra-group-helper"
    assert tree(found("cobra-group-helper")) == [
        ("cobra-group-helper", None, "main.go:14:11", "Groups through a helper", None, []),
        ("issue", "cobra-group-helper", "main.go:20:10", "Work with issues", None, []),
        ("list", "issue", "main.go:21:68", "List issues", None, []),
        ("create", "issue", "main.go:33:10", "Create one", f"{m}.newCreateCmd$1", [f"{m}.create"]),
        ("pull", "cobra-group-helper", "main.go:26:10", "Work with pull requests", None, []),
        ("status", "pull", "main.go:27:45", "Show the status", None, []),
        ("merge", "pull", "main.go:28:46", "Merge a pull request", None, [])]


def test_urfave_new_app_without_its_module_is_a_command_at_the_call(tmp_path):
    """Without urfave/cli's module, `app := cli.NewApp()` stands for the App it builds: the fields
    set on `app` and the commands attached to it count; only NewApp's own defaults are unseen."""
    program = goanalyzer.load(copy_without_modules("urfave-v2-flags", tmp_path), goroot="none", use_cache=False)
    commands = find_commands(program, build_callgraph(program))
    m = "example.com/urfave-v2-flags"
    assert [(r["name"], r["parent"], r["position"], r["description"], r["built_in"])
            for r in commands.to_json()] == [
        ("vault", None, "main.go:13:19", "", "github.com/urfave/cli/v2.NewApp"),
        ("show", "vault", "main.go:26:3", "Show a secret", f"{m}.commands"),
        ("sync", "vault", "main.go:46:24", "Sync the store", f"(*{m}.store).moreCommands"),
        ("git", "vault", "main.go:65:24", "Run git in the store", f"({m}.gitBackend).Commands")]
    assert commands.missing_modules == ["github.com/urfave/cli/v2"]
