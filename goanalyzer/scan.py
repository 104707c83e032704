"""One package directory, read and parsed: the unit of work the loader hands to its processes.

A scan selects the files the build would include, looks their facts up in the cache, parses the
rest. It runs in the loader's process for warm or small loads and in worker processes for cold
ones, and always yields facts pickled (the cache's blob as is), so each file's facts cross the
process boundary as one bytes object and are unpickled once, by the loader. Scans only read the
cache: newly parsed facts come back as `new_rows` and the loader alone writes them (one writer,
no lock waits).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from goanalyzer.model import Diagnostic, FileFacts, FileHead, Severity
from goanalyzer.syntax import serial
from goanalyzer.syntax.cache import FactsCache, FileStamp
from goanalyzer.workspace.workspace import is_within
from goanalyzer.workspace.constraints import BuildContext, ConstraintSyntaxError, evaluate, header_constraint, name_matches


@dataclass(slots=True)
class ScanRequest:
    """What a scan needs to know besides the directory; the same for every directory of a load."""

    context: BuildContext
    tests: bool
    max_file_bytes: int
    cache_dir: str | None
    """The facts cache to read and fill, or None without a cache."""
    heads: bool = False
    """Return each file's FileHead instead of its facts (what `index` needs)."""
    trusted: tuple[str, ...] | None = None
    """Where a symlinked .go file may lead (`Workspace.trusted_roots`); None: anywhere."""


@dataclass(slots=True)
class DirectoryScan:
    """What one directory yielded. `facts` are in file-name order, one per included file (FileHeads
    when the request asked for heads)."""

    directory: Path
    facts: list[FileFacts] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    """.go files the build leaves out (constraints, _test.go without --tests, cgo files without cgo,
    over the size limit)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parsed: int = 0
    cached: int = 0
    bytes: int = 0
    new_rows: list[tuple[str, str, bytes, bytes]] = field(default_factory=list)
    """(path, hash, pickled facts, pickled head) of the files parsed now, for the loader to store."""
    new_stamps: list[FileStamp] = field(default_factory=list)
    """Stamps of the files read now, for the loader to store."""
    imports: list[tuple[str, Path | None]] = field(default_factory=list)
    """Each import path of the files, sorted, with the directory it resolves to (filled by the loader)."""
    cache_warnings: list[str] = field(default_factory=list)
    """What the cache said during this scan (a read that failed), for the loader to report once."""


def scan_directory(directory: Path, bodies: bool, request: ScanRequest) -> DirectoryScan:
    """Scan in this process."""
    return unpickle_facts(*scan_directory_pickled(directory, bodies, request), bodies, request)


def scan_directory_pickled(directory: Path, bodies: bool,
                           request: ScanRequest) -> tuple[DirectoryScan, list[tuple[bytes, str]]]:
    """Facts (or heads, for `index`) of the directory's files, pickled, (blob, path) each: the cache's
    blob as is, else the file parsed now. A worker returns this; `unpickle_facts` makes objects."""
    scan = DirectoryScan(directory)
    cache = _cache(request.cache_dir)
    suffix, column = ("+b" if bodies else ""), ("head" if request.heads else "data")
    selected = select_files(directory, request, scan, cache, suffix, column)
    keys = [(file.path, file.hash + suffix) for file in selected]
    unknown = [key for key, file in zip(keys, selected) if file.cached is None]
    found = cache.get_blobs(unknown, column) if cache is not None and unknown else {}
    out: list[tuple[bytes, str]] = []
    for (path, key), file in zip(keys, selected):
        scan.bytes += file.size
        blob = file.cached or found.get((path, key))
        if blob is not None:
            scan.cached += 1
        else:
            scan.parsed += 1
            facts = _parse(path, file.source if file.source is not None else Path(path).read_bytes(), bodies)
            data = serial.dumps(facts) if cache or not request.heads else b""
            head = serial.dumps(facts.head()) if cache or request.heads else b""
            if data is None or head is None:
                # too deep to serialise: not cached; an empty blob makes the loader parse it again
                scan.diagnostics.append(Diagnostic(Severity.WARNING, "not cached: its declarations nest too "
                                                   "deeply to store", path))
                data = head = b""
            elif cache is not None:
                scan.new_rows.append((path, key, data, head))
            blob = head if request.heads else data
        out.append((blob, path))
    scan.cache_warnings = _take_cache_warnings(request.cache_dir)
    return scan, out


def unpickle_facts(scan: DirectoryScan, blobs: list[tuple[bytes, str]], bodies: bool,
                   request: ScanRequest) -> DirectoryScan:
    """The facts as objects. Without cgo, files that import "C" leave the build here (go/build puts
    them in IgnoredGoFiles, and their imports are not followed): the import list is known only once
    a file is parsed, and facts depend on content alone, so the cache never holds a stale choice."""
    scan.facts = []
    for blob, path in blobs:
        facts = _loads(blob, path, bodies, request.heads)
        if request.context.cgo or "C" not in facts.import_paths:
            scan.facts.append(facts)
        else:
            scan.excluded.append(path)
    scan.excluded.sort()
    return scan


def _loads(blob: bytes, path: str, bodies: bool, heads: bool):
    """The blob's facts; a blob that is empty, unreadable or names anything but our models (planted
    in a shared cache) is ignored and the file parsed again."""
    try:
        facts = serial.loads(blob) if blob else None
    except Exception:  # noqa: BLE001 - an unreadable cache entry is parsed again
        facts = None
    if isinstance(facts, FileHead if heads else FileFacts):
        return facts
    facts = _parse(path, Path(path).read_bytes(), bodies)
    return facts.head() if heads else facts


def _parse(path: str, source: bytes, bodies: bool) -> FileFacts:
    from goanalyzer.syntax.extract import parse_source  # tree-sitter is imported only when a file is parsed

    return parse_source(path, source, bodies)


def _content_hash(source: bytes) -> str:
    import hashlib  # only when a file is read: a warm run never needs it (OpenSSL's start-up is 3 ms)

    return hashlib.blake2b(source, digest_size=16).hexdigest()


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


def _take_cache_warnings(cache_dir: str | None) -> list[str]:
    """The warnings this process's connection to the cache has not yet handed over."""
    cache = _CACHES.get(f"{os.getpid()}:{cache_dir}") if cache_dir is not None else None
    return cache.take_warnings() if cache is not None else []


