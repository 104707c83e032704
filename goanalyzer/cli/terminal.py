"""What goanalyzer prints on a terminal, made harmless: the analysed tree's text (a module path in
go.mod, a file name, a doc comment) may hold escape sequences that retitle the window, clear the
screen or forge a line. Every message goes out through here with its control characters shown as
escapes (`\\x1b`), so the reader sees them instead of the terminal obeying them."""

from __future__ import annotations

import logging
import re
import sys

import click

__all__ = ["PrintableFormatter", "echo", "printable", "say"]

# C0 and C1 controls (tab and newline kept) and the bidi overrides that reorder what is shown
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNPRINTABLE = re.compile(f"[{_CONTROL}]")
_UNPRINTABLE_IN_A_LINE = re.compile(f"[{_CONTROL}\n]")


def _escape(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with control characters and bidi overrides escaped; with `one_line`, newlines too,
    so a file name cannot start a line of its own that looks like goanalyzer's."""
    return (_UNPRINTABLE_IN_A_LINE if one_line else _UNPRINTABLE).sub(_escape, text)


def say(text: str) -> None:
    """One message line on stderr (warning, note, error), printable."""
    click.echo(printable(text, one_line=True), err=True)


def echo(text: str, *, nl: bool = True) -> None:
    """Output on stdout: escaped when stdout is a terminal, as is when it goes to a pipe or a file
    (the data stays exact for the program reading it)."""
    click.echo(printable(text) if _is_terminal(sys.stdout) else text, nl=nl)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class PrintableFormatter(logging.Formatter):
    """Log records printed as `say` prints: a record's arguments often carry the tree's text."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))
