"""Reading tree-sitter nodes of one Go file: their source text, doc comments, and type
expressions (with signatures and struct fields) as the tuple IR of ir.py.

The readers are layered: `NodeReader` (this module) <- `BodyReader` (body_ir.py: expressions and
statements) <- `Extractor` (extract.py: the file's declarations).
"""

from __future__ import annotations

import re
from typing import Any

from tree_sitter import Node

from goanalyzer.model import Diagnostic, Field, Param, Signature

_SPACE = re.compile(r"\s+")


def node_position(node: Node) -> tuple[int, int]:
    """1-based (line, col) of a node's start, col in bytes as go/token counts."""
    row, col = node.start_point
    return row + 1, col + 1


class NodeReader:
    """One file's source, read node by node."""

    def __init__(self, path: str, source: bytes, bodies: bool = True):
        self.path = path
        self.source = source
        self.bodies = bodies
        self.notes: list[Diagnostic] = []
        """Diagnostics found on the way, added to the facts at the end."""
        self._texts: dict[str, str] = {}
        """Each distinct text once: a name read a hundred times is one object, so the file's facts
        pickle it once (a seventh smaller, faster to load) and hold it once in memory."""

    # ------------------------------------------------------------------ helpers
    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        text = self.source[node.start_byte:node.end_byte].decode("utf-8", "replace")
        return self._texts.setdefault(text, text)

    def field_texts(self, node: Node, field_name: str) -> list[str]:
        """The texts of every child under `field_name` (a spec's several names)."""
        return [self.text(c) for i, c in enumerate(node.children) if node.field_name_for_child(i) == field_name]

    def type_text(self, node: Node | None) -> str:
        return _SPACE.sub(" ", self.text(node)).strip()

    def string_value(self, node: Node) -> str:
        raw = self.text(node)
        if raw.startswith("`"):
            return raw[1:-1]
        if raw.startswith('"'):
            try:
                return bytes(raw[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            except (UnicodeDecodeError, UnicodeEncodeError):
                return raw[1:-1]
        return raw

    def _doc(self, comments: list[Node], decl: Node) -> str:
        if not comments or comments[-1].end_point[0] + 1 < decl.start_point[0]:
            return ""
        return _comment_text([self.text(c) for c in comments])

    # ------------------------------------------------------------------- types
    def type_expr(self, node: Node | None) -> Any:
        if node is None:
            return None
        kind = node.type
        if kind == "type_identifier" or kind == "identifier":
            return ("name", self.text(node))
        if kind == "qualified_type":
            return ("qual", self.text(node.child_by_field_name("package")),
                    self.text(node.child_by_field_name("name")))
        if kind == "pointer_type":
            return ("ptr", self.type_expr(node.named_children[0] if node.named_children else None))
        if kind == "slice_type":
            return ("slice", self.type_expr(node.child_by_field_name("element")))
        if kind in ("array_type", "implicit_length_array_type"):
            return ("array", self.type_expr(node.child_by_field_name("element")))
        if kind == "map_type":
            return ("map", self.type_expr(node.child_by_field_name("key")),
                    self.type_expr(node.child_by_field_name("value")))
        if kind == "channel_type":
            return ("chan", self.type_expr(node.child_by_field_name("value")))
        if kind == "function_type":
            sig = self.signature(node)
            return ("func", [p.type for p in sig.params], [r.type for r in sig.results], sig.variadic)
        if kind == "generic_type":
            args = node.child_by_field_name("type_arguments")
            return ("generic", self.type_expr(node.child_by_field_name("type")),
                    [self.type_expr(a) for a in args.named_children] if args is not None else [])
        if kind in ("parenthesized_type", "type_elem", "type_constraint"):
            inner = node.named_children
            return self.type_expr(inner[0]) if len(inner) == 1 else ("unknown", self.type_text(node))
        if kind == "struct_type":
            return ("struct", [(f.name, f.type, f.embedded) for f in self._struct_fields(node)])
        if kind == "interface_type":
            names = [self.text(c.child_by_field_name("name")) for c in node.named_children if c.type == "method_elem"]
            embedded = [self.type_expr(c.named_children[0]) for c in node.named_children if c.type == "type_elem"
                        and len(c.named_children) == 1  # not a constraint's union `~int | string`
                        and c.named_children[0].type in ("type_identifier", "qualified_type")]
            return ("iface", names, embedded) if embedded else ("iface", names)
        if kind == "selector_expression":  # a qualified type in expression position
            operand = node.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier":
                return ("qual", self.text(operand), self.text(node.child_by_field_name("field")))
        if kind == "index_expression" or kind == "type_instantiation_expression":
            operand = node.child_by_field_name("operand") or (node.named_children[0] if node.named_children else None)
            return ("generic", self.type_expr(operand), [])
        return ("unknown", self.type_text(node))

    def signature(self, node: Node) -> Signature:
        params = self._params(node.child_by_field_name("parameters"))
        result = node.child_by_field_name("result")
        if result is None:
            results: list[Param] = []
        elif result.type == "parameter_list":
            results = self._params(result)
        else:
            results = [Param(None, self.type_expr(result), self.type_text(result))]
        return Signature(params=params, results=results)

    def _params(self, node: Node | None) -> list[Param]:
        out: list[Param] = []
        if node is None:
            return out
        for decl in node.named_children:
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            names = self.field_texts(decl, "name")
            type_node = decl.child_by_field_name("type")
            variadic = decl.type == "variadic_parameter_declaration"
            type_ir = self.type_expr(type_node)
            if variadic:
                type_ir = ("slice", type_ir)
            text = ("..." if variadic else "") + self.type_text(type_node)
            for name in names or [None]:
                out.append(Param(name, type_ir, text, variadic))
        return out

    def _struct_fields(self, node: Node) -> list[Field]:
        fields: list[Field] = []
        body = next((c for c in node.named_children if c.type == "field_declaration_list"), None)
        if body is None:
            return fields
        comments: list[Node] = []
        last_line = -1
        for child in body.named_children:
            if child.type == "comment":
                if child.start_point[0] == last_line and fields:
                    if not fields[-1].doc:  # a trailing line comment documents the field before it
                        fields[-1].doc = _comment_text([self.text(child)])
                    continue
                comments.append(child)
                continue
            if child.type != "field_declaration":
                comments = []
                continue
            doc = self._doc(comments, child)
            comments = []
            last_line = child.end_point[0]
            line, col = node_position(child)
            type_node = child.child_by_field_name("type")
            tag_node = child.child_by_field_name("tag")
            tag = self.string_value(tag_node) if tag_node is not None else ""
            names = self.field_texts(child, "name")
            type_ir = self.type_expr(type_node)
            text = self.type_text(type_node)
            if not names:
                pointer = any(c.type == "*" for c in child.children)
                if pointer:
                    type_ir, text = ("ptr", type_ir), "*" + text
                fields.append(Field(name=_embedded_name(type_ir), type_text=text, type=type_ir, tag=tag,
                                    doc=doc, embedded=True, line=line, col=col))
            for name in names:
                fields.append(Field(name=name, type_text=text, type=type_ir, tag=tag, doc=doc, line=line, col=col))
        return fields


def _embedded_name(type_ir: Any) -> str:
    while isinstance(type_ir, tuple) and type_ir[0] in ("ptr", "generic"):
        type_ir = type_ir[1]
    if isinstance(type_ir, tuple) and type_ir[0] in ("name", "qual"):
        return type_ir[-1]
    return "?"


def _comment_text(comments: list[str]) -> str:
    lines: list[str] = []
    for comment in comments:
        if comment.startswith("//"):
            text = comment[2:]
            if text.startswith("go:") or text.startswith("+build") or text.startswith("nolint"):
                continue
            lines.append(text[1:] if text.startswith(" ") else text)
        elif comment.startswith("/*"):
            lines.extend(line.strip(" *") for line in comment[2:-2].splitlines())
    return "\n".join(lines).strip()
