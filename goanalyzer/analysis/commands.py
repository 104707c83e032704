"""Find CLI commands by shape: a struct with a run field, a name-like string field, and children
through a slice of command structs or an AddCommand-like method. Works for paerser, cobra,
urfave/cli v1 and v2, ffcli and hand-rolled command structs alike; the framework name is only a
label. kingpin's chains and mitchellh/cli's factory maps are read by their own modules
(commands_kingpin, commands_mitchellh). docs/commands.md has the table.

A run field is func-typed (`Run func([]string) error`), or an empty interface holding a func
(urfave/cli v1's `Action interface{}`) when the struct also has children: an `interface{}` field
alone says too little. In a known framework's module only its command types count (urfave/cli
v2's flags have a Name and an Action too). When a framework's module is missing, its command types
are known by import path and field names (commands_frameworks.syntax_shape) and the walk keeps
their literals; a call of its constructor (urfave/cli's `cli.NewApp()`) stands for the command it
builds.

Parents come from the resolver's literal flow (resolve/values.ValueFlow): nesting, `p.Commands =
...`, and `p.AddCommand(c...)` wherever p and c come from: helpers' parameters (variadic too),
returns (of functions, methods and interface methods; a helper's read with one call's arguments),
function values called, inline function literals, slices, `append`, range loops, package registries
(a registry entry's Parent and Command pair entry by entry; a helper's `parent.AddCommand(c)` call
by call). Names are folded (names.py); one that is not
known before run time is `COMPUTED`, with its expression in `name_expr`.
"""

from __future__ import annotations

__all__ = ["StructView", "find_commands", "struct_view"]

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Any

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.analysis.commands_frameworks import CONSTRUCTORS, framework_of, missing_framework_modules, syntax_shape
from goanalyzer.analysis.commands_kingpin import kingpin_commands
from goanalyzer.analysis.commands_mitchellh import mitchellh_commands
from goanalyzer.analysis.commands_ir import FileBodies, literal_index
from goanalyzer.analysis.commands_model import COMPUTED, Command, CommandField, CommandSet
from goanalyzer.analysis.names import Folded, Folder, command_word_of, go_string
from goanalyzer.model import TypeKind
from goanalyzer.naming import package_in
from goanalyzer.program import Program
from goanalyzer.resolve.resolution import sites_of
from goanalyzer.resolve.refs import FieldLiteralRef, GlobalRef, ParamLiteralRef, ReturnedLiteralRef
from goanalyzer.resolve.sites import CallSite, FieldValue, Link, LiteralFact, Sites
from goanalyzer.resolve.types import Types
from goanalyzer.resolve.interface import InterfaceResolver
from goanalyzer.resolve.values import ValueFlow

NAME_FIELDS = ("Name", "Use", "UsageLine")
SHORT_FIELDS = ("Short", "ShortHelp", "Usage", "ShortDescription", "Description")
"""In order of preference: ffcli's one-line text is ShortHelp (ff v4's Usage is the usage line),
urfave/cli's is Usage (its Description is the long text), paerser has only Description."""
LONG_FIELDS = ("Long", "LongHelp", "LongDescription", "Description")
RUN_FIELDS = ("RunE", "Run", "Action", "Exec", "Execute", "Handler")
"""The fields a command runs, the first one set winning: cobra runs RunE when both are set."""


@dataclass(slots=True)
class CommandShape:
    """How one struct type carries a command."""

    type: tuple[str, str]
    name_field: str
    run_field: str
    child_fields: list[str] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    """All the struct's field names (what an assignment `x.F = v` may set)."""


def command_shapes(program: Program) -> dict[tuple[str, str], CommandShape]:
    """Struct types shaped like commands (see module doc)."""
    types = Types(program)
    strict: dict[tuple[str, str], CommandShape] = {}
    loose: dict[tuple[str, str], CommandShape] = {}
    elements: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for key, info in program.types.items():
        decl = info.decl
        if decl.kind is not TypeKind.STRUCT or (framework_of(key[0]) is not None and syntax_shape(*key) is None):
            continue  # a known framework's other structs (urfave/cli v2's BoolFlag has Name and Action)
        names = {f.name: f for f in decl.fields}
        name_field = next((n for n in NAME_FIELDS if n in names and names[n].type_text == "string"), None)
        if name_field is None:
            continue
        scope = types.file_scope(info.file)

        def underlying(name: str) -> Any:
            return types.underlying(types.resolve(names[name].type, scope))

        runs = {n: underlying(n) for n in RUN_FIELDS if n in names}
        run_field = next((n for n, rt in runs.items() if _is_func(rt)), None)
        held = next((n for n, rt in runs.items() if _is_any(rt)), None)
        if run_field or held:
            shape = CommandShape(key, name_field, run_field or held, fields=set(names))
            (strict if run_field else loose)[key] = shape
            elements[key] = {n: e for n in names if (e := _slice_element(underlying(n)))}
    accepted = dict(strict)
    while True:  # an interface-typed run field counts once the struct has command children
        more = {k: s for k, s in loose.items() if k not in accepted
                and any(e in accepted or e == k for e in elements[k].values())}
        if not more:
            break
        accepted.update(more)
    for key, shape in accepted.items():
        shape.child_fields = [n for n, e in elements[key].items() if e in accepted]
    return accepted


