"""Function bodies as the tuple IR of ir.py: expressions and statements, read from tree-sitter
nodes (types and text come from nodes.py).

No IR leaves here nested deeper than MAX_NESTING: every later stage walks it recursively (two or
three frames a level), so generated code (`((((...))))`, 5,000 `else if`s, `a + a + ... + a`) is
cut at that depth, the rest of its function kept, and the line of the cut noted."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from goanalyzer.syntax.ir import FuncLit
from goanalyzer.syntax.nodes import NodeReader, node_position

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


MAX_NESTING = 200
"""Expressions and statements nested deeper than this (counted together) are cut: the part below
becomes ("other",) or an empty block. Python's 1,000 frames hold 200 levels in every walker."""
STATEMENT_LEVEL = 4
"""A statement inside a statement counts as four levels: reading one takes four frames (statement,
block, statement list, statement), and so does walking one later."""


class BodyReader(NodeReader):
    """Expressions and statements of one file."""

    depth = 0
    """How deeply the expression or statement being read is nested."""
    cut_at: int | None = None
    """The line of the first cut in the declaration being read (extract.py reports it)."""

    def _cut(self, node: Node) -> None:
        if self.cut_at is None:
            self.cut_at = node.start_point[0] + 1

    # ------------------------------------------------------------- expressions
    def expr(self, node: Node | None) -> Any:
        if self.depth >= MAX_NESTING and node is not None:
            self._cut(node)
            return ("other",)
        self.depth += 1
        try:
            return self._expr(node)
        finally:
            self.depth -= 1

    def _expr(self, node: Node | None) -> Any:  # noqa: C901 - one dispatch over node kinds
        if node is None:
            return ("other",)
        kind = node.type
        if kind == "identifier":
            line, col = node_position(node)
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
            line, col = node_position(field_node) if field_node is not None else node_position(node)
            return ("sel", self.expr(node.child_by_field_name("operand")), self.text(field_node), line, col)
        if kind == "call_expression":
            args_node = node.child_by_field_name("arguments")
            function = self.expr(node.child_by_field_name("function"))
            type_args = node.child_by_field_name("type_arguments")
            if type_args is not None:
                function = ("index", function, [("typeexpr", self.type_expr(a)) for a in type_args.named_children])
            args: list[Any] = []
            spread = False
            line, col = node_position(args_node) if args_node is not None else node_position(node)
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
            line, col = node_position(node)
            type_node = node.child_by_field_name("type")
            # without bodies, only the literal's type matters (package-level tables can be huge)
            elements = self._literal_elements(node.child_by_field_name("body")) if self.bodies else []
            return ("lit", self.type_expr(type_node) if type_node is not None else None, elements, line, col)
        if kind == "func_literal":
            body = node.child_by_field_name("body")
            line, col = node_position(node)
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
            line, col = node_position(node)
            lparen = next((c for c in node.children if c.type == "("), None)
            if lparen is not None:
                line, col = node_position(lparen)
            return ("conv", self.type_expr(type_node), self.expr(node.child_by_field_name("operand")), line, col)
        if kind == "type_instantiation_expression":
            children = node.named_children
            return ("index", self.expr(children[0]) if children else ("other",),
                    [("typeexpr", self.type_expr(c)) for c in children[1:]])
        if kind in _TYPE_NODES:
            if kind == "type_identifier":
                line, col = node_position(node)
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
        if self.depth >= MAX_NESTING:
            self._cut(node)
            return ("other",)
        self.depth += 1
        try:
            return self._element_value(node)
        finally:
            self.depth -= 1

    def _element_value(self, node: Node) -> Any:
        if node.type == "literal_element":
            inner = [c for c in node.named_children if c.type != "comment"]
            if not inner:
                return ("other",)
            node = inner[0]
        if node.type == "literal_value":
            line, col = node_position(node)
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

    def statement(self, node: Node) -> Any:
        """One statement as IR; an unknown kind is an empty block."""
        kind = node.type
        line = node.start_point[0] + 1
        reader = _STATEMENTS.get(kind)
        if reader is not None:
            if self.depth + STATEMENT_LEVEL > MAX_NESTING:
                self._cut(node)
                return ("block", [], line)
            self.depth += STATEMENT_LEVEL
            try:
                return reader(self, node, line)
            finally:
                self.depth -= STATEMENT_LEVEL
        if kind in ("break_statement", "continue_statement", "goto_statement", "fallthrough_statement"):
            return ("branch", kind.split("_")[0], line)
        return ("block", [], line)

    def _expression_statement(self, node: Node, line: int) -> Any:
        inner = node.named_children
        return ("expr", self.expr(inner[0]) if inner else ("other",), line)

    def _short_var_declaration(self, node: Node, line: int) -> Any:
        names = [self.text(c) for c in node.child_by_field_name("left").named_children] \
            if node.child_by_field_name("left") is not None else []
        return ("define", names, self._expr_list(node.child_by_field_name("right")), line)

    def _assignment_statement(self, node: Node, line: int) -> Any:
        operator = node.child_by_field_name("operator")
        return ("assign", self._expr_list(node.child_by_field_name("left")),
                self.text(operator) if operator is not None else "=",
                self._expr_list(node.child_by_field_name("right")), line)

    def _value_declaration_statement(self, node: Node, line: int) -> Any:
        out = []
        for spec in value_specs(node):
            names = self.field_texts(spec, "name")
            type_node = spec.child_by_field_name("type")
            out.append(("var", names, self.type_expr(type_node) if type_node is not None else None,
                        self._expr_list(spec.child_by_field_name("value")), spec.start_point[0] + 1))
        return out[0] if len(out) == 1 else ("decls", out, line)

    def _type_declaration_statement(self, node: Node, line: int) -> Any:
        out = []
        for spec in node.named_children:
            if spec.type in ("type_spec", "type_alias"):
                out.append(("type", self.text(spec.child_by_field_name("name")),
                            self.type_expr(spec.child_by_field_name("type")), spec.start_point[0] + 1))
        return out[0] if len(out) == 1 else ("decls", out, line)

    def _go_defer_statement(self, node: Node, line: int) -> Any:
        inner = [c for c in node.named_children if c.type != "comment"]
        return ("go" if node.type == "go_statement" else "defer",
                self.expr(inner[0]) if inner else ("other",), node.start_point[1] + 1, line)

    def _return_statement(self, node: Node, line: int) -> Any:
        inner = [c for c in node.named_children if c.type != "comment"]
        return ("return", self._expr_list(inner[0]) if inner else [], line)

    def _if_statement(self, node: Node, line: int) -> Any:
        init = node.child_by_field_name("initializer")
        alternative = node.child_by_field_name("alternative")
        return ("if", self.statement(init) if init is not None else None,
                self.expr(node.child_by_field_name("condition")),
                self.block(node.child_by_field_name("consequence")),
                self.statement(alternative) if alternative is not None else None, line)

    def _block_statement(self, node: Node, line: int) -> Any:
        return self.block(node)

    def _for_statement(self, node: Node, line: int) -> Any:
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

    def _switch_statement(self, node: Node, line: int) -> Any:
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

    def _type_switch_statement(self, node: Node, line: int) -> Any:
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

    def _select_statement(self, node: Node, line: int) -> Any:
        cases = []
        for case in node.named_children:
            if case.type == "communication_case":
                comm = case.child_by_field_name("communication")
                body = [c for c in case.named_children if c.type == "statement_list"]
                cases.append((self.statement(comm) if comm is not None else None, self._statements(body)))
            elif case.type == "default_case":
                cases.append((None, self._statements(list(case.named_children))))
        return ("select", cases, line)

    def _receive_statement(self, node: Node, line: int) -> Any:
        left = node.child_by_field_name("left")
        right = self.expr(node.child_by_field_name("right"))
        if left is None:
            return ("expr", right, line)
        define = any(c.type == ":=" for c in node.children)
        names = self._expr_list(left)
        if define:
            return ("define", [n[1] if n[0] == "id" else "_" for n in names], [right], line)
        return ("assign", names, "=", [right], line)

    def _send_statement(self, node: Node, line: int) -> Any:
        return ("send", self.expr(node.child_by_field_name("channel")),
                self.expr(node.child_by_field_name("value")), line)

    def _incdec_statement(self, node: Node, line: int) -> Any:
        inner = node.named_children
        return ("incdec", self.expr(inner[0]) if inner else ("other",), line)

    def _labeled_statement(self, node: Node, line: int) -> Any:
        label = node.child_by_field_name("label")
        inner = [c for c in node.named_children if c.type not in ("label_name", "comment")]
        return ("labeled", self.text(label), self.statement(inner[0]) if inner else ("block", [], line), line)

    def _statement_list(self, node: Node, line: int) -> Any:
        return ("block", self._statements([node]), line)


