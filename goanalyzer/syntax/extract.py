"""tree-sitter tree -> FileFacts. Receives source bytes, never opens files.

Everything outside a broken region is still extracted: tree-sitter recovers locally, and a
declaration that lost its body to an ERROR node is kept without body, with a diagnostic.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import tree_sitter_go
from tree_sitter import Language, Node, Parser

from goanalyzer.model import (
    Diagnostic,
    Field,
    FileFacts,
    FuncDecl,
    Import,
    InterfaceMethod,
    Param,
    Receiver,
    Severity,
    Signature,
    SymbolKind,
    TypeDecl,
    TypeKind,
    ValueSpec,
)
from goanalyzer.syntax.skeleton import blank_bodies
from goanalyzer.syntax.ir import FuncLit

MAX_ERROR_DIAGNOSTICS = 5


@functools.cache
def go_language() -> Language:
    return Language(tree_sitter_go.language())


@functools.cache
def go_parser() -> Parser:
    return Parser(go_language())


def parse_source(path: str, source: bytes, bodies: bool = True) -> FileFacts:
    """Parse one Go file's bytes into facts; function bodies only when asked (they cost 4x the rest)."""
    tree = go_parser().parse(source if bodies else blank_bodies(source))
    try:
        return Extractor(path, source, bodies).file(tree.root_node)
    except RecursionError:  # pathologically nested expressions in a body: keep the declarations
        if not bodies:
            facts = FileFacts(path=path, package="")
            facts.diagnostics.append(Diagnostic(Severity.WARNING, "declarations nested too deeply; file skipped", path))
            return facts
        facts = Extractor(path, source, False).file(tree.root_node)
        facts.diagnostics.append(Diagnostic(Severity.WARNING, "expressions nested too deeply; bodies skipped", path))
        return facts


def _pos(node: Node) -> tuple[int, int]:
    row, col = node.start_point
    return row + 1, col + 1


_BASIC = {
    "interpreted_string_literal": ("basic", "string"),
    "raw_string_literal": ("basic", "string"),
    "int_literal": ("basic", "int"),
    "float_literal": ("basic", "float"),
    "imaginary_literal": ("basic", "imag"),
    "rune_literal": ("basic", "rune"),
    "true": ("basic", "bool"),
    "false": ("basic", "bool"),
    "iota": ("basic", "int"),
}

_TYPE_NODES = {
    "type_identifier", "qualified_type", "pointer_type", "slice_type", "array_type",
    "implicit_length_array_type", "map_type", "channel_type", "function_type", "struct_type",
    "interface_type", "generic_type", "parenthesized_type", "negated_type", "type_elem",
}

_SPACE = re.compile(r"\s+")


