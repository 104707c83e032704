"""The loader: the only stage that reads files. Finds packages, filters files, parses (cached,
in parallel), and follows imports transitively as far as they resolve."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from goanalyzer.errors import LoadError
from goanalyzer.model import Diagnostic, FileFacts, FileHead, Package, Severity
from goanalyzer.scan import (DirectoryScan, ScanRequest, close_caches, scan_directory, scan_directory_pickled,
                             unpickle_facts)
from goanalyzer.syntax.cache import FactsCache, FileStamp, default_cache_dir
from goanalyzer.workspace.constraints import build_context
from goanalyzer.workspace.workspace import Workspace, open_workspace

log = logging.getLogger("goanalyzer")

MAX_FILE_BYTES = 8 * 1024 * 1024
"""Larger .go files are skipped with a diagnostic (generated tables nobody reads as code)."""


CACHE_BATCH = 256
"""Newly parsed files stored per cache transaction."""


@dataclass(slots=True)
class LoadOptions:
    """The loading options every command shares."""

    goos: str = "linux"
    goarch: str = "amd64"
    tags: tuple[str, ...] | None = None
    """Build tags; None: those of `-tags=` in $GOFLAGS, as `go list` (a tuple, even empty, replaces them)."""
    cgo: bool | None = None
    """Whether cgo files (importing "C") and `cgo` constraints are in; None: $CGO_ENABLED, else the go
    command's default (on for a native build of a cgo platform with a C compiler on $PATH)."""
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
    heads_only: bool = False
    """Packages hold FileHeads (package, imports, declared names) instead of FileFacts: all that
    `index` reports, without unpickling a declaration. Such a result cannot make a Program."""


@dataclass(slots=True)
class LoadResult:
    workspace: Workspace
    packages: dict[str, Package]
    externals: set[str]
    diagnostics: list[Diagnostic]
    stats: dict[str, float] = field(default_factory=dict)


Progress = Callable[[int, int], None]
"""progress(packages loaded, packages found so far)."""


def load_packages(path: str | Path, options: LoadOptions | None = None,
                  progress: Progress | None = None) -> LoadResult:
    """Load the packages under `path` and, transitively, what they import."""
    options = options or LoadOptions()
    started = time.perf_counter()
    workspace = open_workspace(path, goroot=options.goroot, gomodcache=list(options.gomodcache) or None)
    diagnostics = list(workspace.diagnostics)
    root_dirs = workspace.package_dirs
    if not root_dirs:
        raise LoadError(f"no Go files found under {path}")
    with _scanning(options, diagnostics, workspace) as (cache, request):
        scans = _scan_transitively(workspace, root_dirs, request, options, cache, progress)
    _add_cache_warnings(diagnostics, [w for scan in scans.values() for w in scan.cache_warnings])
    packages, externals = _assemble(workspace, root_dirs, scans, options)
    stats = {"files_parsed": 0, "files_cached": 0, "bytes": 0}
    for scan in scans.values():
        diagnostics.extend(scan.diagnostics)
        for facts in scan.facts:
            diagnostics.extend(facts.diagnostics)
        stats["files_parsed"] += scan.parsed
        stats["files_cached"] += scan.cached
        stats["bytes"] += scan.bytes
    diagnostics.extend(Diagnostic(Severity.WARNING, "cannot look into it: permission denied; imports it would "
                                  "resolve to stay unresolved", path) for path in dict.fromkeys(workspace.denied))
    diagnostics.extend(workspace.refused)
    stats["seconds"] = time.perf_counter() - started
    return LoadResult(workspace, packages, externals, diagnostics, stats)


def rescan_with_bodies(workspace: Workspace, packages: dict[str, Package],
                       options: LoadOptions) -> dict[str, Package]:
    """`packages` again, those under `options.into` that were loaded without their function bodies
    scanned once more with them (through the cache like any scan); the others as they are. Imports
    live in file headers, so the set of packages cannot change."""
    out: dict[str, Package] = {}
    wanted = [path for path, package in packages.items()
              if not (package.is_root or all(f.with_bodies for f in package.files)
                      or not any(path.startswith(p) for p in options.into))]
    with _scanning(options, [], workspace) as (cache, request):
        scans = _scan_with_bodies([Path(packages[path].dir) for path in wanted], request, options)
        for path, package in packages.items():
            scan = scans.get(Path(package.dir)) if path in wanted else None
            if scan is None:
                out[path] = package
                continue
            if cache is not None:
                cache.put_blobs(scan.new_rows)
                cache.put_stamps(scan.new_stamps)
            out[path] = _make_package(workspace, Path(package.dir), scan.facts, False, options)
            out[path].excluded_files = scan.excluded
    return out