def unloaded_shapes(program: Program, sites: Sites) -> dict[tuple[str, str], CommandShape]:
    """The command shapes of framework types whose module is missing (see commands_frameworks):
    their literals are known to the walk by field names alone."""
    out: dict[tuple[str, str], CommandShape] = {}
    for fact in sites.literals.values():
        if fact.type[0] in program.packages:
            continue
        shape = out.get(fact.type)
        if shape is None:
            known = syntax_shape(*fact.type)
            if known is None:
                continue
            shape = out[fact.type] = CommandShape(
                fact.type, known.name_field, known.run_fields[0], list(known.child_fields),
                {known.name_field, *known.run_fields, *known.child_fields, *SHORT_FIELDS, *LONG_FIELDS})
        shape.fields.update(fact.fields)
    return out


def unloaded_constructions(program: Program, sites: Sites) -> dict[str, LiteralFact]:
    """Framework constructor -> a literal standing for the command it builds when its module is
    missing (commands_frameworks.CONSTRUCTORS), placed at its first call in the program's packages
    (in path order): the fields set on it later and the children attached to it count as for a
    literal. Every call of the constructor is that one command."""
    first: dict[str, CallSite] = {}
    for call in sites.calls:
        package = program.package_of_file.get(call.file)
        if _constructed_type(program, call.callee) is None or package is None or not package.is_root:
            continue
        best = first.get(call.callee)
        if best is None or (call.file, call.line, call.col) < (best.file, best.line, best.col):
            first[call.callee] = call
    return {callee: LiteralFact(f"{c.file}:{c.line}:{c.col}", _constructed_type(program, callee), callee, c.file,
                                c.line, c.col) for callee, c in first.items()}


def _constructed_type(program: Program, callee: str | None) -> Any:
    """(package, type) of the command a framework constructor builds, when its module is missing."""
    package, _, name = (callee or "").rpartition(".")
    type_name = CONSTRUCTORS.get((framework_of(package) or "", name))
    return (package, type_name) if type_name is not None and package not in program.packages else None


def _is_func(rt: Any) -> bool:
    return rt is not None and rt[0] == "func"


def _is_any(rt: Any) -> bool:
    return rt is not None and (rt == ("iface", []) or rt == ("basic", "any"))


def _slice_element(rt: Any) -> tuple[str, str] | None:
    """The named element type of a slice type (`[]*Command`, `[]Command`, `Commands`)."""
    if rt is None or rt[0] != "slice":
        return None
    element = rt[1]
    if element is not None and element[0] == "ptr":
        element = element[1]
    return (element[1], element[2]) if element is not None and element[0] == "named" else None


def literal_flow(program: Program, sites: Sites, built: dict[str, str] | None = None) -> ValueFlow:
    """The literal flow of the command analysis: also through interface method calls (gopass's
    backends' `bc.Commands()`), to the methods of the types constructed in the program; `built`:
    the stand-in literals of framework constructors whose module is missing."""
    return ValueFlow(sites, InterfaceResolver(program, Types(program), sites).callees, built)


def _assigned_fields(program: Program, sites: Sites, shapes: dict[tuple[str, str], CommandShape],
                     flow: ValueFlow) -> dict[str, dict[str, FieldValue]]:
    """Literal id -> the fields of a command set after its literal (`CmdBuild.Run = runBuild` in the
    go command's init, `app.Name = ...` after urfave/cli v1's `cli.NewApp()`); the last wins. An
    unexported field of a framework's type is the framework's bookkeeping (cobra's `x.parent = c`
    in AddCommand), not a field the program sets."""
    out: dict[str, dict[str, FieldValue]] = {}
    for receiver, field_name, value in sites.field_assigns:
        for lid in flow.literal_ids(receiver):
            fact = sites.literals.get(lid)
            if fact is None or fact.type not in shapes or field_name not in shapes[fact.type].fields:
                continue
            if field_name[:1].islower() and not own_package(program, fact.type[0]):
                continue
            out.setdefault(lid, {})[field_name] = value
    return out


