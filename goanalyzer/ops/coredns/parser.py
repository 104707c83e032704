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
"""

from __future__ import annotations

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.coredns.lexer import Token, TokenKind, lex
from goanalyzer.ops.coredns.model import Block, Corefile, Directive, Item, ServerBlock, Snippet, TopImport


def parse_corefile(text: str, path: str, first_line: int = 1) -> Corefile:
    """Parse a whole Corefile; raises OpsInputError naming file and line for malformed input."""
    lexed = lex(text, path, first_line)
    parser = _Parser(lexed.tokens, path)
    items = parser.top_level()
    return Corefile(path=path, items=items, trailer=lexed.trailer)


def parse_directive_lines(text: str, path: str) -> list[Directive]:
    """Parse a file imported inside a server block: directive lines only."""
    parser = _Parser(lex(text, path).tokens, path)
    lines, close = parser.lines(server_level=True)
    if close is not None:
        raise OpsInputError("unexpected '}' (no block is open in this imported file)", path=path, line=close.line)
    return lines


class _Parser:
    """A cursor over the tokens with one method per grammar rule."""

    def __init__(self, tokens: list[Token], path: str):
        self.tokens = tokens
        self.path = path
        self.pos = 0
        self.snippets: set[str] = set()

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def error(self, message: str, line: int) -> OpsInputError:
        return OpsInputError(message, path=self.path, line=line)

    def top_level(self) -> list[Item]:
        items: list[Item] = []
        while (token := self.peek()) is not None:
            if token.value == "import" and token.starts_line and token.kind is TokenKind.WORD:
                items.append(TopImport(self.directive()))
                continue
            if token.is_brace("}"):
                raise self.error("unexpected '}' (no server block is open)", token.line)
            if token.is_brace("{"):
                raise self.error("'{' without server block keys before it", token.line)
            items.append(self.server_or_snippet())
        return items

    def keys(self) -> list[Token]:
        """Server block keys: the words of one line, continued over lines by a trailing comma."""
        keys = [self.take()]
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
                raise self.error("unexpected '}' among server block keys", token.line)
            keys.append(self.take())
            expecting = token.value.endswith(",")

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
            directives, close = self.lines(server_level=True)
            if close is None:
                raise self.error(f"missing '}}' for the server block opened at line {opening.line}", opening.line)
            glued = close.value[1:] if close.value != "}" else ""
            return ServerBlock(keys=keys, open=opening, directives=directives, close=close, glued=glued)
        directives, close = self.lines(server_level=True)  # single server block without braces
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
        return Snippet(head=head, name=name, body=self.block(self.take()))

    def lines(self, server_level: bool) -> tuple[list[Directive], Token | None]:
        """Directive lines up to the closing brace (returned) or the end of input (None)."""
        lines: list[Directive] = []
        while (token := self.peek()) is not None:
            if token.is_brace("}"):
                if server_level and lines and not token.starts_line:
                    raise self.error("unexpected '}' at the end of a directive line: put it on its own line", token.line)
                return lines, self.take()
            if server_level and _glued_close(token):
                return lines, self.take()
            if token.is_brace("{"):
                raise self.error("unexpected '{' at the start of a line (no directive before it)", token.line)
            lines.append(self.directive())
        return lines, None

    def directive(self) -> Directive:
        """One directive: its name and the rest of its line, nested blocks included."""
        directive = Directive(name=self.take())
        while (token := self.peek()) is not None:
            if token.starts_line or token.is_brace("}"):
                break
            if token.is_brace("{"):
                directive.items.append(self.block(self.take()))
                continue
            directive.items.append(self.take())
        return directive

    def block(self, opening: Token) -> Block:
        lines, close = self.lines(server_level=False)
        if close is None:
            raise self.error(f"missing '}}' for the '{{' opened at line {opening.line}", opening.line)
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