def close_caches() -> list[str]:
    """Close this process's cache connections (the loader calls it when a load ends); the warnings
    they had not yet handed over."""
    warnings = []
    for key in [k for k in _CACHES if k.startswith(f"{os.getpid()}:")]:
        cache = _CACHES.pop(key)
        warnings.extend(cache.take_warnings())
        cache.close()
    return warnings


@dataclass(slots=True)
class SelectedFile:
    """A file the build includes. `source` is None when its stamp showed it unchanged: it is only
    read if its facts are not in the cache after all."""

    path: str
    hash: str
    size: int
    source: bytes | None
    cached: bytes | None = None
    """The cached blob found with the stamp, when the file is unchanged and its facts are stored."""


def select_files(directory: Path, request: ScanRequest, scan: DirectoryScan, cache: FactsCache | None = None,
                 key_suffix: str = "", column: str = "data") -> list[SelectedFile]:
    """The .go files the build would include; the others go to scan.excluded. Files whose stamp in
    the cache still matches are not read: their hash and build constraint come from the stamp."""
    out: list[SelectedFile] = []
    try:
        entries = sorted((e for e in os.scandir(directory) if e.name.endswith(".go")), key=lambda e: e.name)
    except OSError as error:
        scan.diagnostics.append(Diagnostic(Severity.WARNING, f"cannot read directory: {error.strerror}",
                                           str(directory)))
        return out
    stamps = cache.get_stamps([e.path for e in entries], key_suffix, column) if cache is not None else {}
    for entry in entries:
        name = entry.name
        if name.startswith((".", "_")):
            continue
        path = entry.path
        try:
            skip = _not_a_source_file(entry, request.trusted)
            if skip is not None:
                scan.diagnostics.append(Diagnostic(Severity.WARNING, skip, path))
                continue
            if (name.endswith("_test.go") and not request.tests) or not name_matches(name, request.context):
                scan.excluded.append(path)
                continue
            stat = entry.stat()
            if stat.st_size > request.max_file_bytes:
                scan.diagnostics.append(Diagnostic(
                    Severity.WARNING, f"skipped: {stat.st_size / 1e6:.1f} MB is over the "
                    f"{request.max_file_bytes / 1e6:.0f} MB limit for one file (generated code?)", path))
                scan.excluded.append(path)
                continue
            stamp, cached = stamps.get(path, (None, None))
            source = None
            if stamp is None or not stamp.still_matches(stat):
                cached = None
                checked_ns = time.time_ns()
                with open(path, "rb") as file:
                    source = file.read()
        except OSError as error:
            scan.diagnostics.append(Diagnostic(Severity.WARNING, f"unreadable: {error.strerror}", path))
            continue
        if source is not None:
            problem = _not_go_source(source)
            if problem is not None:
                scan.diagnostics.append(Diagnostic(Severity.WARNING, problem[0], path, problem[1]))
                continue
            stamp = FileStamp(path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino,
                              _content_hash(source), header_constraint(source), checked_ns)
            scan.new_stamps.append(stamp)
        if stamp.constraint is not None:
            try:
                included = evaluate(stamp.constraint, request.context)
            except ConstraintSyntaxError as error:
                scan.diagnostics.append(Diagnostic(
                    Severity.WARNING, f"bad build constraint ({error}); file skipped", path, 1))
                included = False
            if not included:
                scan.excluded.append(path)
                continue
        out.append(SelectedFile(path, stamp.hash, stat.st_size, source, cached))
    return out


def _not_a_source_file(entry: os.DirEntry, trusted: tuple[str, ...] | None) -> str | None:
    """Why a directory entry named .go is not read, or None. A FIFO would block the read, a device
    never ends, and a link out of the tree would publish a file from elsewhere."""
    if entry.is_symlink():
        target = os.path.realpath(entry.path)
        if trusted is not None and not is_within(target, trusted):
            return f"skipped: symlink leads out of the tree ({target})"
    if entry.is_file():
        return None
    if entry.is_dir():
        return "skipped: a directory named .go"
    return "skipped: not a regular file (FIFO, socket or device)"


def _not_go_source(source: bytes) -> tuple[str, int] | None:
    """Why these bytes cannot be Go source (binary, not UTF-8), with the line (0: none); None when they can."""
    if b"\0" in source[:8192]:
        return "skipped: binary file named .go", 0
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as error:
        return "skipped: not valid UTF-8 (Go source must be)", source[:error.start].count(b"\n") + 1
    return None
