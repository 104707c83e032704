"""Notes written by people, keyed by symbol so they stay attached when lines move.

The YAML file maps a key to a note:

```yaml
main: Everything starts here; the command tree is built before anything runs.
runCmd: The real work of `traefik` (the default command).
"runCmd -> setupServer": Providers, entry points and the router are wired here.
command healthcheck: Used by the Docker HEALTHCHECK.
```

A key is a function name (x/tools name or an unambiguous suffix such as `cli.Execute`), a step
`caller -> callee` (both function names), or `command NAME`. A key that no longer resolves is
reported as vanished (and an ambiguous one with its candidates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from goanalyzer.errors import AmbiguousNameError, NotFoundError, UsageError
from goanalyzer.program import resolve_name


@dataclass(slots=True)
class Problem:
    key: str
    note: str
    reason: str
    candidates: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        more = f" (candidates: {', '.join(self.candidates[:5])})" if self.candidates else ""
        return f"annotation {self.key!r}: {self.reason}{more}"


@dataclass(slots=True)
class Annotations:
    """Resolved notes: by function name, by (caller, callee) step, by command name."""

    functions: dict[str, str] = field(default_factory=dict)
    steps: dict[tuple[str, str], str] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def for_function(self, name: str) -> str | None:
        return self.functions.get(name)

    def for_step(self, caller: str, callee: str) -> str | None:
        return self.steps.get((caller, callee))

    def for_command(self, name: str) -> str | None:
        return self.commands.get(name)


def read_annotations_file(path: str | Path) -> dict[str, str]:
    """The raw key → note mapping (also accepts a list of {symbol|step|command, note})."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read annotations {path}: {error}") from error
    except yaml.YAMLError as error:
        raise UsageError(f"annotations {path} is not valid YAML: {error}") from error
    if data is None:
        return {}
    notes: dict[str, str] = {}
    if isinstance(data, dict):
        for key, note in data.items():
            notes[str(key)] = str(note).strip()
    elif isinstance(data, list):
        for item in data:
            if not isinstance(item, dict) or "note" not in item:
                raise UsageError(f"annotations {path}: each list item needs a note and a symbol, step or command")
            key = item.get("symbol") or item.get("step")
            if key is None and "command" in item:
                key = f"command {item['command']}"
            if key is None:
                raise UsageError(f"annotations {path}: item without symbol, step or command: {item}")
            notes[str(key)] = str(item["note"]).strip()
    else:
        raise UsageError(f"annotations {path}: expected a mapping of symbol to note")
    return notes


def resolve_annotations(notes: dict[str, str], functions: Iterable[str], commands: Iterable[str] = ()) -> Annotations:
    """Attach each note to the symbol it names; unknown or ambiguous keys become problems."""
    names = sorted(set(functions))
    command_names = set(commands)
    out = Annotations()

    def resolve(query: str) -> str:
        return resolve_name(query.strip(), names, "function")

    for key in sorted(notes):
        note = notes[key]
        try:
            if key.startswith("command "):
                name = key[len("command "):].strip()
                if name not in command_names:
                    raise NotFoundError(f"no command named {name!r}", candidates=sorted(command_names))
                out.commands[name] = note
            elif "->" in key:
                caller, callee = key.split("->", 1)
                out.steps[(resolve(caller), resolve(callee))] = note
            else:
                out.functions[resolve(key)] = note
        except AmbiguousNameError as error:
            out.problems.append(Problem(key, note, "ambiguous symbol", list(getattr(error, "candidates", []))))
        except NotFoundError as error:
            out.problems.append(Problem(key, note, "symbol vanished (no longer in the code)",
                                        list(getattr(error, "candidates", []))))
    return out


def load_annotations(path: str | Path | None, functions: Iterable[str], commands: Iterable[str] = ()) -> Annotations:
    if path is None:
        return Annotations()
    return resolve_annotations(read_annotations_file(path), functions, commands)
