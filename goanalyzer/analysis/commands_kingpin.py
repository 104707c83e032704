"""kingpin's commands (gopkg.in/alecthomas/kingpin.v2, github.com/alecthomas/kingpin/v2): not struct
literals but method chains, read from syntax in the program's own files.

- `app := kingpin.New("chat", "help")` is the root; `kingpin.Command(...)` adds to the default app.
- `register := app.Command("register", "help")` is a child of what it is called on (a variable
  bound to a command, a chain, or kingpin's default app), `register.Command("nick", ...)` a
  grand-child; `.Action(run)` anywhere in the chain, or `register.Action(run)` later, is the run.
- `switch kingpin.MustParse(app.Parse(os.Args[1:])) { case register.FullCommand(): ... }`, or a
  switch on a local holding that result (`command, err := app.Parse(...)` too), is the run
  dispatch: a case names its command (`x.FullCommand()`, or the full name as a string) and the
  program functions the case calls are its run (the first, a wrapper `checkErr(run())` after what
  it wraps) and its run calls.

Variables are followed by name (package-level ones across the package's files, then locals of
the function): a command stored elsewhere (a field, a map) and used from there is not followed.
"""

from __future__ import annotations

__all__ = ["kingpin_commands"]

from dataclasses import dataclass, field
from typing import Any

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.analysis.commands_frameworks import framework_of
from goanalyzer.analysis.commands_ir import FileBodies, FuncBody, iter_nodes
from goanalyzer.analysis.commands_model import COMPUTED, Command
from goanalyzer.analysis.names import Folder
from goanalyzer.model import FileFacts
from goanalyzer.program import Program
from goanalyzer.resolve.resolution import sites_of
from goanalyzer.resolve.values import ValueFlow
from goanalyzer.syntax.ir import expr_text

_DEFAULT_APP = "<default app>"


@dataclass(slots=True)
class _File:
    facts: FileFacts
    folder: Folder
    kingpin: set[str]
    """The names the file imports kingpin as."""
    package: str


@dataclass(slots=True)
class _Scan:
    program: Program
    cg: CallGraph
    commands: dict[str, Command] = field(default_factory=dict)
    package_vars: dict[tuple[str, str], Command] = field(default_factory=dict)
    dispatch: list[tuple[Command, list[Any], str, str]] = field(default_factory=list)
    """(command, case body, caller, file) of each `case x.FullCommand():`."""
    passed_at: dict[tuple[str, int, int], dict] | None = None
    """(file, line, col) of a static call -> what it passes (built on first use)."""
    closures: dict[int, str] = field(default_factory=dict)


def kingpin_commands(program: Program, cg: CallGraph, bodies: FileBodies) -> list[Command]:
    """The kingpin commands built in the program's own packages (see module doc)."""
    scan = _Scan(program, cg)
    files = []
    for package in program.root_packages():
        for facts in package.files:
            imports = program.imports(facts)
            names = {alias for alias, path in imports.items() if framework_of(path) == "kingpin"}
            if names:
                files.append(_File(facts, Folder(program, package.path, imports), names, package.path))
    if not files:
        return []
    for kfile in files:  # package-level vars first: functions of any file use them
        for spec in kfile.facts.values:
            if len(spec.values) == len(spec.names):
                for name, value in zip(spec.names, spec.values):
                    command = _chain(scan, kfile, value, {}, f"{kfile.package}.init")
                    if command is not None:
                        scan.package_vars[(kfile.package, name)] = command
    for kfile in files:
        for body in bodies.of(kfile.facts):
            if body.body[0] != "decls":
                _function(scan, kfile, body)
    for command, statements, caller, path in scan.dispatch:
        _dispatch_run(scan, command, statements, caller, path)
    return list(scan.commands.values())


def _function(scan: _Scan, kfile: _File, body: FuncBody) -> None:
    local: dict[str, Command] = {}
    parsed: set[str] = set()  # locals holding the parse result: `parsed := kingpin.MustParse(app.Parse(...))`
    for node in iter_nodes(body.body):
        tag = node[0]
        if tag in ("define", "var"):
            names, values = node[1], (node[2] if tag == "define" else node[3])
            for index, value in enumerate(values):
                command = _chain(scan, kfile, value, local, body.func)
                if command is not None and len(values) == len(names):
                    local[names[index]] = command
                if (len(values) == len(names) or len(values) == 1) and _parses(value, kfile):
                    parsed.add(names[index])  # `command, err := app.Parse(...)`: the first name
        elif tag == "assign" and node[2] == "=" and len(node[3]) == 1 and _parses(node[3][0], kfile):
            if node[1][0][0] == "id":
                parsed.add(node[1][0][1])
        elif tag == "assign" and node[2] == "=" and len(node[1]) == len(node[3]):
            for target, value in zip(node[1], node[3]):
                command = _chain(scan, kfile, value, local, body.func)
                if command is not None and target[0] == "id":
                    local[target[1]] = command
        elif tag == "expr":
            _chain(scan, kfile, node[1], local, body.func)
        elif tag == "switch" and node[2] is not None and (
                _parses(node[2], kfile) or node[2][0] == "id" and node[2][1] in parsed):
            for values, statements, _default in node[3]:
                for value in values:
                    command = _case_command(scan, kfile, value, local)
                    if command is not None:
                        scan.dispatch.append((command, statements, body.func, kfile.facts.path))


def _lookup(scan: _Scan, kfile: _File, name: str, local: dict[str, Command]) -> Command | None:
    return local.get(name) or scan.package_vars.get((kfile.package, name))


