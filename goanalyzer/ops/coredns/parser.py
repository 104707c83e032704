"""Corefile text to the lossless model, following CoreDNS's (Caddy v1) grammar.

Grammar as CoreDNS reads it:
  * top level: `import PATTERN` lines, snippets `(name) { ... }`, and server blocks: keys on one
    line (a key ending in `,` continues on the next line), then `{`, directives, `}`. A single
    server block may omit its braces; a line of keys alone at the end of the file is accepted.
  * a directive is the words of one line; `{` anywhere opens a nested block that may span lines.
  * the `}` closing a server block starts its own line (CoreDNS: "Unexpected '}'").
One deliberate tolerance: a word glued to a server block's closing brace (`}STUBDOMAINS` in the
sed template of coredns/deployment) is kept as `glued` text instead of failing, so `lint` can
point at the template marker; CoreDNS itself rejects such a file.

When braces do not balance and a word has a brace glued to it (`hosts{`, a stray `}}`), the
error names that word's line, not the far-away place where the imbalance became visible.
Blocks nested deeper than `MAX_NESTING` and keys standing for more than `MAX_ZONES` zones are
refused as malformed input (bounded time and memory on hostile files).
"""

from __future__ import annotations

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.coredns.lexer import Token, TokenKind, lex
from goanalyzer.ops.coredns.model import Block, Corefile, Directive, Item, ServerBlock, Snippet, TopImport
from goanalyzer.ops.coredns.zones import zone_count
from goanalyzer.ops.inputs import nesting_guard

MAX_ZONES = 100_000
"""Most zones the server block keys of one file may stand for (a CIDR key counts its reverse zones)."""
MAX_DIRECTIVES = 200_000
"""Most directive lines one file may hold (each becomes several objects in every later stage)."""


class _BraceError(OpsInputError):
    """Braces that do not balance, raised at token index `where` (len(tokens) = end of input)."""

    def __init__(self, message: str, *, path: str, line: int, where: int):
        super().__init__(message, path=path, line=line)
        self.where = where


def parse_corefile(text: str, path: str, first_line: int = 1) -> Corefile:
    """Parse a whole Corefile; raises OpsInputError naming file and line for malformed input."""
    lexed = lex(text, path, first_line)
    parser = _Parser(lexed.tokens, path)
    try:
        items = parser.top_level()
    except _BraceError as error:
        raise _blame_glued_brace(lexed.tokens, error, path) from None
    return Corefile(path=path, items=items, trailer=lexed.trailer)


def parse_directive_lines(text: str, path: str) -> list[Directive]:
    """Parse a file imported inside a server block: directive lines only."""
    tokens = lex(text, path).tokens
    parser = _Parser(tokens, path)
    try:
        lines, close = parser.lines(server_level=True, depth=1)
        if close is not None:
            raise parser.brace_error("unexpected '}' (no block is open in this imported file)", close.line)
    except _BraceError as error:
        raise _blame_glued_brace(tokens, error, path) from None
    return lines


def _blame_glued_brace(tokens: list[Token], error: _BraceError, path: str) -> OpsInputError:
    """The error at the last word with a brace glued to it before the imbalance, when there is one."""
    then = error.message if "opened at line" in error.message else f"{error.message} at line {error.line}"
    for token in reversed(tokens[: error.where]):
        if token.kind is not TokenKind.WORD or len(token.value) < 2:
            continue
        value = token.value
        if value.endswith("{"):
            fix = f"write `{value[:-1]} {{`" if value.strip("{") else "put each '{' apart"
            return OpsInputError(f"`{value}`: the '{{' is glued to the word, so CoreDNS reads `{value}` as one word "
                                 f"and opens no block; {fix} (then: {then})",
                                 path=path, line=token.line)
        if value.startswith("}"):
            return OpsInputError(f"`{value}`: a '}}' glued to more text is one word for CoreDNS, not a closing "
                                 f"brace; put each '}}' on its own line (then: {then})",
                                 path=path, line=token.line)
    return error


