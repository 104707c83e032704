"""Find CLI commands by shape: a struct with a func-typed run field, a name-like string field, and
children through a slice of command structs or an AddCommand-like method. Works for paerser,
cobra, urfave/cli and hand-rolled command structs alike; the framework name is only a label.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.analysis.commands_model import Command, CommandField, CommandSet
from goanalyzer.model import TypeKind
from goanalyzer.program import Program
from goanalyzer.resolve.sites import GLOBAL, RETURNS_LITERAL, LiteralFact, Sites
from goanalyzer.resolve.types import Types
from goanalyzer.resolve.values import expand

NAME_FIELDS = ("Name", "Use", "UsageLine")
SHORT_FIELDS = ("Description", "Short", "Usage", "ShortDescription")
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


def command_shapes(program: Program) -> dict[tuple[str, str], CommandShape]:
    """Struct types shaped like commands (see module doc)."""
    types = Types(program)
    candidates: dict[tuple[str, str], CommandShape] = {}
    for key, info in program.types.items():
        decl = info.decl
        if decl.kind is not TypeKind.STRUCT:
            continue
        names = {f.name: f for f in decl.fields}
        scope = types.file_scope(info.file)

        def is_func(name: str) -> bool:
            under = types.underlying(types.resolve(names[name].type, scope))
            return under is not None and under[0] == "func"

        name_field = next((n for n in NAME_FIELDS if n in names and names[n].type_text == "string"), None)
        run_field = next((n for n in RUN_FIELDS if n in names and is_func(n)), None)
        if name_field and run_field:
            candidates[key] = CommandShape(key, name_field, run_field)
    for key, shape in candidates.items():
        decl = program.types[key].decl
        for f in decl.fields:
            element = f.type
            while isinstance(element, tuple) and element[0] in ("slice", "ptr"):
                element = element[1]
            if f.type and f.type[0] == "slice" and element and element[0] in ("name", "qual"):
                target = (key[0], element[1]) if element[0] == "name" else None
                if element[0] == "qual":
                    imports = program.imports(program.types[key].file)
                    target = (imports.get(element[1], ""), element[2])
                if target in candidates:
                    shape.child_fields.append(f.name)
    return candidates


def find_commands(program: Program, cg: CallGraph) -> CommandSet:
    """Every command instance in the walked bodies, with parents, run targets and set fields."""
    sites = cg.sites
    if sites is None:
        return CommandSet([], [])
    shapes = command_shapes(program)
    facts = [f for f in sites.literals.values() if f.type in shapes]
    if not facts:
        return CommandSet([], [])
    commands: dict[str, Command] = {}
    for fact in sorted(facts, key=lambda f: (f.file, f.line, f.col)):
        commands[fact.id] = _command(program, cg, sites, fact, shapes[fact.type])
    _link_children(sites, shapes, commands)
    ordered = _tree_order(commands)
    used = sorted({f"{c.type}" for c in ordered})
    return CommandSet(ordered, used)


def _framework(package: str) -> str:
    for prefix, label in FRAMEWORKS.items():
        if package == prefix or package.startswith(prefix + "/"):
            return label
    return "handrolled"


def go_string(source: str) -> str:
    """The value of a Go string literal's source."""
    if source.startswith("`"):
        return source[1:-1]
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return source.strip('"')


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


def _text_value(fact: LiteralFact, names: tuple[str, ...], exclude: str | None = None) -> tuple[str, str | None]:
    for name in names:
        value = fact.fields.get(name)
        if value is not None and name != exclude and value.text.startswith(('"', "`")):
            return go_string(value.text), name
    return "", None


