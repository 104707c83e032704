import json
import re
from pathlib import Path

from conftest import PAERSER, T, TRAEFIK, load_fixture

from goanalyzer.cli.main import main

COMMAND_FIELDS = [
    ("Name", "string"), ("Description", "string"), ("Configuration", "interface{}"),
    ("Resources", "[]ResourceLoader"), ("Run", "func([]string) error"),
    ("CustomHelpFunc", "func(io.Writer, *Command) error"), ("Hidden", "bool"), ("AllowArg", "bool"),
    ("subCommands", "[]*Command"),
]


def symbols_json(capsys, *args):
    assert main(["symbols", str(TRAEFIK), "--format", "json", "--goroot", "none", "--no-cache", "-q", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_paerser_command_has_its_nine_fields_in_order(capsys):
    rows = symbols_json(capsys, "--package", f"{PAERSER}/cli")
    command = next(r for r in rows if r["name"] == f"{PAERSER}/cli.Command")
    assert command["kind"] == "struct"
    assert command["position"] == "github.com/traefik/paerser@v0.1.4/cli/commands.go:13:6"
    assert [(f["name"], f["type"]) for f in command["fields"]] == COMMAND_FIELDS
    assert {r["name"] for r in rows if r["kind"] in ("func", "method")} == {
        f"(*{PAERSER}/cli.Command).AddCommand", f"(*{PAERSER}/cli.Command).PrintHelp",
        f"(*{PAERSER}/cli.FlagLoader).Load", f"({PAERSER}/cli.Finder).Find", f"({PAERSER}/cli.Finder).getPaths",
        f"{PAERSER}/cli.Execute", f"{PAERSER}/cli.PrintHelp", f"{PAERSER}/cli.contains", f"{PAERSER}/cli.execute",
        f"{PAERSER}/cli.isFlag", f"{PAERSER}/cli.isHelp", f"{PAERSER}/cli.run"}
    loader = next(r for r in rows if r["name"] == f"{PAERSER}/cli.ResourceLoader")
    assert (loader["kind"], loader["methods"]) == ("interface", ["Load"])


def test_startup_path_functions_of_the_module_are_listed(capsys):
    names = {r["name"] for r in symbols_json(capsys, "--kind", "func", "--kind", "method")}
    assert {f"{T}/cmd/traefik.main", f"{T}/cmd/traefik.runCmd", f"{T}/cmd/traefik.setupServer",
            f"{T}/cmd/traefik.configureLogging", f"{T}/cmd/healthcheck.NewCmd", f"{T}/cmd/version.NewCmd",
            f"{T}/cmd.NewTraefikConfiguration", f"(*{T}/pkg/cli.FileLoader).Load",
            f"(*{T}/pkg/config/static.Configuration).SetEffectiveConfiguration",
            f"(*{T}/pkg/server.Server).Start", f"{T}/pkg/server.NewServer"} <= names
    assert all(n.startswith((T, f"(*{T}", f"({T}")) for n in names)  # roots only without --package


def test_every_func_declaration_is_found():
    """An independent count: `func` at the start of a line in every file the build includes."""
    program = load_fixture("traefik-2.5.2")
    files = [f.path for p in program.packages.values() for f in p.files]
    expected = sum(len(re.findall(r"^func\b", Path(f).read_text(), re.M)) for f in files)
    assert len(program.funcs) == expected == 125
