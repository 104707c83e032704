"""goanalyzer: read Go codebases for people.

    >>> import goanalyzer
    >>> program = goanalyzer.load("fixtures/traefik-2.5.2")
    >>> program.lookup_type("cli.Command").decl.fields[0].name
    'Name'
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Iterable

from goanalyzer.errors import AmbiguousNameError, GoanalyzerError, LoadError, NotFoundError, UsageError
from goanalyzer.loader import LoadOptions, Progress, load_packages, paused_gc, rescan_with_bodies
from goanalyzer.model import (
    Diagnostic,
    Field,
    FileFacts,
    FuncDecl,
    Import,
    Package,
    SymbolKind,
    TypeDecl,
    TypeKind,
    ValueSpec,
)
from goanalyzer.program import FuncInfo, Program, Symbol, TypeInfo


def load(path: str | Path, options: LoadOptions | None = None, *, progress: Progress | None = None,
         **option_values) -> Program:
    """Load the Go module (or package tree) at `path` and index it.

    Options are those of `LoadOptions` (goos, goarch, tags, tests, goroot, gomodcache, cache_dir,
    use_cache, jobs, bodies, into), given as an object or as keywords.
    """
    if options is None:
        options = LoadOptions(**option_values)
    if options.heads_only:
        raise UsageError("heads_only loads cannot make a Program; call goanalyzer.loader.load_packages")
    with paused_gc():
        result = load_packages(path, options, progress)
        return Program(result.workspace, result.packages, result.externals, result.diagnostics, result.stats,
                       options)


def with_bodies(program: Program, into: Iterable[str]) -> Program:
    """`program` with the function bodies of the dependency packages under these path prefixes
    read too (e.g. the command framework a walkthrough follows into): only those are parsed again."""
    options = program.load_options or LoadOptions()
    options = dataclasses.replace(options, into=tuple(sorted({*options.into, *into})))
    with paused_gc():
        packages = rescan_with_bodies(program.workspace, program.packages, options)
        return Program(program.workspace, packages, program.externals, program.diagnostics, program.stats, options)


__all__ = [
    "AmbiguousNameError", "Diagnostic", "Field", "FileFacts", "FuncDecl", "FuncInfo", "GoanalyzerError", "Import",
    "LoadError", "LoadOptions", "NotFoundError", "Package", "Program", "Symbol", "SymbolKind", "TypeDecl",
    "TypeInfo", "TypeKind", "UsageError", "ValueSpec", "load", "with_bodies",
]