def find_commands(program: Program, cg: CallGraph, packages: Collection[str] | None = None) -> CommandSet:
    """Every command of the program: struct literals shaped like commands in the walked bodies (with
    parents, run targets and fields set later), also those of a framework whose module is missing
    (known by import path and field names; the set is then `partial`), and kingpin's and
    mitchellh/cli's commands. `packages` (entry.program_packages) keeps the commands of one main's
    program: a tree with several mains builds each one's commands in packages the others never import."""
    sites = sites_of(program)
    missing = missing_framework_modules(program)
    built = unloaded_constructions(program, sites)
    if built:  # a view with their stand-in literals; the walk's own Sites stay as they are
        sites = replace(sites, literals={**sites.literals, **{f.id: f for f in built.values()}})
    shapes = command_shapes(program)
    shapes.update(unloaded_shapes(program, sites))
    flow = literal_flow(program, sites, {callee: fact.id for callee, fact in built.items()})
    facts = _program_facts(program, sites, [f for f in sites.literals.values() if f.type in shapes], flow)
    assigned = _assigned_fields(program, sites, shapes, flow)
    bodies = FileBodies(program)
    files = _FileTexts(program, bodies)
    commands: dict[str, Command] = {}
    for fact in sorted(facts, key=lambda f: (f.file, f.line, f.col)):
        if fact.copy_of and shapes[fact.type].name_field not in assigned.get(fact.id, {}):
            continue  # a copy keeping its name is the command in another state (docker's hidden legacy ones)
        fields = {**_copied_fields(sites, fact, assigned, flow), **fact.fields, **assigned.get(fact.id, {})}
        commands[fact.id] = _command(program, cg, sites, fact, fields, shapes[fact.type], files)
    _link_children(sites, shapes, commands, flow)
    for extra in (kingpin_commands(program, cg, bodies), mitchellh_commands(program, cg, bodies)):
        commands.update((c.id, c) for c in extra if c.id not in commands)
    found = CommandSet(_tree_order(commands), sorted({c.type for c in commands.values() if c.type}), missing)
    return found if packages is None else within_program(program, found, packages)


def _copied_fields(sites: Sites, fact: LiteralFact, assigned: dict[str, dict[str, FieldValue]],
                   flow: ValueFlow) -> dict[str, FieldValue]:
    """The fields a copy (`cmd := *NewPsCommand(cli)`) starts with: those of the literal it copies."""
    for source in flow.literal_ids(fact.copy_of) if fact.copy_of else ():
        copied = sites.literals.get(source)
        if copied is not None and copied.type == fact.type and copied.id != fact.id:
            return {**copied.fields, **assigned.get(source, {})}
    return {}


def helper_packages(program: Program, commands: CommandSet) -> tuple[str, ...]:
    """Dependency packages, loaded without their bodies, whose functions the program hands its
    commands to (as arguments, as a method's receiver, or in a field of those): kubectl's
    `templates.CommandGroups{{Commands: ...}}.Add(root)` attaches the groups' commands in its own
    body. Reading those bodies, as the framework's are read, gives the tree those parents."""
    ids = {c.id for c in commands.commands}
    if not ids:
        return ()
    sites = sites_of(program)
    flow = literal_flow(program, sites)

    def hands_commands(refs: set) -> bool:
        for lid in flow.literal_ids(refs):
            if lid in ids:
                return True
            fact = sites.literals.get(lid)
            if fact is not None and any(i in ids for value in fact.fields.values()
                                        for i in flow.literal_ids(value.literals)):
                return True
        return False

    unread = {path for path, package in program.packages.items()  # dependencies known by their skeletons
              if not (package.is_root or package.is_std or any(f.with_bodies for f in package.files))}
    out: set[str] = set()
    for callee, calls in sites.call_literals.items():
        package = package_in(callee, program.packages)
        if package in unread and package not in out \
                and any(hands_commands(set(arg.literals)) for args in calls for arg in args):
            out.add(package)
    return tuple(sorted(out))


