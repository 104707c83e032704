"""The lossless Corefile model: a syntax tree whose tokens keep their trivia, so printing it
gives back the input byte for byte, while the tree still says what CoreDNS will see."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from goanalyzer.ops.coredns.lexer import Token


class ItemKind(str, enum.Enum):
    """What a top-level item of a Corefile is."""

    SERVER = "server"  # a server block: keys (zones) and directives
    SNIPPET = "snippet"  # (name) { ... }, reusable with `import name`
    IMPORT = "import"  # a top-level `import FILE-OR-GLOB`


@dataclass(slots=True)
class Block:
    """`{ ... }` inside a directive: its lines are directives of their own (sub-directives)."""

    open: Token
    lines: list["Directive"]
    close: Token


@dataclass(slots=True)
class Directive:
    """A plugin line: its name, then words and nested blocks in source order."""

    name: Token
    items: list[Token | Block] = field(default_factory=list)

    @property
    def args(self) -> list[Token]:
        """The words before the first nested block (what a plugin reads as its arguments)."""
        out: list[Token] = []
        for item in self.items:
            if isinstance(item, Block):
                break
            out.append(item)
        return out

    @property
    def block(self) -> Block | None:
        """The first nested block, if any."""
        for item in self.items:
            if isinstance(item, Block):
                return item
        return None


@dataclass(slots=True)
class ServerBlock:
    """A server block. `open`/`close` are None for the brace-less single-server form; `glued` is
    text stuck to the closing brace (e.g. a sed marker in `}STUBDOMAINS`), kept so lint can say so."""

    keys: list[Token]
    open: Token | None
    directives: list[Directive]
    close: Token | None
    glued: str = ""
    kind: ItemKind = ItemKind.SERVER

    @property
    def line(self) -> int:
        return self.keys[0].line


@dataclass(slots=True)
class Snippet:
    """`(name) { ... }`: directives that `import name` pastes in later."""

    head: Token
    name: str
    body: Block
    kind: ItemKind = ItemKind.SNIPPET

    @property
    def line(self) -> int:
        return self.head.line


@dataclass(slots=True)
class TopImport:
    """A top-level `import PATTERN` (files with whole server blocks)."""

    directive: Directive
    kind: ItemKind = ItemKind.IMPORT

    @property
    def line(self) -> int:
        return self.directive.name.line


Item = ServerBlock | Snippet | TopImport


@dataclass(slots=True)
class Corefile:
    """A parsed Corefile: its items in order and the trivia after the last token."""

    path: str
    items: list[Item]
    trailer: str
