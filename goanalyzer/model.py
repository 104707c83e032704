"""Plain data: what the syntax stage extracts from one file, and what the loader assembles.

Models hold positions (line, col; 1-based) and never tree-sitter nodes, so they pickle, cache and
serialise. Function bodies are kept as a small expression/statement IR of tuples (see
`goanalyzer.syntax.ir`), which the resolver and the startup analysis walk.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import Any


class Record:
    """Base of the models: pickles as one constructor call (3x faster than slotted dataclasses'
    default, which matters for the facts cache)."""

    __slots__ = ()

    def __reduce__(self):
        names = _FIELD_NAMES.get(type(self))
        if names is None:
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in fields(self))
        return type(self), tuple(getattr(self, name) for name in names)

    def __setstate__(self, state):
        """Pickle's BUILD, which our blobs never use: a planted one could alter a shared instance."""
        raise TypeError(f"{type(self).__name__} is built by its constructor only")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


class Kind(str, enum.Enum):
    """Base of the models' kinds. A member is one object shared by every load, so unpickling may
    look it up but never alter it (pickle's BUILD would rewrite its name for the whole process)."""

    def __setstate__(self, state):
        raise TypeError(f"{type(self).__name__} members are never altered")


class SymbolKind(Kind):
    FUNC = "func"
    METHOD = "method"
    STRUCT = "struct"
    INTERFACE = "interface"
    TYPE = "type"
    CONST = "const"
    VAR = "var"


class Severity(Kind):
    DEBUG = "debug"
    WARNING = "warning"
    ERROR = "error"


@dataclass(slots=True, frozen=True)
class Diagnostic(Record):
    """Something worth telling the user about the input; never fatal."""

    severity: Severity
    message: str
    path: str = ""
    line: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.line else (f"{self.path}: " if self.path else "")
        return f"{where}{self.message}"


@dataclass(slots=True)
class Import(Record):
    path: str
    """The import path, e.g. `github.com/traefik/paerser/cli`."""
    alias: str | None
    """Explicit name: an identifier, `.` or `_`; None when the package's own name is used."""
    line: int
    col: int


@dataclass(slots=True)
class Param(Record):
    name: str | None
    type: Any
    """Type IR (see goanalyzer.syntax.ir)."""
    type_text: str
    variadic: bool = False


@dataclass(slots=True)
class Signature(Record):
    params: list[Param]
    results: list[Param]

    @property
    def variadic(self) -> bool:
        return bool(self.params) and self.params[-1].variadic


@dataclass(slots=True)
class Receiver(Record):
    name: str | None
    type_name: str
    """The receiver's base type name, without pointer or type arguments."""
    pointer: bool
    type_params: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FuncDecl(Record):
    """A top-level `func` or method declaration."""

    name: str
    line: int
    col: int
    end_line: int
    signature: Signature
    receiver: Receiver | None = None
    type_params: list[str] = field(default_factory=list)
    doc: str = ""
    body: Any = None
    """Statement IR of the body (a block tuple), packed as bytes by the extractor (read it through
    `FuncInfo.body`); None when not extracted or absent (see has_body)."""
    has_body: bool = False
    end_col: int = 0


@dataclass(slots=True)
class Field(Record):
    name: str
    """The field name; for an embedded field, the type's name (as Go names it)."""
    type_text: str
    type: Any
    tag: str = ""
    doc: str = ""
    embedded: bool = False
    line: int = 0
    col: int = 0


@dataclass(slots=True)
class InterfaceMethod(Record):
    name: str
    signature: Signature
    doc: str = ""
    line: int = 0


class TypeKind(Kind):
    STRUCT = "struct"
    INTERFACE = "interface"
    NAMED = "named"
    """A defined type over another type: `type Handler func(...)`, `type IDs []int`."""
    ALIAS = "alias"


@dataclass(slots=True)
class TypeDecl(Record):
    name: str
    kind: TypeKind
    line: int
    col: int
    underlying: Any
    """Type IR of the right-hand side."""
    underlying_text: str
    type_params: list[str] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    methods: list[InterfaceMethod] = field(default_factory=list)
    embeds: list[Any] = field(default_factory=list)
    """Interface embeddings (type IR)."""
    doc: str = ""


@dataclass(slots=True)
class ValueSpec(Record):
    """One `const` or `var` spec at package level: several names may share it."""

    kind: SymbolKind
    names: list[str]
    line: int
    col: int
    type: Any = None
    type_text: str = ""
    values: list[Any] = field(default_factory=list)
    """Expression IR of the initialisers."""
    iota: int = 0
    doc: str = ""


@dataclass(slots=True)
class FileFacts(Record):
    """Everything the later stages need from one Go file."""

    path: str
    package: str
    imports: list[Import] = field(default_factory=list)
    funcs: list[FuncDecl] = field(default_factory=list)
    types: list[TypeDecl] = field(default_factory=list)
    values: list[ValueSpec] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    build_constraint: str | None = None
    """The `//go:build` expression (or legacy `// +build` lines joined as one)."""
    uses_cgo: bool = False
    lines: int = 0
    size: int = 0
    with_bodies: bool = False
    """Whether function bodies were extracted (they are only for packages analysed in full)."""

    @property
    def import_paths(self) -> tuple[str, ...]:
        return tuple(i.path for i in self.imports)

    def head(self) -> FileHead:
        return FileHead(self.path, self.package, self.import_paths, self.diagnostics,
                        tuple((f.name, f.receiver.type_name if f.receiver else None,
                               bool(f.receiver and f.receiver.pointer)) for f in self.funcs),
                        tuple(t.name for t in self.types), tuple(n for v in self.values for n in v.names))


@dataclass(slots=True)
class FileHead(Record):
    """What `index` needs of a file: its package, imports and declared names, without the facts.
    Cached beside the facts, so a warm `index` never unpickles a declaration. Plain tuples of
    strings, no nested records: unpickling 2,000 of them takes a fifth of the time that way."""

    path: str
    package: str
    import_paths: tuple[str, ...]
    diagnostics: list[Diagnostic]
    funcs: tuple[tuple[str, str | None, bool], ...]
    """(name, receiver type name or None, pointer receiver) per func declaration, in order."""
    types: tuple[str, ...]
    values: tuple[str, ...]


@dataclass(slots=True)
class Package(Record):
    """A Go package as loaded: its files (after build constraints) and where it came from."""

    path: str
    """Import path (`github.com/traefik/paerser/cli`); for a main package still its path."""
    name: str
    dir: str
    module: str | None
    """Module path, or None for the standard library / bare trees."""
    version: str | None = None
    files: list[FileFacts] = field(default_factory=list)
    excluded_files: list[str] = field(default_factory=list)
    """Files skipped by build constraints or --tests (absolute paths)."""
    is_std: bool = False
    is_root: bool = False
    """Under the PATH the user gave (analysed in full), rather than a dependency."""


@dataclass(slots=True)
class Module(Record):
    path: str
    dir: str
    version: str | None = None
    main: bool = False
