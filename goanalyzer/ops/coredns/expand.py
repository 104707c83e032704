"""What CoreDNS runs: server blocks after `import` (snippets, files, globs) and `{$ENV}`/`{%ENV%}`
substitution, with every plugin line traced back to its file and line.

Imports follow CoreDNS: a snippet name defined earlier wins, otherwise the argument is a file or
a glob relative to the importing file; a glob may hold only one wildcard; a glob matching nothing
is allowed, a missing plain file is an error. Problems are collected as notes for `lint`.
"""

from __future__ import annotations

import enum
import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from goanalyzer.ops.inputs import read_input
from goanalyzer.ops.coredns.model import Corefile, Directive, ServerBlock, Snippet, TopImport
from goanalyzer.ops.coredns.parser import parse_corefile, parse_directive_lines
from goanalyzer.ops.coredns.zones import ZoneKey, parse_key

MAX_DEPTH = 10
_ENV = (re.compile(r"\{%([^{}%]+)%\}"), re.compile(r"\{\$([^{}]+)\}"))


def expand_env(value: str, env: Mapping[str, str]) -> str:
    """CoreDNS's substitution: `{%NAME%}` then `{$NAME}`; unset names become empty."""
    if "{" not in value:
        return value
    for pattern in _ENV:
        value = pattern.sub(lambda m: env.get(m.group(1), ""), value)
    return value


@dataclass(slots=True)
class Plugin:
    """One plugin line as CoreDNS will see it."""

    name: str
    args: list[str]
    file: str
    line: int
    block: list["Plugin"] = field(default_factory=list)
    via: str = ""  # e.g. "import mysnippet (line 8)"
    raw_args: list[str] = field(default_factory=list)  # before env substitution


@dataclass(slots=True)
class Key:
    """A server block key with where it was written."""

    key: ZoneKey
    file: str
    line: int
    raw: str = ""  # as written, before environment substitution


@dataclass(slots=True)
class Server:
    """A server block ready for analysis."""

    file: str
    line: int
    keys: list[Key]
    plugins: list[Plugin]
    glued: str = ""


class NoteKind(str, enum.Enum):
    IMPORT_MISSING = "import-missing"
    IMPORT_EMPTY_GLOB = "import-empty-glob"
    IMPORT_BAD_GLOB = "import-bad-glob"
    IMPORT_ARGS = "import-args"
    IMPORT_DEPTH = "import-depth"


@dataclass(slots=True)
class Note:
    kind: NoteKind
    file: str
    line: int
    message: str


@dataclass(slots=True)
class Expanded:
    servers: list[Server]
    notes: list[Note]


def expand(corefile: Corefile, env: Mapping[str, str] | None = None) -> Expanded:
    """Resolve imports and environment references of a parsed Corefile."""
    state = _State(env=dict(os.environ) if env is None else dict(env))
    state.top(corefile, depth=0)
    return Expanded(servers=state.servers, notes=state.notes)


