"""A SQLite cache of parsed facts, keyed by file path, content hash and extractor version.

Concurrent runs share it safely (WAL journal, busy timeout, one transaction per write batch).
A cache file that SQLite cannot read is discarded and rebuilt with a warning: the cache is only
ever an accelerator, never the source of truth.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from goanalyzer.syntax.version import EXTRACTOR_VERSION

log = logging.getLogger("goanalyzer")

SCHEMA_VERSION = "4"
"""Bumped when the tables or the stored FileHead change; the extractor version when the facts do."""
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS facts (path TEXT, hash TEXT, head BLOB, data BLOB, PRIMARY KEY (path, hash));"
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inode INTEGER,"
    " hash TEXT, constraint_expr TEXT, checked_ns INTEGER)"
)
"""`facts` holds what a file's content yields; `files` what a file looked like when last read, so an
unchanged file (same size, mtime and inode, as git's index trusts) is neither read nor hashed again.
The small head comes before the large data in a row: SQLite reads a column only after walking the
overflow pages of the columns before it, and `index` reads heads alone."""

CONTENT_HASH_CHARS = 32
"""A facts key is the content hash (32 hex digits) plus "+b" when bodies were extracted."""

RACY_NS = 2_000_000_000
"""A file modified less than this before it was read may change again without its mtime moving:
its stat is not trusted (it is read and hashed next time)."""


@dataclass(slots=True)
class FileStamp:
    """A file as last read: its stat, content hash and header build constraint."""

    path: str
    size: int
    mtime_ns: int
    inode: int
    hash: str
    constraint: str | None
    checked_ns: int

    def still_matches(self, stat: os.stat_result) -> bool:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (self.size, self.mtime_ns, self.inode) and \
            self.mtime_ns < self.checked_ns - RACY_NS


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "goanalyzer"


class FactsCache:
    """Pickled FileFacts by (path, content hash); the scans pickle and unpickle them."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.file = self.directory / f"facts-v{EXTRACTOR_VERSION}.{SCHEMA_VERSION}.sqlite"
        self.connection: sqlite3.Connection | None = None
        self.warnings: list[str] = []
        self._open()

    def _open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.connection = self._connect()
        except sqlite3.DatabaseError as error:
            self._discard(error)
        except OSError as error:
            self.warnings.append(f"cache disabled: cannot use {self.directory}: {error}")
            self.connection = None

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.file, timeout=30, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 30000")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.executescript(SCHEMA)
        connection.execute("SELECT count(*) FROM facts WHERE rowid = 1").fetchone()
        return connection

    def _discard(self, error: Exception) -> None:
        message = f"cache file {self.file} is corrupt ({error}); discarding and rebuilding it"
        log.warning(message)
        self.warnings.append(message)
        if self.connection is not None:
            try:
                self.connection.close()
            except sqlite3.Error:
                pass
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.file}{suffix}")
            except FileNotFoundError:
                pass
        try:
            self.connection = self._connect()
        except (sqlite3.DatabaseError, OSError) as second:
            self.warnings.append(f"cache disabled: {second}")
            self.connection = None

    def get_blobs(self, keys: list[tuple[str, str]], column: str = "data") -> dict[tuple[str, str], bytes]:
        """The pickled facts ("data") or file heads ("head") stored for the (path, hash) keys present."""
        assert column in ("data", "head")
        wanted = set(keys)
        rows = self._read(f"SELECT path, hash, {column} FROM facts WHERE path IN ({{marks}})",
                          [], sorted({path for path, _ in keys}))
        return {(path, digest): data for path, digest, data in rows if (path, digest) in wanted}

    def put_blobs(self, rows: list[tuple[str, str, bytes, bytes]]) -> None:
        """Store (path, hash, pickled facts, pickled head) rows, dropping the rows of older contents of
        each path (facts with and without bodies of the same content stay side by side)."""
        def write(connection: sqlite3.Connection) -> None:
            connection.executemany("DELETE FROM facts WHERE path = ? AND substr(hash, 1, ?) != ?",
                                   [(path, CONTENT_HASH_CHARS, digest[:CONTENT_HASH_CHARS])
                                    for path, digest, _, _ in rows])
            connection.executemany("INSERT OR REPLACE INTO facts (path, hash, data, head) VALUES (?, ?, ?, ?)", rows)

        if rows:
            self._write(write)

    def get_stamps(self, paths: list[str], key_suffix: str = "",
                   column: str = "data") -> dict[str, tuple[FileStamp, bytes | None]]:
        """The stamps recorded for these paths, each with the blob (facts or head, as `column` says)
        stored for its content hash + key_suffix, or None: one query for what a warm scan needs."""
        assert column in ("data", "head")
        rows = self._read("SELECT files.path, size, mtime_ns, inode, files.hash, constraint_expr, checked_ns, "
                          f"facts.{column} FROM files LEFT JOIN facts "
                          "ON facts.path = files.path AND facts.hash = files.hash || ? "
                          "WHERE files.path IN ({marks})", [key_suffix], paths)
        return {row[0]: (FileStamp(*row[:7]), row[7]) for row in rows}

    def _read(self, sql: str, params: list, paths: list[str]) -> list[tuple]:
        """Rows of `sql` for `paths`, 500 at a time (`{marks}` becomes their placeholders). A cache
        SQLite cannot read is discarded: the rows are then none, and everything is parsed again."""
        if self.connection is None or not paths:
            return []
        out: list[tuple] = []
        try:
            for start in range(0, len(paths), 500):
                chunk = paths[start:start + 500]
                out.extend(self.connection.execute(sql.format(marks=",".join("?" * len(chunk))), [*params, *chunk]))
        except sqlite3.DatabaseError as error:
            self._discard(error)
            return []
        return out

    def put_stamps(self, stamps: list[FileStamp]) -> None:
        rows = [(s.path, s.size, s.mtime_ns, s.inode, s.hash, s.constraint, s.checked_ns) for s in stamps]
        if rows:
            self._write(lambda connection: connection.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", rows))

    def _write(self, work) -> None:
        """One transaction; a busy database skips the write (the cache only accelerates)."""
        if self.connection is None:
            return
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            work(self.connection)
            self.connection.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            try:
                self.connection.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                log.debug("cache busy; facts not stored this time")
                return
            self._discard(error)

    def take_warnings(self) -> list[str]:
        """Warnings not yet reported (the cache was found corrupt and rebuilt, or disabled)."""
        taken, self.warnings = self.warnings, []
        return taken

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