def _scan_with_bodies(directories: list[Path], request: ScanRequest, options: LoadOptions) -> dict[Path, DirectoryScan]:
    """Scan these directories with their bodies: in this process while the cache has them, in a pool
    of forked workers for the rest once one had to be parsed (Rapid Type Analysis asks for dozens)."""
    workers = options.jobs or os.cpu_count() or 1
    scans: dict[Path, DirectoryScan] = {}
    pending = deque(directories)
    while pending:
        scan = scan_directory(pending.popleft(), True, request)
        scans[scan.directory] = scan
        if scan.parsed > scan.cached and workers > 1 and len(pending) >= workers:
            break
    if pending:
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when needed

        count = len(pending)
        with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context(), initializer=gc.disable) as pool:
            for scan, blobs in pool.map(scan_directory_pickled, pending, [True] * count, [request] * count):
                scans[scan.directory] = unpickle_facts(scan, blobs, True, request)
    return scans


@contextlib.contextmanager
def _scanning(options: LoadOptions, diagnostics: list[Diagnostic], workspace: Workspace):
    """(cache, scan request) for one load. The cache is None when unused or unusable; opening it
    finds and rebuilds a corrupt file before any scan reads it. At the end every connection of this
    process is closed and the cache's warnings become diagnostics."""
    cache = FactsCache(options.cache_dir or default_cache_dir()) if options.use_cache else None
    if cache is not None and cache.connection is None:
        _add_cache_warnings(diagnostics, cache.take_warnings())
        cache = None
    request = ScanRequest(build_context(options.goos, options.goarch, options.tags, options.cgo,
                                        goroot=workspace.goroot, wanted=workspace.go_lines()),
                          options.tests, options.max_file_bytes, str(cache.directory) if cache else None,
                          heads=options.heads_only, trusted=workspace.trusted_roots())
    try:
        yield cache, request
    finally:
        _add_cache_warnings(diagnostics, (cache.take_warnings() if cache is not None else []) + close_caches())
        if cache is not None:
            cache.close()


def _add_cache_warnings(diagnostics: list[Diagnostic], warnings: list[str]) -> None:
    """Each warning once: the loader's connection and every scan's (one per process) meet the same
    obstacles, and a scan's connection warns anew after handing its warnings over."""
    known = {d.message for d in diagnostics if not d.path}
    for warning in warnings:
        if warning not in known:
            known.add(warning)
            diagnostics.append(Diagnostic(Severity.WARNING, warning))


def _scan_transitively(workspace: Workspace, root_dirs: list[Path], request: ScanRequest, options: LoadOptions,
                       cache: FactsCache | None, progress: Progress | None) -> dict[Path, DirectoryScan]:
    """Scan the root directories and every directory their imports resolve to, as results arrive.

    No waves: a finished package's imports are queued at once, so the processes never wait for the
    slowest package of a level. Loads start in this process; once a directory turns out cold (most
    of its files had to be parsed) and directories are waiting, a pool of workers takes over. A warm
    load, even with a few edited files, reads the cache faster in one process than a pool could.
    """
    workers = options.jobs or os.cpu_count() or 1
    queue: deque[tuple[Path, bool]] = deque()
    seen: set[Path] = set()
    scans: dict[Path, DirectoryScan] = {}

    def enqueue(directory: Path, is_root: bool) -> None:
        if directory not in seen:
            seen.add(directory)
            queue.append((directory, is_root))

    unstored: list[tuple[str, str, bytes, bytes]] = []
    stamps: list[FileStamp] = []
    cold = False

    def finish(scan: DirectoryScan) -> None:
        nonlocal cold
        cold = cold or scan.parsed > scan.cached
        scans[scan.directory] = scan
        unstored.extend(scan.new_rows)
        stamps.extend(scan.new_stamps)
        scan.new_rows, scan.new_stamps = [], []
        if cache is not None and len(unstored) + len(stamps) >= CACHE_BATCH:
            cache.put_blobs(unstored)
            cache.put_stamps(stamps)
            unstored.clear()
            stamps.clear()
        for imp in sorted({p for f in scan.facts for p in f.import_paths}):
            resolved = workspace.resolve(imp, scan.directory)
            scan.imports.append((imp, resolved.dir if resolved else None))
            if resolved is not None:
                enqueue(resolved.dir, False)
        if progress:
            progress(len(scans), len(seen))

    for directory in root_dirs:
        enqueue(directory, True)
    pool = None
    running: dict[Future, bool] = {}
    try:
        while queue or running:
            if pool is None and workers > 1 and len(queue) >= workers and cold:
                from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when needed

                pool = ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context(), initializer=gc.disable)
            if pool is None:
                directory, is_root = queue.popleft()
                finish(scan_directory(directory, _wants_bodies(workspace, directory, is_root, options), request))
                continue
            while queue:
                directory, is_root = queue.popleft()
                bodies = _wants_bodies(workspace, directory, is_root, options)
                running[pool.submit(scan_directory_pickled, directory, bodies, request)] = bodies
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                scan, blobs = future.result()
                finish(unpickle_facts(scan, blobs, running.pop(future), request))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if cache is not None:
        cache.put_blobs(unstored)
        cache.put_stamps(stamps)
    return scans