class _Parser:
    """A cursor over the tokens with one method per grammar rule."""

    def __init__(self, tokens: list[Token], path: str):
        self.tokens = tokens
        self.path = path
        self.pos = 0
        self.snippets: set[str] = set()
        self.zones = 0
        self.directives = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def error(self, message: str, line: int) -> OpsInputError:
        return OpsInputError(message, path=self.path, line=line)

    def brace_error(self, message: str, line: int, where: int | None = None) -> _BraceError:
        return _BraceError(message, path=self.path, line=line, where=self.pos if where is None else where)

    def top_level(self) -> list[Item]:
        items: list[Item] = []
        while (token := self.peek()) is not None:
            if token.value == "import" and token.starts_line and token.kind is TokenKind.WORD:
                items.append(TopImport(self.directive(depth=0)))
                continue
            if token.is_brace("}"):
                raise self.brace_error("unexpected '}' (no server block is open)", token.line)
            if token.is_brace("{"):
                raise self.brace_error("'{' without server block keys before it", token.line)
            items.append(self.server_or_snippet())
        return items

    def keys(self) -> list[Token]:
        """Server block keys: the words of one line, continued over lines by a trailing comma."""
        keys = [self.take()]
        self.count_zones(keys[0])
        expecting = keys[0].value.endswith(",")
        while True:
            token = self.peek()
            if token is None:
                if expecting:
                    raise self.error("expected another server block key after ','", keys[-1].line)
                return keys
            if token.is_brace("{"):
                if expecting:
                    raise self.error("expected another key but found '{' - check for an extra comma", token.line)
                return keys
            if token.starts_line and not expecting:
                return keys
            if token.is_brace("}"):
                raise self.brace_error("unexpected '}' among server block keys", token.line)
            keys.append(self.take())
            self.count_zones(token)
            expecting = token.value.endswith(",")

    def count_zones(self, key: Token) -> None:
        """Refuse files whose keys stand for more zones than any real Corefile (bounded memory)."""
        self.zones += zone_count(key.value.rstrip(","))
        if self.zones > MAX_ZONES:
            raise self.error(f"server block keys stand for more than {MAX_ZONES} zones (a CIDR key counts "
                             "each reverse zone it covers); refusing to analyse this file", key.line)

    def server_or_snippet(self) -> Item:
        keys = self.keys()
        values = [k.value for k in keys if k.value != ""]
        if len(values) == 1 and len(keys) == 1 and values[0].startswith("(") and values[0].endswith(")"):
            return self.snippet(keys[0])
        token = self.peek()
        if token is None:
            return ServerBlock(keys=keys, open=None, directives=[], close=None)
        if token.is_brace("{"):
            opening = self.take()
            directives, close = self.lines(server_level=True, depth=1)
            if close is None:
                raise self.brace_error(f"missing '}}' for the server block opened at line {opening.line}",
                                       opening.line)
            glued = close.value[1:] if close.value != "}" else ""
            return ServerBlock(keys=keys, open=opening, directives=directives, close=close, glued=glued)
        directives, close = self.lines(server_level=True, depth=1)  # single server block without braces
        glued = close.value[1:] if close is not None and close.value != "}" else ""
        return ServerBlock(keys=keys, open=None, directives=directives, close=close, glued=glued)

    def snippet(self, head: Token) -> Snippet:
        name = head.value[1:-1]
        if name in self.snippets:
            raise self.error(f"redeclaration of previously declared snippet {name}", head.line)
        self.snippets.add(name)
        token = self.peek()
        if token is None or not token.is_brace("{"):
            raise self.error(f"snippet {head.value} needs a '{{' block", head.line)
        return Snippet(head=head, name=name, body=self.block(self.take(), depth=1))

    def lines(self, server_level: bool, depth: int) -> tuple[list[Directive], Token | None]:
        """Directive lines up to the closing brace (returned) or the end of input (None)."""
        lines: list[Directive] = []
        while (token := self.peek()) is not None:
            if token.is_brace("}"):
                if server_level and lines and not token.starts_line:
                    raise self.brace_error("unexpected '}' at the end of a directive line: put it on its own line",
                                           token.line)
                return lines, self.take()
            if server_level and _glued_close(token):
                return lines, self.take()
            if token.is_brace("{"):
                raise self.brace_error("unexpected '{' at the start of a line (no directive before it)", token.line)
            lines.append(self.directive(depth))
        return lines, None

    def directive(self, depth: int) -> Directive:
        """One directive: its name and the rest of its line, nested blocks included (a tight loop:
        one line may hold millions of words)."""
        tokens, pos = self.tokens, self.pos
        self.directives += 1
        if self.directives > MAX_DIRECTIVES:
            raise self.error(f"more than {MAX_DIRECTIVES} directive lines (no real Corefile is this large); "
                             "refusing to analyse it", tokens[pos].line)
        directive = Directive(name=tokens[pos])
        items = directive.items
        pos += 1
        count = len(tokens)
        while pos < count:
            token = tokens[pos]
            value = token.value
            if token.starts_line or value == "}":
                break
            if value == "{":
                self.pos = pos + 1
                items.append(self.block(token, depth + 1))
                pos = self.pos
                continue
            items.append(token)
            pos += 1
        self.pos = pos
        return directive

    def block(self, opening: Token, depth: int) -> Block:
        nesting_guard(depth, path=self.path, line=opening.line)
        lines, close = self.lines(server_level=False, depth=depth)
        if close is None:
            raise self.brace_error(f"missing '}}' for the '{{' opened at line {opening.line}", opening.line)
        return Block(open=opening, lines=lines, close=close)


def _glued_close(token: Token) -> bool:
    """`}WORD` at the start of a line: a closing brace with a template marker stuck to it."""
    return (
        token.kind is TokenKind.WORD
        and token.starts_line
        and len(token.value) > 1
        and token.value.startswith("}")
        and "{" not in token.value
        and "}" not in token.value[1:]
    )
