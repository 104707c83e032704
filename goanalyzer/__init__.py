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


_LAZY: dict[str, str] = {
    # analyses
    "Algo": "goanalyzer.analysis.callgraph", "CallGraph": "goanalyzer.analysis.callgraph",
    "NodeKind": "goanalyzer.analysis.callgraph", "build_callgraph": "goanalyzer.analysis.callgraph",
    "RTAResult": "goanalyzer.analysis.rta", "rapid_type_analysis": "goanalyzer.analysis.rta",
    "reload_with_bodies": "goanalyzer.analysis.rta",
    "filter_graph": "goanalyzer.analysis.queries", "find_function": "goanalyzer.analysis.queries",
    "group_by_package": "goanalyzer.analysis.queries", "group_by_type": "goanalyzer.analysis.queries",
    "paths_between": "goanalyzer.analysis.queries", "reachable": "goanalyzer.analysis.queries",
    "StructView": "goanalyzer.analysis.commands", "find_commands": "goanalyzer.analysis.commands",
    "struct_view": "goanalyzer.analysis.commands",
    "Command": "goanalyzer.analysis.commands_model", "CommandField": "goanalyzer.analysis.commands_model",
    "CommandSet": "goanalyzer.analysis.commands_model",
    "outline_flow": "goanalyzer.analysis.startup", "startup_flow": "goanalyzer.analysis.startup",
    "FlowPart": "goanalyzer.analysis.startup_model", "FlowSummary": "goanalyzer.analysis.startup_model",
    "StartupFlow": "goanalyzer.analysis.startup_model", "Step": "goanalyzer.analysis.startup_model",
    "StepKind": "goanalyzer.analysis.startup_model",
    "summarise_flow": "goanalyzer.analysis.startup_summary",
    "HappyPath": "goanalyzer.analysis.happy_path", "HappyStep": "goanalyzer.analysis.happy_path",
    "SideKind": "goanalyzer.analysis.happy_path", "fold_side_paths": "goanalyzer.analysis.happy_path",
    "happy_path": "goanalyzer.analysis.happy_path", "side_path": "goanalyzer.analysis.happy_path",
    "in_build_order": "goanalyzer.analysis.startup",
    "Analysis": "goanalyzer.analysis.pipeline", "analyse": "goanalyzer.analysis.pipeline",
    "callgraph_view": "goanalyzer.analysis.pipeline",
    # renderers: text and diagrams
    "render_callgraph_dot": "goanalyzer.render.dot", "render_commands_dot": "goanalyzer.render.dot",
    "render_startup_dot": "goanalyzer.render.dot",
    "render_callgraph_mermaid": "goanalyzer.render.mermaid", "render_commands_mermaid": "goanalyzer.render.mermaid",
    "render_startup_mermaid": "goanalyzer.render.mermaid",
    "callgraph_graphml": "goanalyzer.render.formats", "callgraph_json": "goanalyzer.render.formats",
    "callgraph_tsv": "goanalyzer.render.formats",
    "commands_markdown": "goanalyzer.render.outline", "commands_tree": "goanalyzer.render.outline",
    "flow_markdown": "goanalyzer.render.outline", "flow_text": "goanalyzer.render.outline",
    "struct_markdown": "goanalyzer.render.outline", "struct_text": "goanalyzer.render.outline",
    "callgraph_svg": "goanalyzer.render.svg", "write_diagram": "goanalyzer.render.svg",
    "RenderError": "goanalyzer.render.engine",
    # writers
    "Walkthrough": "goanalyzer.views.walkthrough", "build_walkthrough": "goanalyzer.views.walkthrough",
    "write_walkthrough": "goanalyzer.views.walkthrough",
    "build_tour": "goanalyzer.views.codetour", "write_tour": "goanalyzer.views.codetour",
    "write_site": "goanalyzer.views.site",
}
"""Public name -> the module that defines it (and lists it in its `__all__`): imported on first use.
tests/test_facade.py checks that this table and the modules' `__all__` agree, so none is forgotten."""


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
