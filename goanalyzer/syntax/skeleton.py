"""Blank the bodies of top-level functions before parsing a file whose bodies nobody will read.

Dependencies are loaded for their declarations only, yet tree-sitter spends two thirds of its time
in function bodies. Replacing each body's bytes with spaces (newlines kept) leaves every offset,
line and column where it was, so the declarations parse to the same facts three times faster.

Only declarations that gofmt lays out (`func` at the start of a line, outside any brace, string or
comment) are blanked; a body this scanner is unsure of is left alone, which costs time, never facts.
"""

from __future__ import annotations

import re

_LITERAL = rb'//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\''
_TOP = re.compile(_LITERAL + rb'|^func\b|[{}]', re.S | re.M)
"""At file level: literals and comments to step over, braces to count, and declarations."""
_SIGNATURE = re.compile(_LITERAL + rb'|\b(?:struct|interface)\b|[{}()\[\]\n]', re.S)
"""In a signature: brackets, type braces (struct{...} results), and the newline that ends a body-less func."""
_BLANK = bytes(byte if byte == ord("\n") else ord(" ") for byte in range(256))
"""Every byte to a space except newlines, which keep the lines where they were."""
_NEXT_BRACE = re.compile(rb'(?:[^{}"\'`/]+|' + _LITERAL + rb'|/)*([{}])', re.S)
"""Everything up to the next brace outside literals and comments, in one match: the body scan
loops once per brace, not once per token."""


def blank_bodies(source: bytes) -> bytes:
    """`source` with the inside of each top-level function body replaced by whitespace."""
    spans: list[tuple[int, int]] = []
    depth = 0
    pos = 0
    while (match := _TOP.search(source, pos)) is not None:
        pos = match.end()
        token = match.group()
        if token == b"{":
            depth += 1
        elif token == b"}":
            depth -= 1
        elif token == b"func" and depth == 0:
            opening = _body_opening(source, pos)
            if opening is None:
                continue
            closing = _matching_brace(source, opening)
            if closing is None:
                break  # unbalanced: leave the rest as it is
            spans.append((opening + 1, closing))
            pos = closing + 1
    if not spans:
        return source
    out = bytearray(source)
    for start, end in spans:
        out[start:end] = source[start:end].translate(_BLANK)
    return bytes(out)


def _body_opening(source: bytes, pos: int) -> int | None:
    """Offset of the `{` that opens the body of the func whose signature starts at `pos`, or None."""
    brackets = 0
    type_braces = 0
    type_keyword = False
    while (match := _SIGNATURE.search(source, pos)) is not None:
        pos = match.end()
        token = match.group()
        if token in (b"(", b"["):
            brackets += 1
        elif token in (b")", b"]"):
            brackets -= 1
        elif token in (b"struct", b"interface"):
            type_keyword = True
        elif token == b"{":
            if type_keyword or brackets or type_braces:
                type_braces += 1
                type_keyword = False
            else:
                return match.start()
        elif token == b"}":
            type_braces -= 1
        elif token == b"\n" or (token.startswith(b"/*") and b"\n" in token):
            if not brackets and not type_braces:
                return None  # the declaration ended without a body (implemented in assembly)
    return None


def _matching_brace(source: bytes, opening: int) -> int | None:
    depth = 1
    pos = opening + 1
    while (match := _NEXT_BRACE.match(source, pos)) is not None:
        pos = match.end()
        if match.group(1) == b"{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.start(1)
    return None
