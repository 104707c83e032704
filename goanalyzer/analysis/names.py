"""Fold the string a command's name or description is built from: literals, `+`, named constants
(also imported ones) and `fmt.Sprintf` over them. A name is often only partly constant
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

_VERB = re.compile(r"%[-+# 0-9.*\[\]]*([a-zA-Z%])")
_MAX_DEPTH = 16


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
            return self._sprintf(e[2], depth)
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

    def _is_call(self, function: Any, package: str, name: str) -> bool:
        return (function[0] == "sel" and function[2] == name and function[1][0] == "id"
                and self.imports.get(function[1][1]) == package)

    def _sprintf(self, args: list[Any], depth: int) -> Folded:
        """`fmt.Sprintf(format, args...)` with %s/%v/%d/%q of known strings substituted."""
        layout = self.fold(args[0], depth + 1)
        out: list[str] = []
        values = iter(args[1:])
        position = 0
        for verb in _VERB.finditer(layout.text):
            out.append(layout.text[position:verb.start()])
            position = verb.end()
            if verb.group(1) == "%":
                out.append("%")
                continue
            value = next(values, None)
            folded = self.fold(value, depth + 1) if verb.group(1) in "sv" else Folded("", False)
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