@dataclass(slots=True)
class _State:
    env: dict[str, str]
    snippets: dict[str, Snippet] = field(default_factory=dict)
    servers: list[Server] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def top(self, corefile: Corefile, depth: int) -> None:
        for item in corefile.items:
            if isinstance(item, Snippet):
                self.snippets[item.name] = item
            elif isinstance(item, TopImport):
                self.top_import(corefile.path, item.directive, depth)
            else:
                self.servers.append(self.server(corefile.path, item, depth))

    def top_import(self, path: str, directive: Directive, depth: int) -> None:
        pattern = self.import_pattern(path, directive)
        if pattern is None:
            return
        if pattern in self.snippets:
            self.note(NoteKind.IMPORT_ARGS, path, directive.name.line,
                      f"snippet {pattern} imported outside a server block: not analysed")
            return
        for file in self.import_files(path, directive.name.line, pattern, depth):
            self.top(parse_corefile(read_input(file).text, file), depth + 1)

    def server(self, path: str, block: ServerBlock, depth: int) -> Server:
        keys = []
        for token in block.keys:
            value = expand_env(token.value, self.env).rstrip(",")
            if value:
                keys.append(Key(parse_key(value), path, token.line, token.value.rstrip(",")))
        plugins = self.plugins(path, block.directives, depth, via="")
        return Server(file=path, line=block.line, keys=keys, plugins=plugins, glued=block.glued)

    def plugins(self, path: str, directives: list[Directive], depth: int, via: str) -> list[Plugin]:
        out: list[Plugin] = []
        for directive in directives:
            if directive.name.value == "import":
                out.extend(self.block_import(path, directive, depth, via))
                continue
            out.append(self.plugin(path, directive, via))
        return out

    def plugin(self, path: str, directive: Directive, via: str) -> Plugin:
        block = directive.block
        sub = [self.plugin(path, line, via) for line in block.lines] if block is not None else []
        return Plugin(
            name=expand_env(directive.name.value, self.env),
            args=[expand_env(t.value, self.env) for t in directive.args],
            file=path,
            line=directive.name.line,
            block=sub,
            via=via,
            raw_args=[t.value for t in directive.args],
        )

    def block_import(self, path: str, directive: Directive, depth: int, via: str) -> list[Plugin]:
        pattern = self.import_pattern(path, directive)
        if pattern is None:
            return []
        line = directive.name.line
        if depth >= MAX_DEPTH:
            self.note(NoteKind.IMPORT_DEPTH, path, line, f"import {pattern}: nested deeper than {MAX_DEPTH} levels")
            return []
        here = f"import {pattern} at {Path(path).name}:{line}"
        label = f"{via} > {here}" if via else here
        if pattern in self.snippets:
            return self.plugins(path, self.snippets[pattern].body.lines, depth + 1, label)
        out: list[Plugin] = []
        for file in self.import_files(path, line, pattern, depth):
            out.extend(self.plugins(file, parse_directive_lines(read_input(file).text, file), depth + 1, label))
        return out

    def import_pattern(self, path: str, directive: Directive) -> str | None:
        args = [expand_env(t.value, self.env) for t in directive.args]
        if len(args) != 1 or not args[0]:
            self.note(NoteKind.IMPORT_ARGS, path, directive.name.line,
                      "import takes exactly one argument (a snippet name, file or glob)")
            return None
        if directive.block is not None:
            self.note(NoteKind.IMPORT_ARGS, path, directive.name.line, "import does not take a block")
        return args[0]

    def import_files(self, path: str, line: int, pattern: str, depth: int) -> list[str]:
        if depth >= MAX_DEPTH:
            self.note(NoteKind.IMPORT_DEPTH, path, line, f"import {pattern}: nested deeper than {MAX_DEPTH} levels")
            return []
        full = pattern if os.path.isabs(pattern) else os.path.normpath(os.path.join(os.path.dirname(path), pattern))
        if full.count("*") > 1 or full.count("?") > 1 or ("[" in full and "]" in full):
            self.note(NoteKind.IMPORT_BAD_GLOB, path, line,
                      f"import {pattern}: CoreDNS allows only one wildcard (*) in an import glob")
            return []
        matches = sorted(glob.glob(full))
        if not matches:
            if any(c in full for c in "*?[]"):
                self.note(NoteKind.IMPORT_EMPTY_GLOB, path, line, f"import {pattern}: no file matches the glob")
            else:
                self.note(NoteKind.IMPORT_MISSING, path, line,
                          f"import {pattern}: no snippet of that name is defined before it and no such file")
            return []
        files = []
        for match in matches:
            if os.path.isdir(match):
                self.note(NoteKind.IMPORT_MISSING, path, line, f"import {pattern}: {match} is a directory")
                continue
            files.append(match)
        return files

    def note(self, kind: NoteKind, path: str, line: int, message: str) -> None:
        self.notes.append(Note(kind, path, line, message))

