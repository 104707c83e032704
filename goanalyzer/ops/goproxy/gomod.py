"""A small go.mod reader: the module path, requirements and replacements, with line numbers.

Only what the fetch route needs; golang.org/x/mod/modfile is the reference for the syntax
(directives, parenthesised blocks, // comments, "interpreted" and `raw` strings).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.inputs import read_input

DIRECTIVES = {"module", "go", "toolchain", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"}


@dataclass(slots=True)
class Requirement:
    path: str
    version: str
    indirect: bool
    line: int


@dataclass(slots=True)
class Replacement:
    old_path: str
    old_version: str | None
    new_path: str
    new_version: str | None
    line: int

    @property
    def local(self) -> bool:
        """A directory replacement: nothing is fetched."""
        return self.new_version is None


@dataclass(slots=True)
class GoMod:
    module: str | None
    requires: list[Requirement] = field(default_factory=list)
    replaces: list[Replacement] = field(default_factory=list)

    def replacement_for(self, req: Requirement) -> Replacement | None:
        """The replace directive that applies (a versioned one wins over a path-wide one)."""
        exact = [r for r in self.replaces if r.old_path == req.path and r.old_version == req.version]
        wide = [r for r in self.replaces if r.old_path == req.path and r.old_version is None]
        return (exact or wide or [None])[-1]


def _tokens(line: str, path: str, number: int) -> tuple[list[str], str]:
    """Words of one line and its trailing comment text."""
    words: list[str] = []
    i = 0
    while i < len(line):
        c = line[i]
        if c in " \t\r":
            i += 1
        elif line.startswith("//", i):
            return words, line[i + 2 :].strip()
        elif c in "()":
            words.append(c)
            i += 1
        elif c == '"':
            j = i + 1
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            if j >= len(line):
                raise OpsInputError("unterminated quoted string", path=path, line=number)
            try:
                words.append(ast.literal_eval(line[i : j + 1]))
            except (ValueError, SyntaxError):
                raise OpsInputError(f"invalid quoted string {line[i:j + 1]}", path=path, line=number) from None
            i = j + 1
        elif c == "`":
            j = line.find("`", i + 1)
            if j < 0:
                raise OpsInputError("unterminated raw string", path=path, line=number)
            words.append(line[i + 1 : j])
            i = j + 1
        else:
            j = i
            while j < len(line) and line[j] not in " \t\r()\"`" and not line.startswith("//", j):
                j += 1
            words.append(line[i:j])
            i = j
    return words, ""


def _version(word: str, path: str, number: int) -> str:
    if not word.startswith("v") or len(word) < 2:
        raise OpsInputError(f"invalid version {word!r}: must be of the form v1.2.3", path=path, line=number)
    return word


def _is_dir_path(word: str) -> bool:
    return word.startswith(("./", "../", "/")) or word in (".", "..") or (len(word) > 2 and word[1] == ":")


def parse_gomod(text: str, path: str) -> GoMod:
    """Parse go.mod text; OpsInputError names the line of the first problem."""
    mod = GoMod(module=None)
    block: str | None = None
    block_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        words, comment = _tokens(raw, path, number)
        if not words:
            continue
        if block is not None:
            if words == [")"]:
                block = None
                continue
            _entry(mod, block, words, comment, path, number)
            continue
        verb = words[0]
        if verb not in DIRECTIVES:
            raise OpsInputError(f"unknown directive: {verb}", path=path, line=number)
        if words[1:] == ["("]:
            block, block_line = verb, number
            continue
        if "(" in words or ")" in words:
            raise OpsInputError(f"unexpected parenthesis in {verb} directive", path=path, line=number)
        _entry(mod, verb, words[1:], comment, path, number)
    if block is not None:
        raise OpsInputError(f"{block} block opened here is never closed", path=path, line=block_line)
    return mod


def _entry(mod: GoMod, verb: str, args: list[str], comment: str, path: str, number: int) -> None:
    if verb == "module":
        if len(args) != 1:
            raise OpsInputError("usage: module module/path", path=path, line=number)
        mod.module = args[0]
    elif verb == "require":
        if len(args) != 2:
            raise OpsInputError("usage: require module/path v1.2.3", path=path, line=number)
        indirect = comment == "indirect" or comment.startswith("indirect;")
        mod.requires.append(Requirement(args[0], _version(args[1], path, number), indirect, number))
    elif verb == "replace":
        if "=>" not in args:
            raise OpsInputError("usage: replace module/path [v1.2.3] => other/module v1.4", path=path, line=number)
        arrow = args.index("=>")
        left, right = args[:arrow], args[arrow + 1 :]
        if len(left) not in (1, 2) or len(right) not in (1, 2):
            raise OpsInputError("usage: replace module/path [v1.2.3] => other/module v1.4", path=path, line=number)
        old_version = _version(left[1], path, number) if len(left) == 2 else None
        if len(right) == 1:
            if not _is_dir_path(right[0]):
                raise OpsInputError(
                    "replacement module without version must be directory path (rooted or starting with ./ or ../)",
                    path=path, line=number,
                )
            mod.replaces.append(Replacement(left[0], old_version, right[0], None, number))
        else:
            mod.replaces.append(Replacement(left[0], old_version, right[0], _version(right[1], path, number), number))
    # go, toolchain, godebug, exclude, retract, tool, ignore do not change what is fetched


def load_gomod(path: str) -> GoMod:
    """Read and parse a go.mod (`-`: standard input); bytes that are not UTF-8 in comments are kept."""
    source = read_input(path)
    mod = parse_gomod(source.text, source.path)
    if mod.module is None:
        raise OpsInputError("no module directive", path=source.path)
    return mod
