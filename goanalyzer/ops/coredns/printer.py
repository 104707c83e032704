"""Rendering the model: byte-for-byte (`print`), canonical (`fmt`), and as plain data (`parse`).

`print` and `fmt` reproduce the file, so they keep everything in it; the data and the outline
of `parse` show credentials and URL passwords as **** (see masking.py)."""

from __future__ import annotations

from typing import Any, Iterator

from goanalyzer.ops.coredns.lexer import Token, TokenKind
from goanalyzer.ops.coredns.model import Block, Corefile, Directive, Item, ServerBlock, Snippet, TopImport
from goanalyzer.ops.coredns.masking import mask_comment, mask_url, masked_args
from goanalyzer.ops.coredns.zones import parse_key

INDENT = "    "


# ---------------------------------------------------------------- lossless


def tokens_in_order(corefile: Corefile) -> Iterator[Token]:
    """Every token of the tree in source order (walking the tree, not a saved token list)."""
    for item in corefile.items:
        yield from _item_tokens(item)


def _item_tokens(item: Item) -> Iterator[Token]:
    if isinstance(item, TopImport):
        yield from _directive_tokens(item.directive)
    elif isinstance(item, Snippet):
        yield item.head
        yield from _block_tokens(item.body)
    else:
        yield from item.keys
        if item.open is not None:
            yield item.open
        for directive in item.directives:
            yield from _directive_tokens(directive)
        if item.close is not None:
            yield item.close


def _directive_tokens(directive: Directive) -> Iterator[Token]:
    yield directive.name
    for part in directive.items:
        if isinstance(part, Block):
            yield from _block_tokens(part)
        else:
            yield part


def _block_tokens(block: Block) -> Iterator[Token]:
    yield block.open
    for line in block.lines:
        yield from _directive_tokens(line)
    yield block.close


def print_lossless(corefile: Corefile) -> str:
    """The exact text the model was parsed from."""
    return "".join(t.lead + t.text for t in tokens_in_order(corefile)) + corefile.trailer


# ---------------------------------------------------------------- canonical


class _Out:
    """Collects canonical lines; comments found in trivia are placed as whole lines or line ends."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pending_blank = False

    def trivia(self, lead: str, depth: int, first_in_block: bool = False, trailer: bool = False) -> None:
        """Emit the comments of `lead`; a comment on the previous token's line stays at its end.
        A blank line in the input before a comment or token becomes one blank line."""
        segments = lead.split("\n")
        head = segments[0].strip(" \t\r\ufeff")
        if head.startswith("#"):
            if self.lines:
                self.lines[-1] += " " + head
            else:
                self.line(depth, head)
        body = segments[1:] if trailer else segments[1:-1]
        blank = False
        for segment in body:
            text = segment.strip(" \t\r\ufeff")
            if not text:
                blank = True
                continue
            if blank and not first_in_block:
                self.pending_blank = True
            blank = False
            first_in_block = False
            self.line(depth, text)
        if blank and not first_in_block and not trailer:
            self.pending_blank = True

    def line(self, depth: int, text: str) -> None:
        if self.pending_blank and self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.pending_blank = False
        self.lines.append(INDENT * depth + text)


def format_canonical(corefile: Corefile) -> str:
    """Canonical layout: 4-space indents, one space between words, braces at line ends, one blank
    line between top-level items, comments kept. Meaning is unchanged (same tokens per line)."""
    out = _Out()
    for index, item in enumerate(corefile.items):
        if index:
            out.pending_blank = True
        _format_item(out, item)
    out.trivia(corefile.trailer, 0, trailer=True)
    text = "\n".join(out.lines).rstrip("\n")
    return text + "\n" if text else ""


def _format_item(out: _Out, item: Item) -> None:
    if isinstance(item, TopImport):
        _format_directive(out, item.directive, 0)
        return
    if isinstance(item, Snippet):
        out.trivia(item.head.lead, 0)
        out.trivia(item.body.open.lead, 0)
        out.line(0, item.head.text + " {")
        _format_block_body(out, item.body, 1)
        return
    _format_server(out, item)


def _format_server(out: _Out, block: ServerBlock) -> None:
    for key in block.keys:
        out.trivia(key.lead, 0)
    if block.open is not None:
        out.trivia(block.open.lead, 0)
    keys = [_key_text(k) for k in block.keys]  # an empty "" key stays written: it is a word
    out.line(0, " ".join(keys) + " {")
    for position, directive in enumerate(block.directives):
        _format_directive(out, directive, 1, first_in_block=position == 0)
    if block.close is not None:
        out.trivia(block.close.lead, 1, first_in_block=not block.directives)
    out.pending_blank = False
    out.line(0, "}" + block.glued)


def _key_text(key: Token) -> str:
    """A key without the separating comma CoreDNS strips (`a, b` means keys a and b); kept when
    stripping it would leave nothing, a brace, `import` or another comma (`,`, `{,`, `import,`,
    `a,,`), which would read differently."""
    stripped = key.text[:-1]
    if key.text.endswith(",") and key.kind.value == "word" and stripped not in ("", "{", "}", "import") \
            and not stripped.endswith(","):
        return stripped
    return key.text


def _format_directive(out: _Out, directive: Directive, depth: int, first_in_block: bool = False) -> None:
    out.trivia(directive.name.lead, depth, first_in_block)
    words: list[str] = [directive.name.text]
    after_block = False  # words after a nested block's closing brace stay on that brace's line
    for part in directive.items:
        if isinstance(part, Block):
            out.trivia(part.open.lead, depth)
            if after_block:  # a second block right after a closing brace on the same line
                out.lines[-1] += "".join(" " + word for word in words) + " {"
            else:
                out.line(depth, " ".join(words + ["{"]))
            _format_block_body(out, part, depth + 1)
            words, after_block = [], True
            continue
        out.trivia(part.lead, depth)
        words.append(part.text)
    if after_block:
        if words:
            out.lines[-1] += "".join(" " + word for word in words)
    else:
        out.line(depth, " ".join(words))


def _format_block_body(out: _Out, block: Block, depth: int) -> None:
    for position, line in enumerate(block.lines):
        _format_directive(out, line, depth, first_in_block=position == 0)
    out.trivia(block.close.lead, depth, first_in_block=not block.lines)
    out.pending_blank = False
    out.line(depth - 1, "}")


# ---------------------------------------------------------------- plain data


def model_to_data(corefile: Corefile) -> dict[str, Any]:
    """The model as JSON-ready data: items with lines, parsed keys, directives and comments."""
    return {
        "path": corefile.path,
        "items": [_item_data(item) for item in corefile.items],
        "comments": [
            {"line": line, "text": mask_comment(text)} for line, text in _comments(corefile)
        ],
    }


def _item_data(item: Item) -> dict[str, Any]:
    if isinstance(item, TopImport):
        return {"kind": item.kind.value, "line": item.line, "args": [mask_url(t.value) for t in item.directive.args]}
    if isinstance(item, Snippet):
        return {
            "kind": item.kind.value,
            "line": item.line,
            "name": item.name,
            "directives": [_directive_data(d) for d in item.body.lines],
        }
    return {
        "kind": item.kind.value,
        "line": item.line,
        "keys": [_key_data(k) for k in item.keys if k.value != ""],
        "braces": item.open is not None,
        "directives": [_directive_data(d) for d in item.directives],
        "glued_to_closing_brace": item.glued or None,
    }


def _key_data(token: Token) -> dict[str, Any]:
    text = mask_url(token.value.rstrip(","))
    if _has_env(token.value):
        return {"text": text, "line": token.line, "transport": None, "zones": None,
                "port": None, "error": None, "environment": True}
    key = parse_key(token.value.rstrip(","))
    return {
        "text": text,
        "line": token.line,
        "transport": key.transport,
        "zones": key.zones,
        "port": key.port,
        "error": key.error,
        "environment": False,
    }


def _has_env(value: str) -> bool:
    """Keys with {$NAME}/{%NAME%} depend on CoreDNS's environment; the model shows them as written."""
    return "{$" in value or "{%" in value


