"""Find CLI commands by shape: a struct with a run field, a name-like string field, and children
through a slice of command structs or an AddCommand-like method. Works for paerser, cobra,
urfave/cli v1 and v2 and hand-rolled command structs alike; the framework name is only a label.

A run field is func-typed (`Run func([]string) error`), or an empty interface holding a func
(urfave/cli v1's `Action interface{}`) when the struct also has children: an `interface{}` field
alone says too little.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.analysis.commands_model import Command, CommandField, CommandSet
from goanalyzer.model import SymbolKind, TypeKind
from goanalyzer.program import Program
from goanalyzer.resolve.sites import GLOBAL, RETURNS_LITERAL, FieldValue, LiteralFact, Sites
from goanalyzer.resolve.types import Types
from goanalyzer.resolve.values import expand, made_types_of

NAME_FIELDS = ("Name", "Use", "UsageLine")
SHORT_FIELDS = ("Short", "Usage", "ShortDescription", "Description")
"""In order of preference: urfave/cli's one-line text is Usage (its Description is the long text),
paerser has only Description."""
LONG_FIELDS = ("Long", "LongDescription", "Description")
RUN_FIELDS = ("Run", "RunE", "Action", "Exec", "Execute", "Handler")
FRAMEWORKS = {
    "github.com/traefik/paerser": "paerser",
    "github.com/spf13/cobra": "cobra",
    "github.com/urfave/cli": "urfave",
}


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
        if decl.kind is not TypeKind.STRUCT:
            continue
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


def resolve_refs(refs: set[str], sites: Sites, seen: set[str] | None = None) -> list[str]:
    """Literal ids behind references (`@returns-literal:F`, `@global:pkg.name`)."""
    seen = seen if seen is not None else set()
    out: list[str] = []
    for ref in sorted(refs):
        if ref in seen:
            continue
        seen.add(ref)
        if ref.startswith(RETURNS_LITERAL):
            out += resolve_refs(sites.returned_literals.get(ref[len(RETURNS_LITERAL):], set()), sites, seen)
        elif ref.startswith(GLOBAL):
            package, _, name = ref[len(GLOBAL):].rpartition(".")
            out += resolve_refs(sites.literal_stores.get(("global", package, name), set()), sites, seen)
        else:
            out.append(ref)
    return out


def _assigned_fields(sites: Sites, shapes: dict[tuple[str, str], CommandShape]) -> dict[str, dict[str, FieldValue]]:
    """Literal id -> the fields of a command set after its literal (`CmdBuild.Run = runBuild` in the
    go command's init, `app.Name = ...` after urfave/cli v1's `cli.NewApp()`); the last wins."""
    out: dict[str, dict[str, FieldValue]] = {}
    for receiver, field_name, value in sites.field_assigns:
        for lid in resolve_refs(receiver, sites):
            fact = sites.literals.get(lid)
            if fact is not None and fact.type in shapes and field_name in shapes[fact.type].fields:
                out.setdefault(lid, {})[field_name] = value
    return out


def find_commands(program: Program, cg: CallGraph) -> CommandSet:
    """Every command instance in the walked bodies, with parents, run targets and set fields."""
    sites = cg.sites
    if sites is None:
        return CommandSet([], [])
    shapes = command_shapes(program)
    facts = [f for f in sites.literals.values() if f.type in shapes]
    if not facts:
        return CommandSet([], [])
    assigned = _assigned_fields(sites, shapes)
    commands: dict[str, Command] = {}
    for fact in sorted(facts, key=lambda f: (f.file, f.line, f.col)):
        fields = {**fact.fields, **assigned.get(fact.id, {})}
        commands[fact.id] = _command(program, cg, sites, fact, fields, shapes[fact.type])
    _link_children(sites, shapes, commands)
    ordered = _tree_order(commands)
    used = sorted({f"{c.type}" for c in ordered})
    return CommandSet(ordered, used)


def _framework(package: str) -> str:
    for prefix, label in FRAMEWORKS.items():
        if package == prefix or package.startswith(prefix + "/"):
            return label
    return "handrolled"


def command_word(field_name: str, value: str) -> str:
    """The command's name as its framework derives it from the name-like field."""
    if field_name == "Use":  # cobra: the first word of Use
        return value.split()[0] if value.split() else value
    if field_name == "UsageLine":  # the go command: the last word before flags or arguments
        words = []
        for word in value.split():
            if word.startswith(("[", "-", "<")):
                break
            words.append(word)
        return words[-1] if words else value
    return value


@dataclass(slots=True)
class _Strings:
    """String values of field sources in one file: literals, and string constants by name
    (`UsageLine: testUsage` in the go command, `Use: cmdName`)."""

    program: Program
    package: str
    imports: dict[str, str]

    def value(self, source: str) -> str | None:
        if source.startswith("`"):
            return source[1:-1] if source.endswith("`") and source.count("`") == 2 else None
        if source.startswith('"'):
            try:
                value = ast.literal_eval(source)
            except (ValueError, SyntaxError):
                return None  # "a" + b: computed
            return value if isinstance(value, str) else None
        qualifier, _, name = source.rpartition(".")
        package = self.imports.get(qualifier) if qualifier else self.package
        info = self.program.values.get((package, name)) if package else None
        if info is None or info.spec.kind is not SymbolKind.CONST or len(info.spec.values) <= info.index:
            return None
        const = info.spec.values[info.index]
        return self.value(const[2]) if const[:2] == ("basic", "string") else None


