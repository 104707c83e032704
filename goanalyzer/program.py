"""The program index: every loaded package's symbols by qualified name, method sets, import tables.

Built once, in one explicit pass, from the loader's plain packages. Answers "what is
github.com/traefik/paerser/cli.Command and where does it live".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from goanalyzer.errors import AmbiguousNameError, NotFoundError
from goanalyzer.model import (
    Diagnostic,
    FileFacts,
    FuncDecl,
    Package,
    SymbolKind,
    TypeDecl,
    TypeKind,
    ValueSpec,
)
from goanalyzer.naming import func_name, init_name, method_name
from goanalyzer.counts import count_program
from goanalyzer.syntax.serial import unpack_body
from goanalyzer.workspace.workspace import Workspace


@dataclass(slots=True)
class FuncInfo:
    """A declared function or method, with where it lives."""

    name: str
    """x/tools name."""
    package: str
    decl: FuncDecl
    file: FileFacts
    receiver: str | None = None
    """Receiver base type name for methods."""
    pointer: bool = False
    unpacked: Any = field(default=None, repr=False, compare=False)
    """The body's IR once read: every reader of this program gets the same objects (the walk and
    the command finders match closures by identity)."""

    @property
    def kind(self) -> SymbolKind:
        return SymbolKind.METHOD if self.receiver else SymbolKind.FUNC

    @property
    def body(self) -> Any:
        """The body's statement IR (a block tuple), None when not extracted or absent."""
        if self.unpacked is None and self.decl.body is not None:
            self.unpacked = unpack_body(self.decl.body)
        return self.unpacked

    def forget_body(self) -> None:
        """Drop the read IR (Rapid Type Analysis walks a body once): the next read unpacks again."""
        self.unpacked = None


@dataclass(slots=True)
class TypeInfo:
    package: str
    decl: TypeDecl
    file: FileFacts

    @property
    def name(self) -> str:
        return f"{self.package}.{self.decl.name}"


@dataclass(slots=True)
class ValueInfo:
    package: str
    spec: ValueSpec
    index: int
    """Which of the spec's names this is."""
    file: FileFacts

    @property
    def name(self) -> str:
        return f"{self.package}.{self.spec.names[self.index]}"


@dataclass(slots=True)
class Symbol:
    """One row of `goanalyzer symbols`."""

    name: str
    kind: SymbolKind
    package: str
    path: str
    line: int
    col: int
    doc: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)

    @property
    def position(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "kind": self.kind.value, "package": self.package,
                                "position": self.position, "doc": self.doc}
        if self.kind is SymbolKind.STRUCT:
            data["fields"] = self.fields
        if self.kind is SymbolKind.INTERFACE:
            data["methods"] = self.methods
        return data


_VERSION_ELEMENT = re.compile(r"^v\d+$")


def guess_package_name(import_path: str) -> str:
    """The name an unloaded package most likely declares: last element without version or go- affixes."""
    parts = import_path.split("/")
    last = parts[-1]
    if _VERSION_ELEMENT.match(last) and len(parts) > 1:
        last = parts[-2]
    last = re.sub(r"\.v\d+$", "", last)
    last = re.sub(r"^go-|-go$|\.go$", "", last)
    return re.sub(r"[^A-Za-z0-9_]", "_", last)