def _directive_data(directive: Directive, plugin: str | None = None) -> dict[str, Any]:
    """`plugin` is the plugin whose block holds this line (credentials in it are masked)."""
    args = directive.args
    data: dict[str, Any] = {
        "name": directive.name.value,
        "line": directive.name.line,
        "args": masked_args(plugin, directive.name.value, [t.value for t in args]),
    }
    if any(t.kind is TokenKind.QUOTED for t in args):
        data["quoted"] = [t.kind is TokenKind.QUOTED for t in args]
    block = directive.block
    if block is not None:
        data["block"] = [_directive_data(d, directive.name.value) for d in block.lines]
    return data


def _comments(corefile: Corefile) -> list[tuple[int, str]]:
    """Every comment with its line, found in the trivia."""
    found: list[tuple[int, str]] = []
    previous_end: int | None = None
    for token in tokens_in_order(corefile):
        found.extend(_trivia_comments(token.lead, token.line - token.lead.count("\n")))
        previous_end = token.end_line
    start = previous_end if previous_end is not None else 1
    found.extend(_trivia_comments(corefile.trailer, start))
    return found


def _trivia_comments(lead: str, first_line: int) -> list[tuple[int, str]]:
    out = []
    for offset, segment in enumerate(lead.split("\n")):
        text = segment.strip(" \t\r\ufeff")
        if text.startswith("#"):
            out.append((first_line + offset, text))
    return out


def outline(corefile: Corefile) -> str:
    """A short text outline of the model for `parse --format text`."""
    lines = [f"{corefile.path}: {len(corefile.items)} item(s)"]
    for item in corefile.items:
        if isinstance(item, TopImport):
            lines.append(f"line {item.line}: import {' '.join(mask_url(t.value) for t in item.directive.args)}")
        elif isinstance(item, Snippet):
            lines.append(f"line {item.line}: snippet ({item.name})")
            lines.extend(_outline_directives(item.body.lines, 1))
        else:
            keys = []
            for token in item.keys:
                if token.value == "":
                    continue
                keys.append(_outline_key(token.value.rstrip(",")))
            lines.append(f"line {item.line}: server block {' '.join(keys)}")
            lines.extend(_outline_directives(item.directives, 1))
            if item.glued:
                lines.append(f"  (text glued to the closing brace: {item.glued})")
    return "\n".join(lines)


def _outline_key(text: str) -> str:
    if "@" in text:
        text = mask_url(text)
    if _has_env(text):
        return f"{text} (set by the environment)"
    key = parse_key(text)
    if key.error:
        return f"{text} (invalid: {key.error})"
    zones = key.zones[0] if len(key.zones) == 1 else f"{key.zones[0]}..{key.zones[-1]} ({len(key.zones)} zones)"
    return f"{key.transport}://{zones}:{key.port}"


def _outline_directives(directives: list[Directive], depth: int, plugin: str | None = None) -> list[str]:
    lines = []
    for directive in directives:
        args = " ".join(masked_args(plugin, directive.name.value, [t.text for t in directive.args]))
        lines.append(f"{'  ' * depth}{directive.name.line}: {directive.name.value}{' ' + args if args else ''}")
        block = directive.block
        if block is not None:
            lines.extend(_outline_directives(block.lines, depth + 1, directive.name.value))
    return lines