def _text_value(fields: dict[str, FieldValue], names: tuple[str, ...], strings: _Strings,
                exclude: str | None = None) -> tuple[str, str | None]:
    for name in names:
        value = fields.get(name)
        text = strings.value(value.text) if value is not None and name != exclude else None
        if text is not None:
            return text, name
    return "", None


def _command(program: Program, cg: CallGraph, sites: Sites, fact: LiteralFact, fields: dict[str, FieldValue],
             shape: CommandShape) -> Command:
    """One command from its literal's fields and the fields assigned to it later."""
    package = program.package_of_file[fact.file]
    file = next(f for f in package.files if f.path == fact.file)
    strings = _Strings(program, package.path, program.imports(file))
    name_value = fields.get(shape.name_field)
    name = ""
    if name_value is not None:  # a name computed at run time (`filepath.Base(os.Args[0])`) shows as its source
        name = command_word(shape.name_field, strings.value(name_value.text) or name_value.text)
    short, short_field = _text_value(fields, SHORT_FIELDS, strings)
    long, _ = _text_value(fields, LONG_FIELDS, strings, exclude=short_field)
    run_field = next((n for n in RUN_FIELDS if n in fields and fields[n].funcs), shape.run_field)
    run_value = fields.get(run_field)
    run_targets = sorted(expand(run_value.funcs, sites)) if run_value else []
    run = run_targets[0] if run_targets else None
    run_calls: list[str] = []
    if run is not None and run in sites.closures:
        framework = program.packages.get(fact.type[0])
        helpers = fact.type[0] if framework is not None and not framework.is_root else None  # ctx.Args()
        run_calls = [c for c in cg.callees(run) if not cg.graph.nodes[c].get("external")
                     and not cg.graph.nodes[c].get("std") and cg.graph.nodes[c].get("package") != helpers
                     and cg.graph.edges[run, c]["rule"] == "static"]  # what it calls, not an interface's fan-out
    skip = {shape.name_field, run_field, short_field, *shape.child_fields}
    if long:
        skip.update(n for n in LONG_FIELDS if fields.get(n) and strings.value(fields[n].text) == long)
    others = [CommandField(n, v.text, sorted(made_types_of(v.made, sites)) or sorted(expand(v.funcs, sites)))
              for n, v in fields.items() if n not in skip]
    return Command(id=fact.id, name=name, description=short, long=long, type=f"{fact.type[0]}.{fact.type[1]}",
                   framework=_framework(fact.type[0]), path=program.display_path(fact.file), line=fact.line,
                   col=fact.col, built_in=fact.caller, run=run, run_calls=run_calls, fields=others)


def _link_children(sites: Sites, shapes: dict, commands: dict[str, Command]) -> None:
    def adopt(parent_id: str, child_id: str) -> None:
        child = commands.get(child_id)
        if child is None or child_id == parent_id or child.parent is not None:
            return
        child.parent = parent_id
        commands[parent_id].children.append(child_id)

    for command_id, command in list(commands.items()):  # nested literals: Commands: []*cli.Command{...}
        fact = sites.literals[command_id]
        for field_name in shapes[fact.type].child_fields:
            value = fact.fields.get(field_name)
            if value is not None:
                for child in resolve_refs(value.literals, sites):
                    adopt(command_id, child)
    for fact_id, command in commands.items():
        fact = sites.literals[fact_id]
        if fact.parent in commands and command.parent is None:
            adopt(fact.parent, fact_id)
    for receiver, field_name, value in sites.field_assigns:  # parent.Commands = []*Command{...}
        for parent in resolve_refs(receiver, sites):
            if parent in commands and field_name in shapes[sites.literals[parent].type].child_fields:
                for child in resolve_refs(value.literals, sites):
                    adopt(parent, child)
    for link in sorted(sites.links, key=lambda l: (l.file, l.line, l.col)):  # parent.AddCommand(child)
        method = link.method.rsplit(".", 1)[-1]
        if not method.startswith("Add"):
            continue
        parents = [p for p in resolve_refs(link.receiver, sites) if p in commands]
        for parent in parents:
            for arg in link.args:
                for child in resolve_refs(arg, sites):
                    adopt(parent, child)


def _tree_order(commands: dict[str, Command]) -> list[Command]:
    out: list[Command] = []

    def visit(command: Command) -> None:
        out.append(command)
        for child in command.children:
            visit(commands[child])

    for command in commands.values():
        if command.parent is None:
            visit(command)
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
    sites = cg.sites
    constructed = sorted(f"{program.display_path(f.file)}:{f.line}:{f.col} in {f.caller}"
                         for f in (sites.literals.values() if sites else []) if f.type == key)
    uses: dict[str, list[str]] = {}
    for use in sites.field_uses if sites else []:
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