def _assemble(workspace: Workspace, root_dirs: list[Path], scans: dict[Path, DirectoryScan],
              options: LoadOptions) -> tuple[dict[str, Package], set[str]]:
    """Packages in a fixed order whatever order the scans finished in: breadth first from the roots,
    imports sorted. When two directories claim one import path (vendor and cache), the first wins."""
    packages: dict[str, Package] = {}
    externals: set[str] = set()
    level = [(d, True) for d in root_dirs]
    placed = set(root_dirs)
    while level:
        following = []
        for directory, is_root in level:
            scan = scans[directory]
            if not scan.facts:
                continue
            package = _make_package(workspace, directory, scan.facts, is_root, options)
            if package.path in packages:
                continue
            scan.diagnostics.extend(_mixed_packages(directory, scan.facts, package.name))
            package.excluded_files = scan.excluded
            packages[package.path] = package
            for imp, imported_dir in scan.imports:
                if imported_dir is None:
                    if imp not in ("C", "unsafe"):
                        externals.add(imp)
                elif imported_dir not in placed:
                    placed.add(imported_dir)
                    following.append((imported_dir, False))
        level = following
    return packages, externals - set(packages)


@contextlib.contextmanager
def paused_gc():
    """Pause the cycle collector while facts are built or unpickled: they are millions of small
    acyclic objects, and with the collector on, unpickling a large tree takes six times as long."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fork_context():
    """Fork where the platform has it: workers start in milliseconds with the parser already imported."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _wants_bodies(workspace: Workspace, directory: Path, is_root: bool, options: LoadOptions) -> bool:
    if options.bodies == "all":
        return True
    if options.bodies == "none":
        return False
    return is_root or any(workspace.package_path(directory)[0].startswith(p) for p in options.into)


def _counts(package: str) -> bool:
    """Whether a file's package clause names the directory's package: go/build ignores
    `package documentation` files, and `_test` packages are the tests'."""
    return bool(package) and package != "documentation" and not package.endswith("_test")


def _mixed_packages(directory: Path, files: list[FileFacts | FileHead], kept: str) -> list[Diagnostic]:
    """What `go list` says of a directory whose files declare different packages (go build fails
    there); the analysis keeps the package most files declare (ties: the first name)."""
    first: dict[str, str] = {}
    for facts in files:
        if _counts(facts.package):
            first.setdefault(facts.package, Path(facts.path).name)
    if len(first) < 2:
        return []
    found = " and ".join(f"{name} ({file})" for name, file in first.items())
    return [Diagnostic(Severity.ERROR, f"found packages {found} in {directory}; analysing {kept} only",
                       str(directory))]


def _make_package(workspace: Workspace, directory: Path, files: list[FileFacts | FileHead], is_root: bool,
                  options: LoadOptions) -> Package:
    import_path, module, is_std = workspace.package_path(directory)
    names = [f.package for f in files if _counts(f.package)]
    name = max(sorted(set(names)), key=names.count) if names else (files[0].package or directory.name)
    kept = [f for f in files if f.package == name or (options.tests and f.package == name + "_test")]
    return Package(path=import_path, name=name, dir=str(directory), module=module.path if module else None,
                   version=module.version if module else None, files=kept, is_std=is_std, is_root=is_root)
