"""The loader: the only stage that reads files. Finds packages, filters files, parses (cached,
in parallel), and follows imports transitively as far as they resolve."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from goanalyzer.errors import LoadError
from goanalyzer.model import Diagnostic, FileFacts, Package, Severity
from goanalyzer.syntax.cache import FactsCache, default_cache_dir
from goanalyzer.syntax.extract import parse_source
from goanalyzer.workspace.constraints import BuildContext, ConstraintSyntaxError, evaluate, header_constraint, name_matches
from goanalyzer.workspace.workspace import Workspace, open_workspace, skip_dir

log = logging.getLogger("goanalyzer")

MAX_FILE_BYTES = 8 * 1024 * 1024
"""Larger .go files are skipped with a diagnostic (generated tables nobody reads as code)."""

PARALLEL_THRESHOLD = 64
"""Below this many files to parse, a process pool costs more than it saves."""


@dataclass(slots=True)
class LoadOptions:
    """The loading options every command shares."""

    goos: str = "linux"
    goarch: str = "amd64"
    tags: tuple[str, ...] = ()
    tests: bool = False
    goroot: str | None = None
    gomodcache: tuple[str, ...] = ()
    cache_dir: str | None = None
    use_cache: bool = True
    jobs: int | None = None
    bodies: str = "roots"
    """Whose function bodies to extract: "roots" (packages under PATH), "all", or "none"."""
    into: tuple[str, ...] = ()
    """Dependency package-path prefixes whose bodies are extracted too (to follow calls into them)."""
    max_file_bytes: int = MAX_FILE_BYTES


@dataclass(slots=True)
class LoadResult:
    workspace: Workspace
    packages: dict[str, Package]
    externals: set[str]
    diagnostics: list[Diagnostic]
    stats: dict[str, float] = field(default_factory=dict)


Progress = Callable[[int, int], None]


def load_packages(path: str | Path, options: LoadOptions | None = None,
                  progress: Progress | None = None) -> LoadResult:
    """Load the packages under `path` and, transitively, what they import."""
    options = options or LoadOptions()
    started = time.perf_counter()
    workspace = open_workspace(path, goroot=options.goroot, gomodcache=list(options.gomodcache) or None)
    context = BuildContext(goos=options.goos, goarch=options.goarch, tags=frozenset(options.tags))
    diagnostics = list(workspace.diagnostics)
    cache = None
    if options.use_cache:
        cache = FactsCache(options.cache_dir or default_cache_dir())
        diagnostics.extend(Diagnostic(Severity.WARNING, w) for w in cache.warnings)
    root_dirs = _package_dirs(workspace.root, diagnostics)
    if not root_dirs:
        raise LoadError(f"no Go files found under {path}")
    packages: dict[str, Package] = {}
    externals: set[str] = set()
    stats = {"files_parsed": 0, "files_cached": 0, "bytes": 0}
    wave = [(d, True) for d in root_dirs]
    seen_dirs = set(root_dirs)
    while wave:
        selected = [(d, root, workspace.package_path(d)[0], _select_files(d, context, options, diagnostics))
                    for d, root in wave]
        facts = _parse_all(selected, options, cache, diagnostics, stats, progress)
        wave = []
        for directory, is_root, _, files in selected:
            file_facts = [facts[f] for f, _ in files if f in facts]
            if not file_facts:
                continue
            package = _make_package(workspace, directory, file_facts, is_root, options)
            if package.path in packages:  # two dirs claiming one path (e.g. vendor and cache): first wins
                continue
            package.excluded_files = [str(p) for p, source in files if source is None]
            packages[package.path] = package
            for imp in sorted({i.path for f in file_facts for i in f.imports}):
                resolved = workspace.resolve(imp, directory)
                if resolved is None:
                    if imp not in ("C", "unsafe"):
                        externals.add(imp)
                    continue
                if resolved.dir not in seen_dirs:
                    seen_dirs.add(resolved.dir)
                    wave.append((resolved.dir, False))
    if cache is not None:
        cache.close()
    externals -= set(packages)
    stats["seconds"] = time.perf_counter() - started
    return LoadResult(workspace, packages, externals, diagnostics, stats)


def _package_dirs(root: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """Directories under root holding .go files, skipping what the go command skips."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for directory, subdirs, files in os.walk(root, followlinks=True, onerror=lambda e: diagnostics.append(
            Diagnostic(Severity.WARNING, f"cannot read directory: {e.strerror}", str(e.filename or "")))):
        try:
            stat = os.stat(directory)
        except OSError:
            subdirs[:] = []
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in seen:
            diagnostics.append(Diagnostic(Severity.WARNING, "symlink loop: directory already visited, skipped",
                                          directory))
            subdirs[:] = []
            continue
        seen.add(key)
        subdirs[:] = sorted(d for d in subdirs if not skip_dir(d))
        if any(f.endswith(".go") for f in files):
            found.append(Path(directory))
    return found