_STATEMENTS = {
    "expression_statement": BodyReader._expression_statement,
    "short_var_declaration": BodyReader._short_var_declaration,
    "assignment_statement": BodyReader._assignment_statement,
    "var_declaration": BodyReader._value_declaration_statement,
    "const_declaration": BodyReader._value_declaration_statement,
    "type_declaration": BodyReader._type_declaration_statement,
    "go_statement": BodyReader._go_defer_statement,
    "defer_statement": BodyReader._go_defer_statement,
    "return_statement": BodyReader._return_statement,
    "if_statement": BodyReader._if_statement,
    "block": BodyReader._block_statement,
    "for_statement": BodyReader._for_statement,
    "expression_switch_statement": BodyReader._switch_statement,
    "type_switch_statement": BodyReader._type_switch_statement,
    "select_statement": BodyReader._select_statement,
    "receive_statement": BodyReader._receive_statement,
    "send_statement": BodyReader._send_statement,
    "inc_statement": BodyReader._incdec_statement,
    "dec_statement": BodyReader._incdec_statement,
    "labeled_statement": BodyReader._labeled_statement,
    "statement_list": BodyReader._statement_list,
}
"""tree-sitter statement kind -> its reader."""


def value_specs(node: Node) -> list[Node]:
    """The specs of a var/const declaration, grouped or not."""
    specs: list[Node] = []
    for child in node.named_children:
        if child.type in ("const_spec", "var_spec"):
            specs.append(child)
        elif child.type == "var_spec_list":
            specs.extend(c for c in child.named_children if c.type == "var_spec")
    return specs
