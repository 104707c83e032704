"""goanalyzer: read Go codebases for people.

`import goanalyzer` is all a user needs: load a program, build its call graph, find its commands,
follow its startup, and write any view of it.

    >>> import goanalyzer
    >>> program = goanalyzer.load("fixtures/traefik-2.5.2")
    >>> program.lookup_type("cli.Command").decl.fields[0].name
    'Name'

Loading, the models and the errors are imported with the package; the analyses and writers are
imported on first use (`goanalyzer.build_callgraph` loads the call-graph module then), so the
command line and a plain `load()` stay fast.
"""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Any, Iterable

from goanalyzer.errors import AmbiguousNameError, GoanalyzerError, LoadError, NotFoundError, UsageError
from goanalyzer.loader import LoadOptions, Progress, load_packages, paused_gc, rescan_with_bodies
from goanalyzer.model import (
    Diagnostic,
    Field,
    FileFacts,
    FuncDecl,
    Import,
    Package,
    Severity,
    SymbolKind,
    TypeDecl,
    TypeKind,
    ValueSpec,
)
from goanalyzer.program import FuncInfo, Program, Symbol, TypeInfo


def load(path: str | Path, options: LoadOptions | None = None, *, progress: Progress | None = None,
         **option_values) -> Program:
    """Load the Go module (or package tree) at `path` and index it.

    Options are those of `LoadOptions` (goos, goarch, tags, cgo, tests, goroot, gomodcache, cache_dir,
    use_cache, jobs, bodies, into), given as an object or as keywords; tags and cgo left unset follow
    $GOFLAGS and $CGO_ENABLED as `go list` does.
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


_API: dict[str, tuple[str, ...]] = {
    # analyses
    "goanalyzer.analysis.callgraph": ("Algo", "CallGraph", "NodeKind", "build_callgraph"),
    "goanalyzer.analysis.rta": ("RTAResult", "rapid_type_analysis", "reload_with_bodies"),
    "goanalyzer.analysis.queries": ("filter_graph", "find_function", "group_by_package", "group_by_type",
                                    "paths_between", "reachable"),
    "goanalyzer.analysis.commands": ("StructView", "find_commands", "struct_view"),
    "goanalyzer.analysis.commands_model": ("Command", "CommandField", "CommandSet"),
    "goanalyzer.analysis.startup": ("in_build_order", "outline_flow", "startup_flow"),
    "goanalyzer.analysis.startup_model": ("FlowPart", "FlowSummary", "StartupFlow", "Step", "StepKind"),
    "goanalyzer.analysis.startup_summary": ("summarise_flow",),
    "goanalyzer.analysis.happy_path": ("HappyPath", "HappyStep", "SideKind", "fold_side_paths", "happy_path",
                                       "side_path"),
    "goanalyzer.analysis.pipeline": ("Analysis", "analyse", "callgraph_view"),
    # renderers: text and diagrams
    "goanalyzer.render.dot": ("render_callgraph_dot", "render_commands_dot", "render_startup_dot"),
    "goanalyzer.render.mermaid": ("render_callgraph_mermaid", "render_commands_mermaid", "render_startup_mermaid"),
    "goanalyzer.render.formats": ("callgraph_graphml", "callgraph_json", "callgraph_tsv", "callgraph_tsv_chunks"),
    "goanalyzer.render.outline": ("commands_markdown", "commands_tree", "flow_markdown", "flow_text",
                                  "struct_markdown", "struct_text"),
    "goanalyzer.render.svg": ("callgraph_svg", "write_diagram"),
    "goanalyzer.render.engine": ("RenderError",),
    # writers
    "goanalyzer.views.walkthrough": ("Walkthrough", "build_walkthrough", "write_walkthrough"),
    "goanalyzer.views.codetour": ("build_tour", "write_tour"),
    "goanalyzer.views.site": ("write_site",),
    "goanalyzer.views.explore": ("explorer_data", "render_explorer", "write_explorer"),
}
"""Module -> the public names it defines (its `__all__`), imported on first use.
tests/test_facade.py checks that this table and the modules' `__all__` agree, so none is forgotten."""

_LAZY = {name: module for module, names in _API.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'goanalyzer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AmbiguousNameError", "Diagnostic", "Field", "FileFacts", "FuncDecl", "FuncInfo", "GoanalyzerError", "Import",
    "LoadError", "LoadOptions", "NotFoundError", "Package", "Program", "Progress", "Severity", "Symbol",
    "SymbolKind", "TypeDecl", "TypeInfo", "TypeKind", "UsageError", "ValueSpec", "load", "with_bodies",
]
__all__ += list(_LAZY)
