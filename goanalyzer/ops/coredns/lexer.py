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
import re
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


# Go's unicode.IsSpace (what CoreDNS splits words on): Python's str.isspace without the file
# separators \x1c-\x1f.
_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Trivia (spaces and comments), then one token: a bare word, a quoted string, a lone `"` that never
# closes, or the end of the text. One regex over the whole text keeps lexing linear and in C for
# long lines (possessive quantifiers: no backtracking on long runs of spaces or an open quote).
_TOKEN = re.compile(
    rf'(?P<lead>(?:[{_SPACE}]++|#[^\n]*+)*+)'
    rf'(?:(?P<word>[^{_SPACE}#"][^{_SPACE}#]*+)|(?P<quoted>"(?:[^"\\]++|\\.)*+")|(?P<open>")|\Z)',
    re.DOTALL,
)


MAX_WORDS = 1_000_000
"""Most words a Corefile may hold (a real one has thousands at most); past it the file is refused
before the work that grows with it (bounded time and memory on hostile input)."""


@dataclass(slots=True)
class Lexed:
    """The tokens of one text and the trivia after the last token."""

    tokens: list[Token]
    trailer: str


def lex(text: str, path: str, first_line: int = 1) -> Lexed:
    """Split `text` into tokens; `first_line` shifts line numbers (a Corefile inside a ConfigMap)."""
    tokens: list[Token] = []
    append = tokens.append
    line = first_line
    end = 1 if text.startswith("\ufeff") else 0  # the BOM stays in the first token's trivia
    lead_start = 0
    for match in _TOKEN.finditer(text, end):
        lead = text[lead_start : match.end("lead")]
        breaks = lead.count("\n")
        line += breaks
        if match.end("lead") == len(text):  # only trivia left
            return Lexed(tokens, lead)
        if len(tokens) >= MAX_WORDS:
            raise OpsInputError(f"more than {MAX_WORDS} words (no real Corefile is this large); refusing to "
                                "analyse it", path=path, line=line)
        word = match.group("word")
        if word is not None:
            append(Token(TokenKind.WORD, word, word, line, line, lead, breaks > 0 or not tokens))
        elif (raw := match.group("quoted")) is not None:
            spans = raw.count("\n")
            value = raw[1:-1].replace('\\"', '"') if '\\"' in raw else raw[1:-1]
            append(Token(TokenKind.QUOTED, raw, value, line, line + spans, lead, breaks > 0 or not tokens))
            line += spans
        else:
            raise OpsInputError("unterminated quoted string (no closing '\"')", path=path, line=line)
        lead_start = match.end()
    return Lexed(tokens, text[lead_start:])