def _command(program: Program, cg: CallGraph, sites: Sites, fact: LiteralFact, shape: CommandShape) -> Command:
    name_value = fact.fields.get(shape.name_field)
    name = command_word(shape.name_field, go_string(name_value.text)) if name_value else ""
    short, short_field = _text_value(fact, SHORT_FIELDS)
    long, _ = _text_value(fact, LONG_FIELDS, exclude=short_field)
    run_field = next((n for n in RUN_FIELDS if n in fact.fields and fact.fields[n].funcs), shape.run_field)
    run_value = fact.fields.get(run_field)
    run_targets = sorted(expand(run_value.funcs, sites)) if run_value else []
    run = run_targets[0] if run_targets else None
    run_calls: list[str] = []
    if run is not None and run in sites.closures:
        run_calls = [c for c in cg.callees(run) if not cg.graph.nodes[c].get("external")
                     and not cg.graph.nodes[c].get("std")]
    skip = {shape.name_field, run_field, short_field, *shape.child_fields}
    if long:
        skip.update(n for n in LONG_FIELDS if fact.fields.get(n) and go_string(fact.fields[n].text) == long)
    fields = [CommandField(n, v.text, sorted(v.made) or sorted(expand(v.funcs, sites)))
              for n, v in fact.fields.items() if n not in skip]
    return Command(id=fact.id, name=name, description=short, long=long, type=f"{fact.type[0]}.{fact.type[1]}",
                   framework=_framework(fact.type[0]), path=program.display_path(fact.file), line=fact.line,
                   col=fact.col, built_in=fact.caller, run=run, run_calls=run_calls, fields=fields)


def _resolve_refs(refs: set[str], sites: Sites, seen: set[str] | None = None) -> list[str]:
    """Literal ids behind references (`@returns-literal:F`, `@global:pkg.name`)."""
    seen = seen if seen is not None else set()
    out: list[str] = []
    for ref in sorted(refs):
        if ref in seen:
            continue
        seen.add(ref)
        if ref.startswith(RETURNS_LITERAL):
            out += _resolve_refs(sites.returned_literals.get(ref[len(RETURNS_LITERAL):], set()), sites, seen)
        elif ref.startswith(GLOBAL):
            package, _, name = ref[len(GLOBAL):].rpartition(".")
            out += _resolve_refs(sites.literal_stores.get(("global", package, name), set()), sites, seen)
        else:
            out.append(ref)
    return out


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
                for child in _resolve_refs(value.literals, sites):
                    adopt(command_id, child)
    for fact_id, command in commands.items():
        fact = sites.literals[fact_id]
        if fact.parent in commands and command.parent is None:
            adopt(fact.parent, fact_id)
    for receiver, field_name, values in sites.field_assigns:  # parent.Commands = []*Command{...}
        for parent in _resolve_refs(receiver, sites):
            if parent in commands and field_name in shapes[sites.literals[parent].type].child_fields:
                for child in _resolve_refs(values, sites):
                    adopt(parent, child)
    for link in sorted(sites.links, key=lambda l: (l.file, l.line, l.col)):  # parent.AddCommand(child)
        method = link.method.rsplit(".", 1)[-1]
        if not method.startswith("Add"):
            continue
        parents = [p for p in _resolve_refs(link.receiver, sites) if p in commands]
        for parent in parents:
            for arg in link.args:
                for child in _resolve_refs(arg, sites):
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
    """The article's Command table, generated: fields, methods, constructions, field uses."""
    info = program.lookup_type(name)
    key = (info.package, info.decl.name)
    methods = sorted(program.methods.get(key, {}).values(), key=lambda m: m.decl.line)
    sites = cg.sites
    constructed = sorted(f"{program.display_path(f.file)}:{f.line}:{f.col} in {f.caller}"
                         for f in (sites.literals.values() if sites else []) if f.type == key)
    uses: dict[str, list[str]] = {}
    for use in sites.field_uses if sites else []:
        if use.owner == key:
            verb = "call" if use.call else "read"
            uses.setdefault(use.field, []).append(
                f"{program.display_path(use.file)}:{use.line}:{use.col} {verb} in {use.caller}")
    return StructView(
        name=info.name, path=program.display_path(info.file.path), line=info.decl.line, doc=info.decl.doc,
        fields=[{"name": f.name, "type": f.type_text, "tag": f.tag, "doc": f.doc, "embedded": f.embedded}
                for f in info.decl.fields],
        methods=[m.name for m in methods], constructed_at=constructed,
        field_uses={k: sorted(set(v)) for k, v in sorted(uses.items())})
