"""Fold the string a command's name or description is built from: literals, `+`, named constants
(also imported ones), `fmt.Sprintf` over them (explicit argument indexes, `%[1]s`, too), and
github.com/MakeNowJust/heredoc's `Doc`/`Docf` (gh's and many cobra programs' long texts: the
common indentation removed). A name is often only partly constant
(`fmt.Sprintf("completion [options] %s", shells)`): the folded text then stops at the first part
that is not, and is marked incomplete, so a caller can still take a first word that is whole.
"""

from __future__ import annotations

__all__ = ["Folded", "Folder", "command_word_of", "go_string"]

import ast
import re
from dataclasses import dataclass
from typing import Any

from goanalyzer.model import SymbolKind
from goanalyzer.program import Program

_VERB = re.compile(r"%([-+# 0]*)(?:\[(\d+)\])?([0-9.*]*)([a-zA-Z%])")
"""A formatting verb: flags, an explicit argument index, width/precision, the verb letter."""
_MAX_DEPTH = 16
_HEREDOC = ("github.com/MakeNowJust/heredoc", "github.com/MakeNowJust/heredoc/v2")


@dataclass(slots=True, frozen=True)
class Folded:
    """The known text of a string expression: all of it (`complete`) or a prefix."""

    text: str
    complete: bool


def go_string(source: str) -> str | None:
    """The value of a Go string literal's source (raw or interpreted); None for anything else."""
    if source.startswith("`"):
        return source[1:-1] if len(source) >= 2 and source.endswith("`") else None
    if source.startswith('"') and source.endswith('"') and len(source) >= 2:
        try:
            value = ast.literal_eval(source)
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, str) else None
    return None


@dataclass(slots=True)
class Folder:
    """Folds expressions of one file: its package and import table name the constants it may use."""

    program: Program
    package: str
    imports: dict[str, str]

    def fold(self, e: Any, depth: int = 0) -> Folded:
        """The known text of `e` (expression IR); an empty incomplete Folded when nothing is known."""
        unknown = Folded("", False)
        if e is None or depth > _MAX_DEPTH:
            return unknown
        tag = e[0]
        if tag == "basic":
            value = go_string(e[2]) if e[1] == "string" and len(e) > 2 else None
            return Folded(value, True) if value is not None else unknown
        if tag == "binary" and e[1] == "+":
            left = self.fold(e[2], depth + 1)
            if not left.complete:
                return left
            right = self.fold(e[3], depth + 1)
            return Folded(left.text + right.text, right.complete)
        if tag == "id":
            return self._constant(self.package, e[1], depth)
        if tag == "sel" and e[1][0] == "id" and e[1][1] in self.imports:
            return self._constant(self.imports[e[1][1]], e[2], depth)
        if tag == "call" and self._is_sprintf(e[1]) and e[2] and not e[5]:
            return self._sprintf(self.fold(e[2][0], depth + 1), e[2], depth)
        if tag == "call" and self._is_heredoc(e[1], "Doc") and len(e[2]) == 1:
            inner = self.fold(e[2][0], depth + 1)
            return Folded(heredoc(inner.text), True) if inner.complete else unknown
        if tag == "call" and self._is_heredoc(e[1], "Docf") and e[2] and not e[5]:
            layout = self.fold(e[2][0], depth + 1)
            return self._sprintf(Folded(heredoc(layout.text), True), e[2], depth) if layout.complete else unknown
        if tag == "call" and self._is_call(e[1], "strings", "TrimSpace") and len(e[2]) == 1:
            inner = self.fold(e[2][0], depth + 1)
            return Folded(inner.text.strip(), True) if inner.complete else Folded(inner.text.lstrip(), False)
        if tag == "conv" and e[1] == ("name", "string"):
            return self.fold(e[2], depth + 1)
        return unknown

    def _constant(self, package: str, name: str, depth: int) -> Folded:
        info = self.program.values.get((package, name))
        if info is None or info.spec.kind is not SymbolKind.CONST or len(info.spec.values) <= info.index:
            return Folded("", False)
        folder = self
        if info.package != self.package:
            folder = Folder(self.program, info.package, self.program.imports(info.file))
        return folder.fold(info.spec.values[info.index], depth + 1)

    def _is_sprintf(self, function: Any) -> bool:
        return self._is_call(function, "fmt", "Sprintf")

    def _is_heredoc(self, function: Any, name: str) -> bool:
        return any(self._is_call(function, path, name) for path in _HEREDOC)

    def _is_call(self, function: Any, package: str, name: str) -> bool:
        return (function[0] == "sel" and function[2] == name and function[1][0] == "id"
                and self.imports.get(function[1][1]) == package)

    def _sprintf(self, layout: Folded, args: list[Any], depth: int) -> Folded:
        """`fmt.Sprintf(format, args...)` with %s/%v of known strings substituted (`%[2]s` takes the
        second argument, and the next verb the third, as in Go); a width or precision, or any
        other verb, ends the known text. `args[0]` is the format, already folded as `layout`."""
        out: list[str] = []
        position = 0
        next_arg = 1
        for verb in _VERB.finditer(layout.text):
            out.append(layout.text[position:verb.start()])
            position = verb.end()
            flags, index, size, letter = verb.groups()
            if letter == "%":
                out.append("%")
                continue
            if index is not None:
                next_arg = int(index)
            value = args[next_arg] if 0 < next_arg < len(args) else None
            next_arg += 1
            known = letter in "sv" and not size and value is not None
            folded = self.fold(value, depth + 1) if known else Folded("", False)
            out.append(folded.text)
            if not folded.complete:
                return Folded("".join(out), False)
        out.append(layout.text[position:])
        return Folded("".join(out), layout.complete)

    def text(self, e: Any) -> str | None:
        """The whole text when it is known, else None (descriptions)."""
        folded = self.fold(e)
        return folded.text if folded.complete else None


def command_word_of(field_name: str, folded: Folded) -> str | None:
    """The name from a name-like field's known text (all of it, or a prefix: `fmt.Sprintf("completion
    [options] %s", x)` is `completion`); None when the part that holds the name is not known."""
    text = folded.text
    if field_name == "Use":  # cobra: the first word of Use
        match = re.match(r"\s*(\S+)(\s|$)", text)
        return match.group(1) if match and (folded.complete or match.group(2)) else None
    if field_name == "UsageLine":  # the go command: the last word before flags or arguments
        words = re.findall(r"\S+(?=\s)", text) if not folded.complete else text.split()
        name = None
        for word in words:
            if word.startswith(("[", "-", "<")):
                return name
            name = word
        return name if folded.complete else None
    return text if folded.complete and text else None


def heredoc(raw: str) -> str:
    """The text heredoc.Doc makes of a raw string: a leading newline dropped, then the smallest
    indentation (spaces and tabs) of the lines that are not blank removed from every line, blank
    lines left empty. Text on the first line (no leading newline) stays as it is and does not count."""
    keep_first = not raw.startswith("\n")
    lines = raw.split("\n") if keep_first else raw[1:].split("\n")
    body = lines[1:] if keep_first else lines
    cut = min((len(line) - len(line.lstrip(" \t")) for line in body if line.strip(" \t")), default=0)
    dedented = [line[cut:] if line.strip(" \t") else "" for line in body]
    return "\n".join(lines[:1] + dedented if keep_first else dedented)
