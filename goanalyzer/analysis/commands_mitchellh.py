"""mitchellh/cli's commands: the `Commands` map of factories, read from syntax in the program's own
files, with what each factory returns from the sites walk.

- A map literal of type `map[string]cli.CommandFactory` (as `CLI{Commands: ...}`, `c.Commands = ...`
  or a variable), and `m["key"] = factory` into a variable holding one: each key is a command.
- A key with spaces ("a b") is a sub-command of the longest other key it starts with; top-level
  keys are children of the CLI (`cli.NewCLI("app", ...)` or a `cli.CLI{Name: ...}` literal, named
  after `HelpFunc: cli.BasicHelpFunc("app")` when it has no Name) when the program builds exactly one.
- A factory (a function literal or a named function) returns the command value: its type's `Run`
  method is the run, its `Synopsis` the description and its `Help` the long text (each folded
  from the method's `return`, `strings.TrimSpace(helpText)` too).
"""

from __future__ import annotations

__all__ = ["mitchellh_commands"]

from typing import Any

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.analysis.commands_frameworks import framework_of
from goanalyzer.analysis.commands_ir import FileBodies, iter_nodes
from goanalyzer.analysis.commands_model import COMPUTED, Command
from goanalyzer.analysis.names import Folder
from goanalyzer.program import Program
from goanalyzer.resolve.resolution import sites_of
from goanalyzer.resolve.sites import Sites
from goanalyzer.resolve.values import ValueFlow
from goanalyzer.syntax.ir import expr_text


def mitchellh_commands(program: Program, cg: CallGraph, bodies: FileBodies) -> list[Command]:
    """The mitchellh/cli commands of the program's own packages (see module doc)."""
    sites = sites_of(program)
    if sites is None:
        return []
    closures = {id(c.lit): name for name, c in sites.closures.items()}
    entries: list[tuple[Any, Any, str, str, Folder]] = []  # key, factory, caller, file, folder
    roots: list[Command] = []
    for package in program.root_packages():
        for facts in package.files:
            imports = program.imports(facts)
            names = {alias for alias, path in imports.items() if framework_of(path) == "mitchellh"}
            if not names:
                continue
            folder = Folder(program, package.path, imports)
            for body in bodies.of(facts):
                maps: set[str] = set()
                for node in iter_nodes(body.body):
                    _visit(node, names, folder, maps, entries, roots, body.func, facts.path, program)
    if not entries:
        return []
    root = roots[0] if len(roots) == 1 else None
    out: list[Command] = [root] if root is not None else []
    by_key: dict[str, Command] = {}
    for key, factory, caller, path, folder in entries:
        command = _command(program, sites, closures, key, factory, caller, path, folder)
        if command is not None and command.id not in {c.id for c in out}:
            out.append(command)
            if command.name_expr is None:
                by_key.setdefault(command.name, command)
    keys = {c.id: k for k, c in by_key.items()}
    for command in out:
        if command is root:
            continue
        parent = _parent(keys[command.id], by_key) if command.id in keys else None
        if parent is not None:  # "kv get" under "kv" is the `get` command, as in the other frameworks
            command.name = keys[command.id][len(keys[parent.id]):].strip()
        parent = parent or root
        if parent is not None:
            command.parent = parent.id
            parent.children.append(command.id)
    return out


def _visit(node: tuple, names: set[str], folder: Folder, maps: set[str], entries: list, roots: list[Command],
           caller: str, path: str, program: Program) -> None:
    tag = node[0]
    if tag == "lit" and _is_factory_map(node[1], names):
        entries.extend((k, v, caller, path, folder) for k, v in node[2] if k is not None)
    elif tag in ("define", "var"):
        values = node[2] if tag == "define" else node[3]
        maps.update(n for n, v in zip(node[1], values) if v[0] == "lit" and _is_factory_map(v[1], names))
        if tag == "var" and node[2] is not None and _is_factory_map(node[2], names):
            maps.update(node[1])
    elif tag == "assign" and node[2] == "=" and len(node[1]) == len(node[3]):
        for target, value in zip(node[1], node[3]):
            if target[0] == "index" and target[1][0] == "id" and target[1][1] in maps and target[2]:
                entries.append((target[2][0], value, caller, path, folder))
    root = _cli_root(node, names, folder, caller, path, program)
    if root is not None:
        roots.append(root)