class Extractor:
    """One file's extraction; holds the source so node text can be sliced."""

    def __init__(self, path: str, source: bytes, bodies: bool = True):
        self.path = path
        self.source = source
        self.bodies = bodies
        self.notes: list[Diagnostic] = []
        """Diagnostics found on the way, added to the facts at the end."""

    # ------------------------------------------------------------------ helpers
    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.source[node.start_byte:node.end_byte].decode("utf-8", "replace")

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

    # --------------------------------------------------------------------- file
    def file(self, root: Node) -> FileFacts:
        facts = FileFacts(path=self.path, package="", size=len(self.source),
                          lines=self.source.count(b"\n") + (0 if self.source.endswith(b"\n") else 1),
                          with_bodies=self.bodies)
        if root.has_error:
            self._error_diagnostics(root, facts)
        pending_doc: list[Node] = []
        for child in root.named_children:
            kind = child.type
            if kind == "comment":
                if pending_doc and child.start_point[0] > pending_doc[-1].end_point[0] + 1:
                    pending_doc = []
                pending_doc.append(child)
                continue
            doc = self._doc(pending_doc, child)
            pending_doc = []
            if kind == "package_clause":
                name = child.named_children[0] if child.named_children else None
                facts.package = self.text(name)
            elif kind == "import_declaration":
                self._imports(child, facts)
            elif kind == "function_declaration":
                facts.funcs.append(self._func(child, doc, facts))
            elif kind == "method_declaration":
                facts.funcs.append(self._func(child, doc, facts, method=True))
            elif kind == "type_declaration":
                self._type_declaration(child, doc, facts.types)
            elif kind in ("const_declaration", "var_declaration"):
                self._value_declaration(child, doc, facts.values)
        facts.uses_cgo = any(imp.path == "C" for imp in facts.imports)
        if not facts.package:
            facts.diagnostics.append(Diagnostic(Severity.ERROR, "no package clause", self.path, 1))
        facts.diagnostics.extend(self.notes)
        return facts

    def _error_diagnostics(self, root: Node, facts: FileFacts) -> None:
        found: list[Node] = []
        stack = [root]
        while stack and len(found) < MAX_ERROR_DIAGNOSTICS:
            node = stack.pop()
            if node.type == "ERROR" or node.is_missing:
                found.append(node)
                continue
            if node.has_error:
                stack.extend(reversed(node.children))
        for node in found:
            line, col = _pos(node)
            what = f"missing {node.type}" if node.is_missing else "syntax error"
            facts.diagnostics.append(
                Diagnostic(Severity.WARNING, f"{what} at {line}:{col}; facts inside this region are skipped",
                           self.path, line))

    def _doc(self, comments: list[Node], decl: Node) -> str:
        if not comments or comments[-1].end_point[0] + 1 < decl.start_point[0]:
            return ""
        return _comment_text([self.text(c) for c in comments])

    def _imports(self, node: Node, facts: FileFacts) -> None:
        specs: list[Node] = []
        for child in node.named_children:
            if child.type == "import_spec":
                specs.append(child)
            elif child.type == "import_spec_list":
                specs.extend(c for c in child.named_children if c.type == "import_spec")
        for spec in specs:
            path_node = spec.child_by_field_name("path")
            name_node = spec.child_by_field_name("name")
            if path_node is None:
                continue
            line, col = _pos(spec)
            facts.imports.append(Import(path=self.string_value(path_node),
                                        alias=self.text(name_node) if name_node is not None else None,
                                        line=line, col=col))

    # -------------------------------------------------------------- declarations
    def _func(self, node: Node, doc: str, facts: FileFacts, method: bool = False) -> FuncDecl:
        line, col = _pos(node)
        name = self.text(node.child_by_field_name("name"))
        receiver = None
        if method:
            receiver = self._receiver(node.child_by_field_name("receiver"))
        body_node = node.child_by_field_name("body")
        decl = FuncDecl(
            name=name, line=line, col=col, end_line=node.end_point[0] + 1,
            signature=self.signature(node), receiver=receiver,
            type_params=self._type_params(node.child_by_field_name("type_parameters")),
            doc=doc, body=self.block(body_node) if body_node is not None and self.bodies else None,
            has_body=body_node is not None, end_col=node.end_point[1] + 1,
        )
        if body_node is None and facts.diagnostics:
            facts.diagnostics.append(Diagnostic(
                Severity.WARNING, f"function {name} has no body that parses; its calls are unknown", self.path, line))
        return decl

    def _receiver(self, node: Node | None) -> Receiver | None:
        if node is None:
            return None
        for param in node.named_children:
            if param.type != "parameter_declaration":
                continue
            name_node = param.child_by_field_name("name")
            type_node = param.child_by_field_name("type")
            pointer = False
            while type_node is not None and type_node.type in ("pointer_type", "parenthesized_type"):
                pointer = pointer or type_node.type == "pointer_type"
                type_node = type_node.named_children[0] if type_node.named_children else None
            type_params: list[str] = []
            if type_node is not None and type_node.type == "generic_type":
                args = type_node.child_by_field_name("type_arguments")
                type_params = [self.type_text(a) for a in args.named_children] if args is not None else []
                type_node = type_node.child_by_field_name("type")
            return Receiver(name=self.text(name_node) if name_node is not None else None,
                            type_name=self.text(type_node), pointer=pointer, type_params=type_params)
        return None

    def _type_params(self, node: Node | None) -> list[str]:
        if node is None:
            return []
        names: list[str] = []
        for decl in node.named_children:
            for i, child in enumerate(decl.children):
                if decl.field_name_for_child(i) == "name":
                    names.append(self.text(child))
        return names

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

    def _type_declaration(self, node: Node, doc: str, out: list[TypeDecl]) -> None:
        specs = [c for c in node.named_children if c.type in ("type_spec", "type_alias")]
        comments: list[Node] = []
        for child in node.named_children:
            if child.type == "comment":
                comments.append(child)
                continue
            if child.type not in ("type_spec", "type_alias"):
                continue
            spec_doc = self._doc(comments, child) if len(specs) > 1 else doc
            comments = []
            out.append(self._type_spec(child, spec_doc or (doc if len(specs) == 1 else "")))

    def _type_spec(self, node: Node, doc: str) -> TypeDecl:
        line, col = _pos(node)
        name = self.text(node.child_by_field_name("name"))
        type_node = node.child_by_field_name("type")
        type_params = self._type_params(node.child_by_field_name("type_parameters"))
        underlying = self.type_expr(type_node)
        decl = TypeDecl(name=name, kind=TypeKind.NAMED, line=line, col=col, underlying=underlying,
                        underlying_text=self.type_text(type_node), type_params=type_params, doc=doc)
        if node.type == "type_alias":
            decl.kind = TypeKind.ALIAS
        elif type_node is not None and type_node.type == "struct_type":
            decl.kind = TypeKind.STRUCT
            decl.fields = self._struct_fields(type_node)
        elif type_node is not None and type_node.type == "interface_type":
            decl.kind = TypeKind.INTERFACE
            decl.methods, decl.embeds = self._interface(type_node)
        return decl

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
            line, col = _pos(child)
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

    def _interface(self, node: Node) -> tuple[list[InterfaceMethod], list[Any]]:
        methods: list[InterfaceMethod] = []
        embeds: list[Any] = []
        comments: list[Node] = []
        for child in node.named_children:
            if child.type == "comment":
                comments.append(child)
                continue
            if child.type == "method_elem":
                methods.append(InterfaceMethod(name=self.text(child.child_by_field_name("name")),
                                               signature=self.signature(child), doc=self._doc(comments, child),
                                               line=child.start_point[0] + 1))
            elif child.type == "type_elem":
                for elem in child.named_children:
                    embeds.append(self.type_expr(elem))
            comments = []
        return methods, embeds

    def _value_declaration(self, node: Node, doc: str, out: list[ValueSpec]) -> None:
        kind = SymbolKind.CONST if node.type == "const_declaration" else SymbolKind.VAR
        specs = _value_specs(node)
        previous: ValueSpec | None = None
        for index, spec in enumerate(specs):
            line, col = _pos(spec)
            names = self.field_texts(spec, "name")
            type_node = spec.child_by_field_name("type")
            value_node = spec.child_by_field_name("value")
            try:
                values = [self.expr(v) for v in value_node.named_children] if value_node is not None else []
            except RecursionError:  # a generated table of thousands of `+` (time/tzdata): keep name and type
                values = [("other",)] * len(value_node.named_children)
                self.notes.append(Diagnostic(Severity.WARNING, f"initialiser of {', '.join(names)} nested too deeply; "
                                             "its value is not analysed", self.path, line))
            spec_doc = doc if len(specs) == 1 else self._doc(_preceding_comments(spec), spec)
            value = ValueSpec(kind=kind, names=names, line=line, col=col,
                              type=self.type_expr(type_node) if type_node is not None else None,
                              type_text=self.type_text(type_node), values=values, iota=index, doc=spec_doc)
            if kind is SymbolKind.CONST and not values and previous is not None:
                value.type, value.type_text, value.values = previous.type, previous.type_text, previous.values
            previous = value
            out.append(value)

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
            return ("iface", [self.text(c.child_by_field_name("name"))
                              for c in node.named_children if c.type == "method_elem"])
        if kind == "selector_expression":  # a qualified type in expression position
            operand = node.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier":
                return ("qual", self.text(operand), self.text(node.child_by_field_name("field")))
        if kind == "index_expression" or kind == "type_instantiation_expression":
            operand = node.child_by_field_name("operand") or (node.named_children[0] if node.named_children else None)
            return ("generic", self.type_expr(operand), [])
        return ("unknown", self.type_text(node))

    # ------------------------------------------------------------- expressions
    def expr(self, node: Node | None) -> Any:  # noqa: C901 - one dispatch over node kinds
        if node is None:
            return ("other",)
        kind = node.type
        if kind == "identifier":
            line, col = _pos(node)
            return ("id", self.text(node), line, col)
        if kind in ("interpreted_string_literal", "raw_string_literal"):
            return ("basic", "string", self.text(node))
        if kind in ("int_literal", "float_literal"):
            return ("basic", "int" if kind == "int_literal" else "float", self.text(node))
        if kind in _BASIC:
            return (*_BASIC[kind], self.text(node))
        if kind == "nil":
            return ("nil",)
        if kind == "selector_expression":
            field_node = node.child_by_field_name("field")
            line, col = _pos(field_node) if field_node is not None else _pos(node)
            return ("sel", self.expr(node.child_by_field_name("operand")), self.text(field_node), line, col)
        if kind == "call_expression":
            args_node = node.child_by_field_name("arguments")
            function = self.expr(node.child_by_field_name("function"))
            type_args = node.child_by_field_name("type_arguments")
            if type_args is not None:
                function = ("index", function, [("typeexpr", self.type_expr(a)) for a in type_args.named_children])
            args: list[Any] = []
            spread = False
            line, col = _pos(args_node) if args_node is not None else _pos(node)
            if args_node is not None:
                for arg in args_node.named_children:
                    if arg.type == "variadic_argument":
                        spread = True
                        arg = arg.named_children[0] if arg.named_children else arg
                    if arg.type == "comment":
                        continue
                    args.append(self.expr(arg))
            return ("call", function, args, line, col, spread)
        if kind == "parenthesized_expression":
            inner = [c for c in node.named_children if c.type != "comment"]
            return self.expr(inner[0]) if inner else ("other",)
        if kind == "composite_literal":
            line, col = _pos(node)
            type_node = node.child_by_field_name("type")
            # without bodies, only the literal's type matters (package-level tables can be huge)
            elements = self._literal_elements(node.child_by_field_name("body")) if self.bodies else []
            return ("lit", self.type_expr(type_node) if type_node is not None else None, elements, line, col)
        if kind == "func_literal":
            body = node.child_by_field_name("body")
            line, col = _pos(node)
            return ("funclit", FuncLit(self.signature(node), self.block(body) if body is not None else None,
                                       line, col, node.end_point[0] + 1))
        if kind == "unary_expression":
            operator = node.child_by_field_name("operator")
            return ("unary", self.text(operator) if operator is not None else node.children[0].type,
                    self.expr(node.child_by_field_name("operand")))
        if kind == "binary_expression":
            operator = node.child_by_field_name("operator")
            return ("binary", self.text(operator), self.expr(node.child_by_field_name("left")),
                    self.expr(node.child_by_field_name("right")))
        if kind == "index_expression":
            indices = [self.expr(c) for i, c in enumerate(node.children)
                       if node.field_name_for_child(i) == "index"]
            return ("index", self.expr(node.child_by_field_name("operand")), indices)
        if kind == "slice_expression":
            return ("slice", self.expr(node.child_by_field_name("operand")),
                    *(self.expr(bound) if (bound := node.child_by_field_name(name)) is not None else None
                      for name in ("start", "end", "capacity")))
        if kind == "type_assertion_expression":
            type_node = node.child_by_field_name("type")
            return ("assert", self.expr(node.child_by_field_name("operand")),
                    self.type_expr(type_node) if type_node is not None else None)
        if kind == "type_conversion_expression":
            type_node = node.child_by_field_name("type")
            line, col = _pos(node)
            lparen = next((c for c in node.children if c.type == "("), None)
            if lparen is not None:
                line, col = _pos(lparen)
            return ("conv", self.type_expr(type_node), self.expr(node.child_by_field_name("operand")), line, col)
        if kind == "type_instantiation_expression":
            children = node.named_children
            return ("index", self.expr(children[0]) if children else ("other",),
                    [("typeexpr", self.type_expr(c)) for c in children[1:]])
        if kind in _TYPE_NODES:
            if kind == "type_identifier":
                line, col = _pos(node)
                return ("id", self.text(node), line, col)
            return ("typeexpr", self.type_expr(node))
        return ("other",)

    def _literal_elements(self, body: Node | None) -> list[tuple[Any, Any]]:
        elements: list[tuple[Any, Any]] = []
        if body is None:
            return elements
        for child in body.named_children:
            if child.type == "keyed_element":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                elements.append((self._element(key), self._element(value)))
            elif child.type == "literal_element":
                elements.append((None, self._element(child)))
        return elements

    def _element(self, node: Node | None) -> Any:
        if node is None:
            return ("other",)
        if node.type == "literal_element":
            inner = [c for c in node.named_children if c.type != "comment"]
            if not inner:
                return ("other",)
            node = inner[0]
        if node.type == "literal_value":
            line, col = _pos(node)
            return ("lit", None, self._literal_elements(node), line, col)
        return self.expr(node)

    # -------------------------------------------------------------- statements
    def block(self, node: Node | None) -> Any:
        if node is None:
            return ("block", [], 0)
        return ("block", self._statements(list(node.named_children)), node.start_point[0] + 1)

    def _statements(self, nodes: list[Node]) -> list[Any]:
        out: list[Any] = []
        for child in nodes:
            if child.type == "statement_list":
                out.extend(self.statement(s) for s in child.named_children if s.type != "comment")
            elif child.type != "comment":
                out.append(self.statement(child))
        return out

    def _expr_list(self, node: Node | None) -> list[Any]:
        if node is None:
            return []
        if node.type == "expression_list":
            return [self.expr(c) for c in node.named_children if c.type != "comment"]
        return [self.expr(node)]

    def statement(self, node: Node) -> Any:  # noqa: C901 - one dispatch over statement kinds
        kind = node.type
        line = node.start_point[0] + 1
        if kind == "expression_statement":
            inner = node.named_children
            return ("expr", self.expr(inner[0]) if inner else ("other",), line)
        if kind == "short_var_declaration":
            names = [self.text(c) for c in node.child_by_field_name("left").named_children] \
                if node.child_by_field_name("left") is not None else []
            return ("define", names, self._expr_list(node.child_by_field_name("right")), line)
        if kind == "assignment_statement":
            operator = node.child_by_field_name("operator")
            return ("assign", self._expr_list(node.child_by_field_name("left")),
                    self.text(operator) if operator is not None else "=",
                    self._expr_list(node.child_by_field_name("right")), line)
        if kind in ("var_declaration", "const_declaration"):
            out = []
            for spec in _value_specs(node):
                names = self.field_texts(spec, "name")
                type_node = spec.child_by_field_name("type")
                out.append(("var", names, self.type_expr(type_node) if type_node is not None else None,
                            self._expr_list(spec.child_by_field_name("value")), spec.start_point[0] + 1))
            return out[0] if len(out) == 1 else ("decls", out, line)
        if kind == "type_declaration":
            out = []
            for spec in node.named_children:
                if spec.type in ("type_spec", "type_alias"):
                    out.append(("type", self.text(spec.child_by_field_name("name")),
                                self.type_expr(spec.child_by_field_name("type")), spec.start_point[0] + 1))
            return out[0] if len(out) == 1 else ("decls", out, line)
        if kind in ("go_statement", "defer_statement"):
            inner = [c for c in node.named_children if c.type != "comment"]
            return ("go" if kind == "go_statement" else "defer",
                    self.expr(inner[0]) if inner else ("other",), node.start_point[1] + 1, line)
        if kind == "return_statement":
            inner = [c for c in node.named_children if c.type != "comment"]
            return ("return", self._expr_list(inner[0]) if inner else [], line)
        if kind == "if_statement":
            init = node.child_by_field_name("initializer")
            alternative = node.child_by_field_name("alternative")
            return ("if", self.statement(init) if init is not None else None,
                    self.expr(node.child_by_field_name("condition")),
                    self.block(node.child_by_field_name("consequence")),
                    self.statement(alternative) if alternative is not None else None, line)
        if kind == "block":
            return self.block(node)
        if kind == "for_statement":
            body = self.block(node.child_by_field_name("body"))
            clause = next((c for c in node.named_children if c.type in ("for_clause", "range_clause")), None)
            if clause is None:
                cond = next((c for c in node.named_children if c.type not in ("block", "comment")), None)
                return ("for", None, self.expr(cond) if cond is not None else None, None, body, line)
            if clause.type == "range_clause":
                left = clause.child_by_field_name("left")
                define = any(c.type == ":=" for c in clause.children)
                return ("range", self._expr_list(left), define, self.expr(clause.child_by_field_name("right")),
                        body, line)
            init = clause.child_by_field_name("initializer")
            cond = clause.child_by_field_name("condition")
            update = clause.child_by_field_name("update")
            return ("for", self.statement(init) if init is not None else None,
                    self.expr(cond) if cond is not None else None,
                    self.statement(update) if update is not None else None, body, line)
        if kind == "expression_switch_statement":
            init = node.child_by_field_name("initializer")
            value = node.child_by_field_name("value")
            cases = []
            for case in node.named_children:
                if case.type == "expression_case":
                    values = self._expr_list(case.child_by_field_name("value"))
                    body = [c for c in case.named_children if c.type == "statement_list"]
                    cases.append((values, self._statements(body), False))
                elif case.type == "default_case":
                    cases.append(([], self._statements([c for c in case.named_children]), True))
            return ("switch", self.statement(init) if init is not None else None,
                    self.expr(value) if value is not None else None, cases, line)
        if kind == "type_switch_statement":
            init = node.child_by_field_name("initializer")
            alias = node.child_by_field_name("alias")
            alias_name = self.text(alias.named_children[0]) if alias is not None and alias.named_children else None
            cases = []
            for case in node.named_children:
                if case.type == "type_case":
                    types = [self.type_expr(c) for i, c in enumerate(case.children)
                             if case.field_name_for_child(i) == "type"]
                    body = [c for c in case.named_children if c.type == "statement_list"]
                    cases.append((types, self._statements(body), False))
                elif case.type == "default_case":
                    cases.append(([], self._statements(list(case.named_children)), True))
            return ("typeswitch", self.statement(init) if init is not None else None, alias_name,
                    self.expr(node.child_by_field_name("value")), cases, line)
        if kind == "select_statement":
            cases = []
            for case in node.named_children:
                if case.type == "communication_case":
                    comm = case.child_by_field_name("communication")
                    body = [c for c in case.named_children if c.type == "statement_list"]
                    cases.append((self.statement(comm) if comm is not None else None, self._statements(body)))
                elif case.type == "default_case":
                    cases.append((None, self._statements(list(case.named_children))))
            return ("select", cases, line)
        if kind == "receive_statement":
            left = node.child_by_field_name("left")
            right = self.expr(node.child_by_field_name("right"))
            if left is None:
                return ("expr", right, line)
            define = any(c.type == ":=" for c in node.children)
            names = self._expr_list(left)
            if define:
                return ("define", [n[1] if n[0] == "id" else "_" for n in names], [right], line)
            return ("assign", names, "=", [right], line)
        if kind == "send_statement":
            return ("send", self.expr(node.child_by_field_name("channel")),
                    self.expr(node.child_by_field_name("value")), line)
        if kind in ("inc_statement", "dec_statement"):
            inner = node.named_children
            return ("incdec", self.expr(inner[0]) if inner else ("other",), line)
        if kind == "labeled_statement":
            label = node.child_by_field_name("label")
            inner = [c for c in node.named_children if c.type not in ("label_name", "comment")]
            return ("labeled", self.text(label), self.statement(inner[0]) if inner else ("block", [], line), line)
        if kind in ("break_statement", "continue_statement", "goto_statement", "fallthrough_statement"):
            return ("branch", kind.split("_")[0], line)
        if kind == "statement_list":
            return ("block", self._statements([node]), line)
        return ("block", [], line)


def _value_specs(node: Node) -> list[Node]:
    """The specs of a var/const declaration, grouped or not."""
    specs: list[Node] = []
    for child in node.named_children:
        if child.type in ("const_spec", "var_spec"):
            specs.append(child)
        elif child.type == "var_spec_list":
            specs.extend(c for c in child.named_children if c.type == "var_spec")
    return specs


def _embedded_name(type_ir: Any) -> str:
    while isinstance(type_ir, tuple) and type_ir[0] in ("ptr", "generic"):
        type_ir = type_ir[1]
    if isinstance(type_ir, tuple) and type_ir[0] in ("name", "qual"):
        return type_ir[-1]
    return "?"


def _preceding_comments(node: Node) -> list[Node]:
    comments: list[Node] = []
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type == "comment":
        comments.insert(0, sibling)
        sibling = sibling.prev_named_sibling
    return comments


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
