"""The command model: CLI commands found in code (paerser, cobra, urfave/cli, ffcli, kingpin,
mitchellh/cli, hand-rolled)."""

from __future__ import annotations

__all__ = ["Command", "CommandField", "CommandSet"]

from dataclasses import dataclass, field
from typing import Any

from goanalyzer.model import Record

COMPUTED = "(computed)"
"""What views show for a name only known at run time."""


@dataclass(slots=True)
class CommandField(Record):
    """A field set in the command's literal, other than name, description and run."""

    name: str
    value: str
    """The source text of the value (raw strings kept)."""
    targets: list[str] = field(default_factory=list)
    """Functions or types the value refers to, x/tools-named (e.g. the loaders in Resources)."""


@dataclass(slots=True)
class Command(Record):
    """One command instance: a composite literal of a command struct."""

    id: str
    """Unique key: `path:line:col` of the literal (of the call, for kingpin; of the map key, for
    mitchellh/cli)."""
    name: str
    """The command's word; `COMPUTED` when it cannot be known before run time (see `name_expr`)."""
    description: str
    long: str
    type: str
    """Qualified struct type, e.g. `github.com/traefik/paerser/cli.Command`."""
    framework: str
    """paerser, cobra, urfave, ffcli, kingpin, mitchellh, or handrolled."""
    path: str
    line: int
    col: int
    built_in: str
    """x/tools name of the function whose body holds the literal (a constructor such as NewCmd)."""
    parent: str | None = None
    """The parent command's id, None for a root."""
    run: str | None = None
    """x/tools name of the run target (closure or function stored in the run field)."""
    run_calls: list[str] = field(default_factory=list)
    """When `run` is a closure that only calls other functions of the program: those functions."""
    fields: list[CommandField] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    """Child command ids, in the order they are added."""
    name_expr: str | None = None
    """The source expression of a name that cannot be known before run time (`ext.Name()`)."""

    @property
    def position(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    @property
    def known_name(self) -> str | None:
        """The name, or None when it is computed at run time."""
        return None if self.name_expr is not None else self.name

    def to_json(self, by_id: dict[str, "Command"]) -> dict[str, Any]:
        parent = by_id.get(self.parent) if self.parent else None
        return {
            "name": self.known_name, "name_expr": self.name_expr, "description": self.description, "long": self.long,
            "type": self.type,
            "framework": self.framework, "position": self.position, "built_in": self.built_in,
            "parent": parent.known_name if parent else None,
            "parent_position": parent.position if parent else None, "run": self.run, "run_calls": self.run_calls,
            "fields": [{"name": f.name, "value": f.value, "targets": f.targets} for f in self.fields],
            "children": [by_id[c].known_name for c in self.children if c in by_id],
        }


@dataclass(slots=True)
class CommandSet(Record):
    """All commands of a program, roots first, children in order."""

    commands: list[Command]
    struct_types: list[str]
    """The command struct types detected (qualified)."""
    missing_modules: list[str] = field(default_factory=list)
    """Framework modules imported by the program but not found (no module cache, no vendor/): the
    commands were then recognised from syntax alone, without the framework's types or bodies."""

    @property
    def partial(self) -> bool:
        return bool(self.missing_modules)

    def by_id(self) -> dict[str, Command]:
        return {c.id: c for c in self.commands}

    def roots(self) -> list[Command]:
        return [c for c in self.commands if c.parent is None]

    def to_json(self) -> list[dict[str, Any]]:
        index = self.by_id()
        return [c.to_json(index) for c in self.commands]

    def to_document(self) -> list[dict[str, Any]] | dict[str, Any]:
        """What `commands --format json` prints: the list of commands as always, or, when a framework
        module was missing, `{"partial": true, "missing_modules": [...], "commands": [...]}`."""
        if not self.partial:
            return self.to_json()
        return {"partial": True, "missing_modules": list(self.missing_modules), "commands": self.to_json()}

    def _repr_markdown_(self):  # notebooks
        from goanalyzer.views import notebook
        return notebook.commands_markdown(self)

    def _repr_svg_(self):  # notebooks
        from goanalyzer.views import notebook
        return notebook.commands_svg(self)