def _chain(scan: _Scan, kfile: _File, e: Any, local: dict[str, Command], caller: str) -> Command | _Default | None:
    """The command a chain evaluates to (creating the commands it declares), or None."""
    if e[0] == "id":
        return _lookup(scan, kfile, e[1], local)
    if e[0] != "call" or e[1][0] != "sel":
        return None
    receiver_expr, method, args = e[1][1], e[1][2], e[2]
    if receiver_expr[0] == "id" and receiver_expr[1] in kfile.kingpin and _lookup(
            scan, kfile, receiver_expr[1], local) is None:
        receiver: Command | _Default | None = _DEFAULT
        if method == "New" and args:
            return _declare(scan, kfile, e, None, caller, "Application")
    else:
        receiver = _chain(scan, kfile, receiver_expr, local, caller)
    if receiver is None:
        return None
    if method == "Command" and args:
        return _declare(scan, kfile, e, receiver if isinstance(receiver, Command) else None, caller, "CmdClause")
    if isinstance(receiver, _Default):
        return None
    if method == "Action" and args and receiver.run is None:
        receiver.run = _func(scan, kfile, e, args[0], caller)
    return receiver if method in _CHAINABLE else None


class _Default:
    """kingpin's package-level functions act on its default application."""


_DEFAULT = _Default()
_CHAINABLE = {"Action", "PreAction", "Alias", "Hidden", "Default", "Help", "HelpLong", "Author", "Version",
              "UsageTemplate", "UsageWriter", "UsageFuncs", "Validate", "Terminate", "Writer", "ErrorWriter",
              "DefaultEnvars", "Interspersed"}
"""The methods of Application and CmdClause that return their receiver (`kingpin.New(...).UsageWriter(w)`)."""


def _declare(scan: _Scan, kfile: _File, call: tuple, parent: Command | None, caller: str, kind: str) -> Command:
    key = f"{kfile.facts.path}:{call[3]}:{call[4]}"
    existing = scan.commands.get(key)
    if existing is not None:
        return existing
    args = call[2]
    name = kfile.folder.text(args[0])
    help_text = kfile.folder.text(args[1]) if len(args) > 1 else None
    package = kfile.folder.imports.get(next(iter(kfile.kingpin)), "")
    command = Command(
        id=key, name=name or COMPUTED, name_expr=None if name else expr_text(args[0], 200),
        description=help_text or "", long="", type=f"{package}.{kind}", framework="kingpin",
        path=scan.program.display_path(kfile.facts.path), line=call[3], col=call[4], built_in=caller)
    if parent is not None:
        command.parent = parent.id
        parent.children.append(key)
    scan.commands[key] = command
    return command


def _func(scan: _Scan, kfile: _File, call: tuple, arg: Any, caller: str) -> str | None:
    """What `.Action(arg)` runs: the functions the sites walk saw passed there, else by syntax."""
    sites = sites_of(scan.program)
    if scan.passed_at is None:
        scan.passed_at = {(path, line, col): passed for (_caller, path, line, col), passed in sites.passed.items()}
        scan.closures = {id(c.lit): name for name, c in sites.closures.items()}
    passed = scan.passed_at.get((kfile.facts.path, call[3], call[4]), {})
    found = sorted(ValueFlow(sites).functions(passed.get(0, ())))
    if found:
        return found[0]
    if arg[0] == "funclit":
        return scan.closures.get(id(arg[1]))
    if arg[0] == "id":
        name = f"{kfile.package}.{arg[1]}"
        return name if name in scan.program.funcs else None
    return None


def _parses(e: Any, kfile: _File) -> bool:
    """Whether a switch's tag is kingpin's parse result (`kingpin.MustParse(app.Parse(...))`, `app.Parse(...)`)."""
    return any(n[0] == "call" and n[1][0] == "sel" and n[1][2] in ("Parse", "MustParse") for n in iter_nodes(e))


def _case_command(scan: _Scan, kfile: _File, value: Any, local: dict[str, Command]) -> Command | None:
    if value[0] == "call" and value[1][0] == "sel" and value[1][2] == "FullCommand" and value[1][1][0] == "id":
        return _lookup(scan, kfile, value[1][1][1], local)
    full = kfile.folder.text(value)
    if full is None:
        return None
    for command in scan.commands.values():
        if _full_name(scan, command) == full:
            return command
    return None


def _full_name(scan: _Scan, command: Command) -> str:
    words = []
    node: Command | None = command
    while node is not None and node.type.endswith(".CmdClause"):
        words.append(node.name)
        node = scan.commands.get(node.parent) if node.parent else None
    return " ".join(reversed(words))


def _dispatch_run(scan: _Scan, command: Command, statements: list[Any], caller: str, path: str) -> None:
    """A case of the parse switch: the program functions it calls (not the standard library's nor
    a framework's, `app.Model()`), the first in source order as the run, except a wrapper of
    another call's result (`checkErr(runDump(...))` runs runDump)."""
    sites = sites_of(scan.program)
    if sites is None:
        return
    calls = [n for s in statements for n in iter_nodes(s) if n[0] == "call"]
    positions = {(n[3], n[4]) for n in calls}
    funcs = scan.program.funcs
    program_calls = {(c.line, c.col): c.callee for c in sites.calls
                     if c.file == path and (c.line, c.col) in positions and c.callee in funcs
                     and not scan.program.is_std(funcs[c.callee].package)
                     and framework_of(funcs[c.callee].package) is None}
    wrappers = {(n[3], n[4]) for n in calls
                if len(n[2]) == 1 and n[2][0][0] == "call" and (n[2][0][3], n[2][0][4]) in program_calls}
    called = sorted((at in wrappers, *at, callee) for at, callee in program_calls.items())
    ordered = list(dict.fromkeys(callee for _wrapper, _line, _col, callee in called))
    if ordered and command.run is None:
        command.run = ordered[0]
        command.run_calls = ordered[1:]