class Program:
    """A loaded Go program: packages, their symbols, and lookups by x/tools name."""

    def __init__(self, workspace: Workspace, packages: dict[str, Package], externals: set[str],
                 diagnostics: list[Diagnostic], stats: dict[str, float] | None = None, load_options: Any = None):
        self.workspace = workspace
        self.packages = packages
        self.externals = externals
        self.diagnostics = diagnostics
        self.stats = dict(stats or {})
        self.load_options = load_options
        """The LoadOptions it was loaded with (`goanalyzer.with_bodies` reuses them)."""
        self.funcs: dict[str, FuncInfo] = {}
        self.types: dict[tuple[str, str], TypeInfo] = {}
        self.values: dict[tuple[str, str], ValueInfo] = {}
        self.methods: dict[tuple[str, str], dict[str, FuncInfo]] = {}
        self.package_of_file: dict[str, Package] = {}
        self._imports: dict[str, dict[str, str]] = {}
        self._dot_imports: dict[str, list[str]] = {}
        self._build()

    # ------------------------------------------------------------------ index
    def _build(self) -> None:
        for path in sorted(self.packages):
            package = self.packages[path]
            inits = 0
            for facts in package.files:
                self.package_of_file[facts.path] = package
                for decl in facts.funcs:
                    if decl.receiver is not None:
                        receiver = decl.receiver
                        name = method_name(path, receiver.type_name, decl.name, receiver.pointer)
                        info = FuncInfo(name, path, decl, facts, receiver.type_name, receiver.pointer)
                        self.methods.setdefault((path, receiver.type_name), {})[decl.name] = info
                    elif decl.name == "init":
                        inits += 1
                        info = FuncInfo(init_name(path, inits), path, decl, facts)
                    else:
                        info = FuncInfo(func_name(path, decl.name), path, decl, facts)
                    self.funcs.setdefault(info.name, info)
                for decl in facts.types:
                    self.types.setdefault((path, decl.name), TypeInfo(path, decl, facts))
                for spec in facts.values:
                    for index, name in enumerate(spec.names):
                        if name != "_":
                            self.values.setdefault((path, name), ValueInfo(path, spec, index, facts))

    def imports(self, facts: FileFacts) -> dict[str, str]:
        """The file's import table: local name -> package path (explicit alias or the package's name)."""
        table = self._imports.get(facts.path)
        if table is None:
            table = {}
            dots: list[str] = []
            for imp in facts.imports:
                if imp.alias == "_":
                    continue
                if imp.alias == ".":
                    dots.append(imp.path)
                    continue
                name = imp.alias or self.package_name(imp.path)
                table[name] = imp.path
            self._imports[facts.path] = table
            self._dot_imports[facts.path] = dots
        return table

    def dot_imports(self, facts: FileFacts) -> list[str]:
        self.imports(facts)
        return self._dot_imports[facts.path]

    def package_name(self, import_path: str) -> str:
        package = self.packages.get(import_path)
        return package.name if package is not None else guess_package_name(import_path)

    def is_std(self, package_path: str) -> bool:
        package = self.packages.get(package_path)
        if package is not None:
            return package.is_std
        return "." not in package_path.split("/", 1)[0]

    # ---------------------------------------------------------------- queries
    @property
    def module_path(self) -> str:
        """The analysed module's path (`github.com/traefik/traefik/v2`); a tree without go.mod is
        named by its directory."""
        return self.workspace.modules[0].path if self.workspace.modules else Path(self.workspace.root).name

    def root_packages(self) -> list[Package]:
        return [self.packages[p] for p in sorted(self.packages) if self.packages[p].is_root]

    def iter_funcs(self) -> Iterator[FuncInfo]:
        """Every declared function and method, sorted by x/tools name."""
        for name in sorted(self.funcs):
            yield self.funcs[name]

    def type_info(self, package: str, name: str) -> TypeInfo | None:
        return self.types.get((package, name))

    def lookup_type(self, name: str) -> TypeInfo:
        """A type by qualified name (`github.com/traefik/paerser/cli.Command`) or unambiguous suffix."""
        names = {info.name: info for info in self.types.values()}
        return names[resolve_name(name, list(names), "type")]

    def display_path(self, path: str | Path) -> str:
        return self.workspace.display_path(path)

    def symbols(self, kinds: set[SymbolKind] | None = None, package_prefix: str | None = None,
                roots_only: bool = False) -> list[Symbol]:
        """Every declared symbol, sorted by name, as the `symbols` command lists them."""
        out: list[Symbol] = []
        for path in sorted(self.packages):
            package = self.packages[path]
            if roots_only and not package.is_root:
                continue
            if package_prefix and not (path == package_prefix or path.startswith(package_prefix.rstrip("/") + "/")):
                continue
            for facts in package.files:
                display = self.display_path(facts.path)
                for decl in facts.types:
                    kind = {TypeKind.STRUCT: SymbolKind.STRUCT, TypeKind.INTERFACE: SymbolKind.INTERFACE}.get(
                        decl.kind, SymbolKind.TYPE)
                    symbol = Symbol(f"{path}.{decl.name}", kind, path, display, decl.line, decl.col, decl.doc)
                    symbol.fields = [{"name": f.name, "type": f.type_text, "tag": f.tag, "doc": f.doc,
                                      "embedded": f.embedded} for f in decl.fields]
                    symbol.methods = [m.name for m in decl.methods]
                    out.append(symbol)
                for spec in facts.values:
                    for name in spec.names:
                        if name != "_":
                            out.append(Symbol(f"{path}.{name}", spec.kind, path, display, spec.line, spec.col,
                                              spec.doc))
            for info in self.funcs.values():
                if info.package == path:
                    out.append(Symbol(info.name, info.kind, path, self.display_path(info.file.path),
                                      info.decl.line, info.decl.col, info.decl.doc))
        if kinds:
            out = [s for s in out if s.kind in kinds]
        out.sort(key=lambda s: (s.name, s.path, s.line))
        return out

    def counts(self) -> dict[str, Any]:
        """What `goanalyzer index` prints: modules, packages, files, symbols, funcs, diagnostics, seconds."""
        return {**count_program(self.packages, self.externals, self.diagnostics),
                "seconds": round(self.stats.get("seconds", 0.0), 3)}

    def _repr_markdown_(self):  # notebooks
        from goanalyzer.views import notebook
        return notebook.program_markdown(self)

def resolve_name(query: str, names: list[str], what: str = "function") -> str:
    """A full name, or the one name that ends with `query` at a name boundary; errors list candidates."""
    if query in names:
        return query
    boundary = re.compile(r"(^|[./(*)])" + re.escape(query.lstrip("(*")) + r"$")
    matches = sorted(n for n in names if boundary.search(n))
    if len(matches) > 1:
        # prefer the exact short form: `main` -> `pkg.main` over `pkg.main$1`
        exact = [n for n in matches if n.endswith("." + query) or n.endswith(")." + query)]
        if len(exact) == 1:
            return exact[0]
        raise AmbiguousNameError(f"{what} name {query!r} is ambiguous", candidates=exact or matches)
    if not matches:
        needle = query.lower().lstrip("(*").split(".")[-1]
        near = sorted(n for n in names if needle and needle in n.lower())[:20]
        raise NotFoundError(f"no {what} named {query!r}", candidates=near)
    return matches[0]
