"""Short excerpts of real source lines, with their line numbers, read from the Program's files."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=512)
def _lines(path: str) -> tuple[str, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    return tuple(line.removesuffix("\r") for line in text.split("\n"))  # Go counts lines by \n only


def source_lines(path: str | Path, first: int, last: int) -> list[tuple[int, str]]:
    """Lines first..last (1-based, inclusive, clipped to the file) as (number, text), tabs as 4 spaces."""
    lines = _lines(str(path))
    first, last = max(1, first), min(len(lines), last)
    return [(n, lines[n - 1].replace("\t", "    ").rstrip()) for n in range(first, last + 1)]


def excerpt(path: str | Path, line: int, before: int = 1, after: int = 2, lo: int | None = None,
            hi: int | None = None) -> list[tuple[int, str]]:
    """The lines around `line`, kept within lo..hi (e.g. the enclosing function), blank edges trimmed."""
    first, last = line - before, line + after
    if lo is not None:
        first = max(first, lo)
    if hi is not None:
        last = min(last, hi)
    rows = source_lines(path, first, last)
    while rows and not rows[0][1].strip() and rows[0][0] != line:
        rows.pop(0)
    while rows and not rows[-1][1].strip() and rows[-1][0] != line:
        rows.pop()
    return rows


STATEMENT_LIMIT = 30
"""Lines of one statement an excerpt shows at most (a long composite literal is cut there)."""


def statement_end(path: str | Path, line: int, limit: int = STATEMENT_LIMIT) -> int:
    """The last line of the statement starting at `line`: where its brackets close again (a
    composite literal such as `cmdTraefik := &cli.Command{...}` spans many lines), at most
    `limit` lines on. Strings, runes and comments are skipped."""
    lines = _lines(str(path))
    depth = 0
    for number in range(line, min(len(lines), line + limit - 1) + 1):
        for char in _code(lines[number - 1]):
            depth += char in "({["
            depth -= char in ")}]"
        if depth <= 0:
            return number
    return min(len(lines), line + limit - 1)


def _code(text: str) -> str:
    """`text` without string and rune literals and a trailing // comment."""
    return _LITERALS.sub("", text).split("//", 1)[0]


_LITERALS = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\'(?:[^\'\\]|\\.)*\'')


def format_excerpt(rows: list[tuple[int, str]], mark: int | None = None, language: str = "go") -> str:
    """A fenced code block with right-aligned line numbers; the line `mark` gets a `>` in the margin."""
    if not rows:
        return ""
    width = len(str(rows[-1][0]))
    body = []
    for number, text in rows:
        arrow = ">" if number == mark else " "
        body.append(f"{arrow}{number:>{width}}  {text}".rstrip())
    return f"```{language}\n" + "\n".join(body) + "\n```"
