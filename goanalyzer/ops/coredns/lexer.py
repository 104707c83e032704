"""Corefile tokens, lossless: every byte of the input belongs to a token or to the trivia before one.

CoreDNS (through its Caddy v1 fork) splits a Corefile into whitespace-separated words. A word
that *starts* with `"` runs to the closing quote (only `\\"` is an escape; other backslashes are
kept) and may span lines; a `#` outside quotes starts a comment up to the end of the line, even
in the middle of a word. Braces are ordinary words whose value is `{` or `}`. Only `\\n` counts as
a line break. A leading byte order mark is ignored by CoreDNS; here it is kept in the trivia so
that printing gives back the input byte for byte.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from goanalyzer.ops.common import OpsInputError


class TokenKind(str, enum.Enum):
    """How a token was written: a bare word or a double-quoted string."""

    WORD = "word"
    QUOTED = "quoted"


@dataclass(slots=True)
class Token:
    """One word of the Corefile with the raw text before it (whitespace, comments, newlines)."""

    kind: TokenKind
    text: str  # exactly as written, quotes included
    value: str  # what CoreDNS sees: quotes removed, \" unescaped
    line: int  # line the token starts on
    end_line: int  # line the token ends on (differs for quoted strings spanning lines)
    lead: str = ""  # trivia between the previous token and this one
    starts_line: bool = True  # no earlier token ends on this token's line (CoreDNS's isNewLine)

    def is_brace(self, brace: str) -> bool:
        """CoreDNS compares values, so a quoted "{" acts as a brace too."""
        return self.value == brace


_FILE_SEPARATORS = "\x1c\x1d\x1e\x1f"


def _is_space(ch: str) -> bool:
    """Go's unicode.IsSpace, which Python's str.isspace matches except for the file separators."""
    return ch.isspace() and ch not in _FILE_SEPARATORS


@dataclass(slots=True)
class Lexed:
    """The tokens of one text and the trivia after the last token."""

    tokens: list[Token]
    trailer: str


def lex(text: str, path: str, first_line: int = 1) -> Lexed:
    """Split `text` into tokens; `first_line` shifts line numbers (a Corefile inside a ConfigMap)."""
    tokens: list[Token] = []
    i = 0
    n = len(text)
    line = first_line
    lead_start = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
            continue
        if _is_space(ch) or (ch == "\ufeff" and i == 0):
            i += 1
            continue
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        start, start_line = i, line
        if ch == '"':
            value, i, line = _quoted(text, i, line, path)
            kind = TokenKind.QUOTED
        else:
            while i < n and text[i] != "#" and not _is_space(text[i]):
                i += 1
            value = text[start:i]
            kind = TokenKind.WORD
        lead = text[lead_start:start]
        tokens.append(Token(kind, text[start:i], value, start_line, line, lead, not tokens or "\n" in lead))
        lead_start = i
    return Lexed(tokens, text[lead_start:])


def _quoted(text: str, i: int, line: int, path: str) -> tuple[str, int, int]:
    """Read a quoted string starting at text[i] == '"'; return its value, the next index and line."""
    start_line = line
    out: list[str] = []
    j = i + 1
    n = len(text)
    while j < n:
        c = text[j]
        if c == "\\" and j + 1 < n:
            nxt = text[j + 1]
            if nxt == "\n":
                line += 1
            out.append('"' if nxt == '"' else "\\" + nxt)
            j += 2
            continue
        if c == '"':
            return "".join(out), j + 1, line
        if c == "\n":
            line += 1
        out.append(c)
        j += 1
    raise OpsInputError("unterminated quoted string (no closing '\"')", path=path, line=start_line)
