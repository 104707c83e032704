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
    FileFacts,
    FuncDecl,
    Import,
    InterfaceMethod,
    Receiver,
    Severity,
    SymbolKind,
    TypeDecl,
    TypeKind,
    ValueSpec,
)
from goanalyzer.syntax.body_ir import MAX_NESTING, BodyReader, value_specs
from goanalyzer.syntax.nodes import node_position
from goanalyzer.syntax.serial import pack_body
from goanalyzer.syntax.skeleton import blank_bodies

MAX_ERROR_DIAGNOSTICS = 5


@functools.cache
def go_language() -> Language:
    return Language(tree_sitter_go.language())


@functools.cache
def go_parser() -> Parser:
    return Parser(go_language())


_TOKENS_WITH_COMMENTS = re.compile(rb'//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\'|(/\*)',
                                   re.S)


def unterminated_comment(source: bytes) -> int | None:
    """The offset of a `/*` that is never closed (outside strings and other comments), or None. Go
    reads the rest of the file as that comment; tree-sitter recovers and would list what follows."""
    for match in _TOKENS_WITH_COMMENTS.finditer(source):
        if match.group(1):
            return match.start()
    return None


def parse_source(path: str, source: bytes, bodies: bool = True) -> FileFacts:
    """Parse one Go file's bytes into facts; function bodies only when asked (they cost 4x the rest)."""
    tree = go_parser().parse(source if bodies else blank_bodies(source))
    cut = unterminated_comment(source) if tree.root_node.has_error else None
    if cut is not None:
        source = source[:cut]
        tree = go_parser().parse(source if bodies else blank_bodies(source))
    try:
        facts = Extractor(path, source, bodies).file(tree.root_node)
        if cut is not None:
            line = source.count(b"\n") + 1
            facts.diagnostics.append(Diagnostic(Severity.ERROR, f"comment not terminated (from line {line}): the "
                                                "rest of the file is that comment, as go reads it", path, line))
        return facts
    except RecursionError:  # pathologically nested expressions in a body: keep the declarations
        if not bodies:
            facts = FileFacts(path=path, package="")
            facts.diagnostics.append(Diagnostic(Severity.WARNING, "declarations nested too deeply; file skipped", path))
            return facts
        facts = Extractor(path, source, False).file(tree.root_node)
        facts.diagnostics.append(Diagnostic(Severity.WARNING, "expressions nested too deeply; bodies skipped", path))
        return facts


class Extractor(BodyReader):
    """One file's extraction: its declarations, and function bodies when asked."""

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
            try:
                self._declaration(kind, child, doc, facts)
            except RecursionError:
                self._too_deep(kind, child, doc, facts)
            if self.cut_at is not None:
                self.notes.append(Diagnostic(Severity.WARNING, f"nested more than {MAX_NESTING} deep (line "
                                             f"{self.cut_at}): cut there, calls below the cut left out",
                                             self.path, self.cut_at))
                self.cut_at = None
        facts.uses_cgo = any(imp.path == "C" for imp in facts.imports)
        if not facts.package:
            facts.diagnostics.append(Diagnostic(Severity.ERROR, "no package clause", self.path, 1))
        facts.diagnostics.extend(self.notes)
        return facts

    def _declaration(self, kind: str, child: Node, doc: str, facts: FileFacts) -> None:
        """One top-level declaration into `facts`."""
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

    def _too_deep(self, kind: str, child: Node, doc: str, facts: FileFacts) -> None:
        """A declaration nested too deeply to read (generated code): a function keeps its signature
        without its body when it can; anything else is left out. The other declarations stay."""
        line = node_position(child)[0]
        if kind in ("function_declaration", "method_declaration") and self.bodies:
            self.bodies = False
            try:
                facts.funcs.append(self._func(child, doc, facts, method=kind == "method_declaration"))
                self.notes.append(Diagnostic(Severity.WARNING, "function body nested too deeply to read; its "
                                             "calls are left out", self.path, line))
                return
            except RecursionError:
                pass
            finally:
                self.bodies = True
        self.notes.append(Diagnostic(Severity.WARNING, "declaration nested too deeply to read; left out",
                                     self.path, line))

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
            line, col = node_position(node)
            what = f"missing {node.type}" if node.is_missing else "syntax error"
            facts.diagnostics.append(
                Diagnostic(Severity.WARNING, f"{what} at {line}:{col}; facts inside this region are skipped",
                           self.path, line))

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
            line, col = node_position(spec)
            facts.imports.append(Import(path=self.string_value(path_node),
                                        alias=self.text(name_node) if name_node is not None else None,
                                        line=line, col=col))

    # -------------------------------------------------------------- declarations
    def _func(self, node: Node, doc: str, facts: FileFacts, method: bool = False) -> FuncDecl:
        line, col = node_position(node)
        name = self.text(node.child_by_field_name("name"))
        receiver = None
        if method:
            receiver = self._receiver(node.child_by_field_name("receiver"))
        body_node = node.child_by_field_name("body")
        decl = FuncDecl(
            name=name, line=line, col=col, end_line=node.end_point[0] + 1,
            signature=self.signature(node), receiver=receiver,
            type_params=self._type_params(node.child_by_field_name("type_parameters")),
            doc=doc, body=pack_body(self.block(body_node)) if body_node is not None and self.bodies else None,
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
        line, col = node_position(node)
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
        specs = value_specs(node)
        previous: ValueSpec | None = None
        for index, spec in enumerate(specs):
            line, col = node_position(spec)
            names = self.field_texts(spec, "name")
            type_node = spec.child_by_field_name("type")
            value_node = spec.child_by_field_name("value")
            try:
                values = [self.expr(v) for v in value_node.named_children] if value_node is not None else []
                if self.cut_at is not None:  # a half value would fold to a wrong constant: drop it whole
                    self.cut_at = None
                    raise RecursionError
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

def _preceding_comments(node: Node) -> list[Node]:
    comments: list[Node] = []
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type == "comment":
        comments.insert(0, sibling)
        sibling = sibling.prev_named_sibling
    return comments