def within_program(program: Program, found: CommandSet, packages: Collection[str]) -> CommandSet:
    """The commands built in `packages` (or in a file of no loaded package), their links to the
    others dropped: one main's program (entry.program_packages). A command's path is as shown."""
    shown = {program.display_path(path): package.path for path, package in program.package_of_file.items()}
    kept = {c.id: c for c in found.commands if shown.get(c.path, packages) in packages}
    for command in kept.values():
        command.children = [child for child in command.children if child in kept]
        if command.parent not in kept:
            command.parent = None
    return CommandSet(_tree_order(kept), sorted({c.type for c in kept.values() if c.type}), found.missing_modules)


def _program_facts(program: Program, sites: Sites, facts: list[LiteralFact], flow: ValueFlow) -> list[LiteralFact]:
    """The literals that are commands of the program: those in its own packages, and those a
    framework builds for it (urfave/cli v1's `NewApp()`, reached from the program's code), not the
    ones a framework builds for itself (an `App` inside its own sub-command handling)."""
    def own(path: str) -> bool:
        package = program.package_of_file.get(path)
        return package is None or package.is_root or framework_of(package.path) is None

    if all(own(f.file) for f in facts):
        return facts
    refs: set = set()
    for link in sites.links:
        if own(link.file):
            refs |= link.receiver.union(*link.args)
    for key, stored in sites.literal_stores.items():
        if key[0] == "global" and own_package(program, key[1]):
            refs |= stored
    for fact in facts:
        if own(fact.file):
            refs |= set().union(*(v.literals for v in fact.fields.values()))
    reached = set(flow.literal_ids(refs))
    return [f for f in facts if own(f.file) or f.id in reached]


def own_package(program: Program, path: str) -> bool:
    package = program.packages.get(path)
    return package is not None and package.is_root


def _framework(package: str) -> str:
    return framework_of(package) or "handrolled"


def command_word(field_name: str, value: str) -> str:
    """The command's name as its framework derives it from the name-like field's whole value."""
    return command_word_of(field_name, Folded(value, True)) or value


@dataclass(slots=True)
class _FileText:
    """Folds the field expressions of literals in one file (by the literal's position)."""

    folder: Folder
    literals: dict[tuple[int, int], tuple]

    def expr(self, fact: LiteralFact, field_name: str, value: FieldValue) -> Any:
        """The IR of a field's value: from the literal when the field is set there, else (set later
        by assignment) the value's text read back as a string literal, constant or selector."""
        node = self.literals.get((fact.line, fact.col))
        if node is not None and fact.fields.get(field_name) is value:
            for key, element in node[2]:
                if key is not None and key[0] == "id" and key[1] == field_name:
                    return element
        return text_expr(value.text)

    def text(self, fact: LiteralFact, fields: dict[str, FieldValue], names: tuple[str, ...],
             exclude: str | None = None) -> tuple[str, str | None]:
        for name in names:
            value = fields.get(name)
            if value is None or name == exclude:
                continue
            text = self.folder.text(self.expr(fact, name, value))
            if text is not None:
                return text, name
        return "", None


def text_expr(text: str) -> Any:
    """Expression IR for the simple value texts a later assignment leaves (`"a"`, `name`, `pkg.Name`)."""
    if go_string(text) is not None:
        return ("basic", "string", text)
    if re.fullmatch(r"[A-Za-z_]\w*", text):
        return ("id", text, 0, 0)
    match = re.fullmatch(r"([A-Za-z_]\w*)\.([A-Za-z_]\w*)", text)
    return ("sel", ("id", match.group(1), 0, 0), match.group(2), 0, 0) if match else None


