"""One package directory, read and parsed: the unit of work the loader hands to its processes.

A scan selects the files the build would include, looks their facts up in the cache, parses the
rest. It runs in the loader's process for small jobs and in worker processes for large ones; there
it returns facts already pickled (the cache's blob as is), so each file's facts cross the process
boundary as one bytes object and are unpickled once, by the loader. Scans only read the cache: the
newly parsed facts come back as `new_rows` and the loader alone writes them (one writer, no lock waits).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from goanalyzer.model import Diagnostic, FileFacts, Severity
from goanalyzer.syntax.cache import FactsCache
from goanalyzer.syntax.extract import parse_source
from goanalyzer.workspace.constraints import BuildContext, ConstraintSyntaxError, evaluate, header_constraint, name_matches

PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL


@dataclass(slots=True)
class ScanRequest:
    """What a scan needs to know besides the directory; the same for every directory of a load."""

    context: BuildContext
    tests: bool
    max_file_bytes: int
    cache_dir: str | None
    """The facts cache to read and fill, or None without a cache."""


@dataclass(slots=True)
class DirectoryScan:
    """What one directory yielded. `facts` are in file-name order, one per included file."""

    directory: Path
    facts: list[FileFacts] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    """.go files the build leaves out (constraints, _test.go without --tests, over the size limit)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parsed: int = 0
    cached: int = 0
    bytes: int = 0
    new_rows: list[tuple[str, str, bytes]] = field(default_factory=list)
    """(path, hash, pickled facts) of the files parsed now, for the loader to store in the cache."""


def scan_directory(directory: Path, bodies: bool, request: ScanRequest) -> DirectoryScan:
    """Scan in this process: facts come back as objects."""
    scan, blobs = _scan(directory, bodies, request, keep_objects=True)
    scan.facts = blobs
    return scan


def scan_directory_pickled(directory: Path, bodies: bool,
                           request: ScanRequest) -> tuple[DirectoryScan, list[tuple[bytes, str]]]:
    """Scan in a worker process: facts come back pickled, (blob, path) each, for `unpickle_facts`."""
    return _scan(directory, bodies, request, keep_objects=False)


def unpickle_facts(scan: DirectoryScan, blobs: list[tuple[bytes, str]], bodies: bool) -> DirectoryScan:
    scan.facts = [_loads(blob, path, bodies) for blob, path in blobs]
    return scan


def _loads(blob: bytes, path: str, bodies: bool) -> FileFacts:
    try:
        return pickle.loads(blob)
    except Exception:  # noqa: BLE001 - an unreadable cache entry is parsed again
        return parse_source(path, Path(path).read_bytes(), bodies)


def _scan(directory: Path, bodies: bool, request: ScanRequest, keep_objects: bool):
    scan = DirectoryScan(directory)
    selected = select_files(directory, request, scan)
    keys = [(str(path), _digest(source, bodies)) for path, source in selected]
    cache = _cache(request.cache_dir)
    found = cache.get_blobs(keys) if cache is not None else {}
    out: list = []
    for (path, digest), (_, source) in zip(keys, selected):
        scan.bytes += len(source)
        blob = found.get((path, digest))
        if blob is not None:
            scan.cached += 1
            out.append(_loads(blob, path, bodies) if keep_objects else (blob, path))
            continue
        scan.parsed += 1
        facts = parse_source(path, source, bodies)
        if cache is not None or not keep_objects:
            blob = pickle.dumps(facts, protocol=PICKLE_PROTOCOL)
            if cache is not None:
                scan.new_rows.append((path, digest, blob))
        out.append(facts if keep_objects else (blob, path))
    return scan, out


def _digest(source: bytes, bodies: bool) -> str:
    return hashlib.blake2b(source, digest_size=16).hexdigest() + ("+b" if bodies else "")


_CACHES: dict[str, FactsCache] = {}


def _cache(cache_dir: str | None) -> FactsCache | None:
    """This process's connection to the cache (SQLite connections must not cross a fork)."""
    if cache_dir is None:
        return None
    key = f"{os.getpid()}:{cache_dir}"
    if key not in _CACHES:
        _CACHES[key] = FactsCache(cache_dir)
    cache = _CACHES[key]
    return cache if cache.connection is not None else None


def close_caches() -> None:
    """Close this process's cache connections (the loader calls it when a load ends)."""
    for key in [k for k in _CACHES if k.startswith(f"{os.getpid()}:")]:
        _CACHES.pop(key).close()


def select_files(directory: Path, request: ScanRequest, scan: DirectoryScan) -> list[tuple[Path, bytes]]:
    """(file, source) for each .go file the build would include; the others go to scan.excluded."""
    out: list[tuple[Path, bytes]] = []
    try:
        names = sorted(os.listdir(directory))
    except OSError as error:
        scan.diagnostics.append(Diagnostic(Severity.WARNING, f"cannot read directory: {error.strerror}",
                                           str(directory)))
        return out
    for name in names:
        if not name.endswith(".go") or name.startswith((".", "_")):
            continue
        path = directory / name
        if not path.is_file():
            continue
        if (name.endswith("_test.go") and not request.tests) or not name_matches(name, request.context):
            scan.excluded.append(str(path))
            continue
        try:
            size = path.stat().st_size
            if size > request.max_file_bytes:
                scan.diagnostics.append(Diagnostic(
                    Severity.WARNING, f"skipped: {size / 1e6:.1f} MB is over the {request.max_file_bytes / 1e6:.0f} MB "
                    "limit for one file (generated code?)", str(path)))
                scan.excluded.append(str(path))
                continue
            source = path.read_bytes()
        except OSError as error:
            scan.diagnostics.append(Diagnostic(Severity.WARNING, f"unreadable: {error.strerror}", str(path)))
            continue
        problem = _not_go_source(source)
        if problem is not None:
            scan.diagnostics.append(Diagnostic(Severity.WARNING, problem[0], str(path), problem[1]))
            continue
        expression = header_constraint(source)
        if expression is not None:
            try:
                included = evaluate(expression, request.context)
            except ConstraintSyntaxError as error:
                scan.diagnostics.append(Diagnostic(
                    Severity.WARNING, f"bad build constraint ({error}); file skipped", str(path), 1))
                included = False
            if not included:
                scan.excluded.append(str(path))
                continue
        out.append((path, source))
    return out


def _not_go_source(source: bytes) -> tuple[str, int] | None:
    """Why these bytes cannot be Go source (binary, not UTF-8), with the line (0: none); None when they can."""
    if b"\0" in source[:8192]:
        return "skipped: binary file named .go", 0
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as error:
        return "skipped: not valid UTF-8 (Go source must be)", source[:error.start].count(b"\n") + 1
    return None