def _select_files(directory: Path, context: BuildContext, options: LoadOptions,
                  diagnostics: list[Diagnostic]) -> list[tuple[Path, bytes | None]]:
    """(file, source) for each .go file the build would include; source None when excluded."""
    out: list[tuple[Path, bytes | None]] = []
    try:
        names = sorted(os.listdir(directory))
    except OSError as error:
        diagnostics.append(Diagnostic(Severity.WARNING, f"cannot read directory: {error.strerror}", str(directory)))
        return out
    for name in names:
        if not name.endswith(".go") or name.startswith((".", "_")):
            continue
        path = directory / name
        if not path.is_file():
            continue
        if (name.endswith("_test.go") and not options.tests) or not name_matches(name, context):
            out.append((path, None))
            continue
        try:
            size = path.stat().st_size
            if size > options.max_file_bytes:
                diagnostics.append(Diagnostic(
                    Severity.WARNING, f"skipped: {size / 1e6:.1f} MB is over the {options.max_file_bytes / 1e6:.0f} MB "
                    "limit for one file (generated code?)", str(path)))
                out.append((path, None))
                continue
            source = path.read_bytes()
        except OSError as error:
            diagnostics.append(Diagnostic(Severity.WARNING, f"unreadable: {error.strerror}", str(path)))
            continue
        if b"\0" in source[:8192]:
            diagnostics.append(Diagnostic(Severity.WARNING, "skipped: binary file named .go", str(path)))
            continue
        try:
            source.decode("utf-8")
        except UnicodeDecodeError as error:
            line = source[:error.start].count(b"\n") + 1
            diagnostics.append(Diagnostic(Severity.WARNING, "skipped: not valid UTF-8 (Go source must be)",
                                          str(path), line))
            continue
        expression = header_constraint(source)
        if expression is not None:
            try:
                included = evaluate(expression, context)
            except ConstraintSyntaxError as error:
                diagnostics.append(Diagnostic(Severity.WARNING, f"bad build constraint ({error}); file skipped",
                                              str(path), 1))
                included = False
            if not included:
                out.append((path, None))
                continue
        out.append((path, source))
    return out


def _wants_bodies(is_root: bool, package_hint: str, options: LoadOptions) -> bool:
    if options.bodies == "all":
        return True
    if options.bodies == "none":
        return False
    return is_root or any(package_hint.startswith(p) for p in options.into)


def _parse_all(selected, options: LoadOptions, cache: FactsCache | None, diagnostics: list[Diagnostic],
               stats: dict, progress: Progress | None) -> dict[Path, FileFacts]:
    jobs: list[tuple[str, str, bytes, bool]] = []
    for _, is_root, import_path, files in selected:
        bodies = _wants_bodies(is_root, import_path, options)
        for path, source in files:
            if source is None:
                continue
            digest = hashlib.blake2b(source, digest_size=16).hexdigest() + ("+b" if bodies else "")
            jobs.append((str(path), digest, source, bodies))
            stats["bytes"] += len(source)
    results: dict[Path, FileFacts] = {}
    cached = cache.get_many([(p, d) for p, d, _, _ in jobs]) if cache is not None else {}
    misses = [job for job in jobs if (job[0], job[1]) not in cached]
    for path, digest, _, _ in jobs:
        if (path, digest) in cached:
            results[Path(path)] = cached[(path, digest)]
    stats["files_cached"] += len(jobs) - len(misses)
    stats["files_parsed"] += len(misses)
    parsed = _run_parsers(misses, options, progress, done=len(jobs) - len(misses), total=len(jobs))
    for (path, digest, _, _), facts in zip(misses, parsed):
        results[Path(path)] = facts
    if cache is not None and misses:
        cache.put_many([(path, digest, facts) for (path, digest, _, _), facts in zip(misses, parsed)])
    for facts in results.values():
        diagnostics.extend(facts.diagnostics)
    return results


def _parse_chunk(chunk: list[tuple[str, bytes, bool]]) -> list[FileFacts]:
    return [parse_source(path, source, bodies) for path, source, bodies in chunk]


def _run_parsers(jobs, options: LoadOptions, progress: Progress | None, done: int, total: int) -> list[FileFacts]:
    work = [(path, source, bodies) for path, _, source, bodies in jobs]
    workers = options.jobs or os.cpu_count() or 1
    if workers <= 1 or len(work) < PARALLEL_THRESHOLD:
        out = []
        for i, item in enumerate(work):
            out.append(parse_source(*item))
            if progress and i % 50 == 0:
                progress(done + i, total)
        if progress:
            progress(done + len(work), total)
        return out
    size = max(8, min(64, len(work) // (workers * 8) or 1))
    chunks = [work[i:i + size] for i in range(0, len(work), size)]
    out = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk_result in pool.map(_parse_chunk, chunks):
            out.extend(chunk_result)
            if progress:
                progress(done + len(out), total)
    return out


def _make_package(workspace: Workspace, directory: Path, files: list[FileFacts], is_root: bool,
                  options: LoadOptions) -> Package:
    import_path, module, is_std = workspace.package_path(directory)
    names = [f.package for f in files if f.package and not f.package.endswith("_test")]
    name = max(sorted(set(names)), key=names.count) if names else (files[0].package or directory.name)
    kept = [f for f in files if f.package == name or (options.tests and f.package == name + "_test")]
    return Package(path=import_path, name=name, dir=str(directory), module=module.path if module else None,
                   version=module.version if module else None, files=kept, is_std=is_std, is_root=is_root)