def _command(program: Program, cg: CallGraph, sites: Sites, fact: LiteralFact, fields: dict[str, FieldValue],
             shape: CommandShape, files: _FileTexts) -> Command:
    """One command from its literal's fields and the fields assigned to it later."""
    reader = files.of(fact.file)
    name_value = fields.get(shape.name_field)
    name_expr = None
    name = None
    if name_value is not None:
        name = command_word_of(shape.name_field, reader.folder.fold(reader.expr(fact, shape.name_field, name_value)))
    if name is None:  # computed at run time (`filepath.Base(os.Args[0])`), or not set
        name_expr = name_value.text if name_value is not None else ""
    short, short_field = reader.text(fact, fields, SHORT_FIELDS)
    long, _ = reader.text(fact, fields, LONG_FIELDS, exclude=short_field)
    run_field = next((n for n in RUN_FIELDS if n in fields and fields[n].funcs), shape.run_field)
    run_value = fields.get(run_field)
    flow = ValueFlow(sites)
    run_targets = sorted(flow.functions(run_value.funcs)) if run_value else []
    run = run_targets[0] if len(run_targets) == 1 else None  # a copied `Run: target.Run` could be any command's
    run_calls = closure_calls(program, cg, sites, run, fact.type[0])
    skip = {shape.name_field, run_field, short_field, *shape.child_fields}
    if long:
        skip.update(n for n in LONG_FIELDS
                    if fields.get(n) and reader.folder.text(reader.expr(fact, n, fields[n])) == long)
    others = [CommandField(n, v.text, sorted(flow.made_types(v.made)) or sorted(flow.functions(v.funcs)))
              for n, v in fields.items() if n not in skip]
    return Command(id=fact.id, name=name if name is not None else COMPUTED, name_expr=name_expr, description=short,
                   long=long, type=f"{fact.type[0]}.{fact.type[1]}", framework=_framework(fact.type[0]),
                   path=program.display_path(fact.file), line=fact.line, col=fact.col, built_in=fact.caller,
                   run=run, run_calls=run_calls, fields=others)


def closure_calls(program: Program, cg: CallGraph, sites: Sites, run: str | None, framework: str) -> list[str]:
    """When `run` is a closure: the program's functions it calls statically (what it stands for)."""
    if run is None or run not in sites.closures or run not in cg.graph:
        return []
    package = program.packages.get(framework)
    helpers = framework if package is not None and not package.is_root else None  # ctx.Args()
    nodes = cg.graph.nodes
    return [c for c in cg.callees(run) if not nodes[c].get("external") and not nodes[c].get("std")
            and nodes[c].get("package") != helpers
            and cg.graph.edges[run, c]["rule"] == "static"]  # what it calls, not an interface's fan-out


@dataclass(slots=True)
class _FileTexts:
    program: Program
    bodies: FileBodies
    cache: dict[str, _FileText] = field(default_factory=dict)

    def of(self, path: str) -> _FileText:
        reader = self.cache.get(path)
        if reader is None:
            package = self.program.package_of_file[path]
            facts = next(f for f in package.files if f.path == path)
            folder = Folder(self.program, package.path, self.program.imports(facts))
            reader = self.cache[path] = _FileText(folder, literal_index(self.bodies, facts))
        return reader


def _link_children(sites: Sites, shapes: dict, commands: dict[str, Command], flow: ValueFlow) -> None:
    def adopt(parent_id: str, child_id: str, also: bool = False) -> None:
        """`also`: an `Add...` call of one parent attaching a command that already has one: a
        constructor called in two places builds two commands (docker's `NewAttachCommand` under
        `container` and at the top), so the command is listed under both."""
        child = commands.get(child_id)
        if child is None or child_id == parent_id:
            return
        if child.parent is None:
            child.parent = parent_id
            commands[parent_id].children.append(child_id)
        elif also and child_id not in commands[parent_id].children and not _under(commands, parent_id, child_id):
            commands[parent_id].children.append(child_id)

    for command_id, command in list(commands.items()):  # nested literals: Commands: []*cli.Command{...}
        fact = sites.literals[command_id]
        for field_name in shapes[fact.type].child_fields:
            value = fact.fields.get(field_name)
            if value is not None:
                for child in flow.literal_ids(value.literals):
                    adopt(command_id, child)
    for fact_id, command in commands.items():
        fact = sites.literals[fact_id]
        if fact.parent in commands and command.parent is None:
            adopt(fact.parent, fact_id)
    for receiver, field_name, value in sites.field_assigns:  # parent.Commands = []*Command{...}
        for parent in flow.literal_ids(receiver):
            if parent in commands and field_name in shapes[sites.literals[parent].type].child_fields:
                for child in flow.literal_ids(value.literals):
                    adopt(parent, child)
    for link in sorted(sites.links, key=lambda l: (l.file, l.line, l.col)):  # parent.AddCommand(child)
        method = link.method.rsplit(".", 1)[-1]
        if not method.startswith("Add") and method != "SetHelpCommand":  # cobra makes the help command a child
            continue
        # a second parent only from a direct call: `cmd.AddCommand(NewAttachCommand(cli), versionCmd)`
        direct = all(isinstance(r, (str, ReturnedLiteralRef, GlobalRef)) for arg in link.args for r in arg)
        for parents, children in _link_pairs(link, sites, flow):
            parents = [p for p in parents if p in commands]
            for parent in parents:
                for child in children:
                    adopt(parent, child, also=direct and len(parents) == 1)