def _is_factory_map(t: Any, names: set[str]) -> bool:
    return (t is not None and t[0] == "map" and t[1] == ("name", "string") and t[2][0] == "qual"
            and t[2][1] in names and t[2][2] == "CommandFactory")


def _cli_root(node: tuple, names: set[str], folder: Folder, caller: str, path: str,
              program: Program) -> Command | None:
    """The program's CLI: `cli.NewCLI("app", "1.0")` or `cli.CLI{Name: "app", ...}`."""
    name_expr = None
    if node[0] == "call" and node[1][0] == "sel" and node[1][1][0] == "id" and node[1][1][1] in names \
            and node[1][2] == "NewCLI" and node[2]:
        name_expr, kind = node[2][0], "CLI"
    elif node[0] == "lit" and node[1] is not None and node[1][0] == "qual" and node[1][1] in names \
            and node[1][2] == "CLI":
        fields = {k[1]: v for k, v in node[2] if k is not None and k[0] == "id"}
        name_expr = fields.get("Name") or _help_func_app(fields.get("HelpFunc"), names)
        kind = "CLI"
    else:
        return None
    name = folder.text(name_expr) if name_expr is not None else None
    package = folder.imports[node[1][1][1] if node[0] == "call" else node[1][1]]
    return Command(id=f"{path}:{node[3]}:{node[4]}", name=name or COMPUTED,
                   name_expr=None if name else (expr_text(name_expr, 200) if name_expr is not None else ""),
                   description="", long="", type=f"{package}.{kind}", framework="mitchellh",
                   path=program.display_path(path), line=node[3], col=node[4], built_in=caller)


def _help_func_app(value: Any, names: set[str]) -> Any:
    """The app name given to `cli.BasicHelpFunc("serf")`, the name help shows when the CLI has no Name."""
    if value is not None and value[0] == "call" and value[1][0] == "sel" and value[1][1][0] == "id" \
            and value[1][1][1] in names and value[1][2] == "BasicHelpFunc" and len(value[2]) == 1:
        return value[2][0]
    return None


def _command(program: Program, sites: Sites, closures: dict[int, str], key: Any, factory: Any, caller: str,
             path: str, folder: Folder) -> Command | None:
    name = folder.text(key)
    if factory[0] == "funclit":
        func, line, col = closures.get(id(factory[1])), factory[1].line, factory[1].col
    elif factory[0] in ("id", "sel"):
        func, line, col = _named_func(program, folder, factory), factory[-2], factory[-1]
    else:
        return None
    types = sorted({sites.literals[i].type for i in _returned(sites, func) if i in sites.literals}) if func else []
    command_type = types[0] if types else None
    methods = program.methods.get(command_type, {}) if command_type else {}
    run = methods["Run"].name if "Run" in methods else None
    return Command(
        id=f"{path}:{line}:{col}", name=name or COMPUTED, name_expr=None if name else expr_text(key, 200),
        description=_returned_text(program, methods.get("Synopsis")), long=_returned_text(program, methods.get("Help")),
        type=f"{command_type[0]}.{command_type[1]}" if command_type else "", framework="mitchellh",
        path=program.display_path(path), line=line, col=col, built_in=func or caller, run=run)


def _named_func(program: Program, folder: Folder, e: Any) -> str | None:
    if e[0] == "id":
        name = f"{folder.package}.{e[1]}"
    elif e[1][0] == "id" and e[1][1] in folder.imports:
        name = f"{folder.imports[e[1][1]]}.{e[2]}"
    else:
        return None
    return name if name in program.funcs else None


def _returned(sites: Sites, func: str) -> list[str]:
    return ValueFlow(sites).literal_ids(sites.returned_literals.get(func, set()))


def _returned_text(program: Program, info: Any) -> str:
    """The folded string a method returns (`return "Runs the agent"`, `return strings.TrimSpace(helpText)`)."""
    if info is None or info.decl.body is None:
        return ""
    folder = Folder(program, info.package, program.imports(info.file))
    for node in iter_nodes(info.body):
        if node[0] == "return" and len(node[1]) == 1:
            text = folder.text(node[1][0])
            if text is not None:
                return text
    return ""


def _parent(name: str, by_key: dict[str, Command]) -> Command | None:
    """The longest other key that `name`'s words start with ("a b c" -> "a b", else "a")."""
    words = name.split()
    for size in range(len(words) - 1, 0, -1):
        parent = by_key.get(" ".join(words[:size]))
        if parent is not None:
            return parent
    return None