def _under(commands: dict[str, Command], node: str, ancestor: str) -> bool:
    """Whether `node` is `ancestor` or among its descendants (a second parent must not make a loop)."""
    stack, seen = [ancestor], set()
    while stack:
        current = stack.pop()
        if current == node:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(commands[current].children if current in commands else ())
    return False


def _link_pairs(link: Link, sites: Sites, flow: ValueFlow) -> list[tuple[list[str], list[str]]]:
    """(parents, children) a link adds. Receiver and arguments taken from one registry entry
    (`for _, c := range registry { c.Parent.AddCommand(c.Command) }`) pair entry by entry; in a
    helper whose parameter is the receiver (`AddGroup(parent, title, cmds...)`), call by call;
    otherwise every receiver literal gets every argument's."""
    receiver = next(iter(link.receiver)) if len(link.receiver) == 1 else None
    if isinstance(receiver, FieldLiteralRef) and link.args and all(
            len(a) == 1 and isinstance(r := next(iter(a)), FieldLiteralRef) and r.base == receiver.base
            for a in link.args):
        pairs = []
        for entry in flow.literal_ids(receiver.base):
            fields = sites.literals[entry].fields if entry in sites.literals else {}
            parent = fields.get(receiver.field)
            children = [fields[r.field].literals for a in link.args for r in a if r.field in fields]
            if parent is not None:
                pairs.append((flow.literal_ids(parent.literals), flow.literal_ids(set().union(*children))))
        return pairs
    calls = sites.call_literals.get(link.caller, [])
    if calls and any(isinstance(r, ParamLiteralRef) and r.func == link.caller for r in link.receiver):
        # a helper attaching what it is given: each call's parent, its children
        return [(flow.literal_ids_at_call(link.receiver, link.caller, args),
                 flow.literal_ids_at_call(set().union(*link.args), link.caller, args)) for args in calls]
    children = [c for arg in link.args for c in flow.literal_ids(arg)]
    return [(flow.literal_ids(link.receiver), children)]


def _tree_order(commands: dict[str, Command]) -> list[Command]:
    out: list[Command] = []
    listed: set[str] = set()

    def visit(command: Command) -> None:
        if command.id in listed:  # a command under two parents is listed once, under its first
            return
        listed.add(command.id)
        out.append(command)
        for child in command.children:
            visit(commands[child])

    for command in commands.values():
        if command.parent is None:
            visit(command)
    if len(out) < len(commands):  # a parent loop (never from real code): its commands still show
        shown = {c.id for c in out}
        out += [c for c in commands.values() if c.id not in shown]
    return out


@dataclass(slots=True)
class StructView:
    """A struct's fields, methods, and where it is constructed and its fields used."""

    name: str
    path: str
    line: int
    doc: str
    fields: list[dict]
    methods: list[str]
    constructed_at: list[str]
    field_uses: dict[str, list[str]]

    def to_json(self) -> dict:
        return {"name": self.name, "position": f"{self.path}:{self.line}", "doc": self.doc, "fields": self.fields,
                "methods": self.methods, "constructed_at": self.constructed_at, "field_uses": self.field_uses}


def struct_view(program: Program, cg: CallGraph, name: str) -> StructView:
    """The article's Command table, generated: fields, methods, constructions, and each field's
    uses, marked `read`, `call` or `set` (the target of an assignment, `CmdBuild.Run = runBuild`)."""
    info = program.lookup_type(name)
    key = (info.package, info.decl.name)
    methods = sorted(program.methods.get(key, {}).values(), key=lambda m: m.decl.line)
    sites = sites_of(program)
    constructed = sorted(f"{program.display_path(f.file)}:{f.line}:{f.col} in {f.caller}"
                         for f in sites.literals.values() if f.type == key)
    uses: dict[str, list[str]] = {}
    for use in sites.field_uses:
        if use.owner == key:
            verb = "call" if use.call else "set" if use.assigned else "read"
            uses.setdefault(use.field, []).append(
                f"{program.display_path(use.file)}:{use.line}:{use.col} {verb} in {use.caller}")
    return StructView(
        name=info.name, path=program.display_path(info.file.path), line=info.decl.line, doc=info.decl.doc,
        fields=[{"name": f.name, "type": f.type_text, "tag": f.tag, "doc": f.doc, "embedded": f.embedded}
                for f in info.decl.fields],
        methods=[m.name for m in methods], constructed_at=constructed,
        field_uses={k: sorted(set(v)) for k, v in sorted(uses.items())})

