"""A SQLite cache of parsed facts, keyed by file path, content hash and extractor version.

Concurrent runs share it safely (WAL journal, busy timeout, one transaction per write batch).
The cache is only ever an accelerator, never the source of truth, and never destroys itself on a
mere obstacle: a database another process holds locked is skipped for this run, a read-only one is
read without writing, and only a file that fails SQLite's own check is discarded and rebuilt. A
directory owned by somebody else, or writable by others, is not trusted at all.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from goanalyzer.syntax.version import EXTRACTOR_VERSION

log = logging.getLogger("goanalyzer")

SCHEMA_VERSION = "5"
"""Bumped when the tables or the stored FileHead change; the extractor version when the facts do."""
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS facts (path TEXT, hash TEXT, head BLOB, data BLOB, PRIMARY KEY (path, hash));"
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
    " inode INTEGER, hash TEXT, constraint_expr TEXT, checked_ns INTEGER)"
)
"""`facts` holds what a file's content yields; `files` what a file looked like when last read, so an
unchanged file (same size, mtime, ctime and inode: `cp -p` and `touch -r` can restore an mtime, never
a ctime) is neither read nor hashed again.
The small head comes before the large data in a row: SQLite reads a column only after walking the
overflow pages of the columns before it, and `index` reads heads alone."""

CONTENT_HASH_CHARS = 32
"""A facts key is the content hash (32 hex digits) plus "+b" when bodies were extracted."""

RACY_NS = 2_000_000_000
"""A file modified less than this before it was read may change again without its mtime moving:
its stat is not trusted (it is read and hashed next time)."""

LOCK_WAIT_S = 5
"""How long a run waits for a cache another process holds locked before it runs without it."""


@dataclass(slots=True)
class FileStamp:
    """A file as last read: its stat, content hash and header build constraint."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    hash: str
    constraint: str | None
    checked_ns: int

    def still_matches(self, stat: os.stat_result) -> bool:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino) == \
            (self.size, self.mtime_ns, self.ctime_ns, self.inode) and \
            self.mtime_ns < self.checked_ns - RACY_NS


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "goanalyzer"


class FactsCache:
    """FileFacts by (path, content hash), serialised by `serial` (read back into our models only)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.file = self.directory / f"facts-v{EXTRACTOR_VERSION}.{SCHEMA_VERSION}.sqlite"
        self.connection: sqlite3.Connection | None = None
        self.read_only = False
        self.warnings: list[str] = []
        self._open()

    def _open(self) -> None:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            return self._disable(f"cannot use {self.directory}: {error.strerror or error}")
        distrust = untrusted(self.directory, self.file)
        if distrust:
            return self._disable(distrust)
        try:
            self.connection = self._connect()
        except sqlite3.OperationalError as error:
            self._obstacle(error)
        except sqlite3.DatabaseError as error:
            self._discard(error)

    def _connect(self, read_only: bool = False, immutable: bool = False) -> sqlite3.Connection:
        """A connection that has read the schema. `immutable`: read-only without the WAL index file,
        which a read-only directory cannot hold (SQLite then takes no locks, so is told nobody writes)."""
        uri = f"{self.file.as_uri()}?mode=ro{'&immutable=1' if immutable else ''}" if read_only else str(self.file)
        connection = sqlite3.connect(uri, uri=read_only, timeout=LOCK_WAIT_S, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_S * 1000}")
            if not read_only:
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("PRAGMA synchronous = NORMAL")
                connection.executescript(SCHEMA)
            connection.execute("SELECT count(*) FROM facts WHERE rowid = 1").fetchone()
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _obstacle(self, error: sqlite3.OperationalError) -> None:
        """Opening failed for a reason that says nothing about the file's health: busy, or not
        writable. A read-only cache is still read; otherwise this run goes without it."""
        text = str(error)
        if _busy(error):
            return self._disable(self._locked())
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            for immutable in (False, True):
                try:
                    self.connection, self.read_only = self._connect(read_only=True, immutable=immutable), True
                except sqlite3.Error as second:
                    error = second
                    continue
                self._warn(f"cache {self.file} is read-only: facts are read from it, not stored")
                return None
            return self._disable(f"cannot open {self.file}: {error}")
        if self._healthy():
            return self._disable(f"cannot open {self.file}: {error}")
        return self._discard(error)

    def _locked(self) -> str:
        return f"{self.file} is locked by another process (waited {LOCK_WAIT_S} s); running without the cache"

    def _healthy(self) -> bool:
        """SQLite's own quick check, read-only: the one test that may condemn the file."""
        try:
            connection = sqlite3.connect(f"{self.file.as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT_S)
            try:
                return connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
            finally:
                connection.close()
        except sqlite3.OperationalError as error:
            return _busy(error)
        except sqlite3.DatabaseError:
            return False

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            log.debug(message)
            self.warnings.append(message)

    def _disable(self, why: str) -> None:
        self._warn(f"cache disabled: {why}")
        self.close()

    def _discard(self, error: Exception) -> None:
        if self._healthy() and self.file.exists():
            return self._disable(f"{self.file}: {error}")
        self._warn(f"cache file {self.file} is corrupt ({error}); discarding and rebuilding it")
        self.close()
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.file}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as unlink_error:
                return self._disable(f"cannot remove {self.file}{suffix}: {unlink_error.strerror}")
        try:
            self.connection = self._connect()
        except (sqlite3.DatabaseError, OSError) as second:
            self._disable(str(second))

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
        rows = self._read("SELECT files.path, size, mtime_ns, ctime_ns, inode, files.hash, constraint_expr, checked_ns, "
                          f"facts.{column} FROM files LEFT JOIN facts "
                          "ON facts.path = files.path AND facts.hash = files.hash || ? "
                          "WHERE files.path IN ({marks})", [key_suffix], paths)
        return {row[0]: (FileStamp(*row[:8]), row[8]) for row in rows}

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
        except sqlite3.OperationalError as error:
            if _busy(error):  # held by another process past the wait: no further wait on every read
                self._disable(self._locked())
            else:
                self._warn(f"cache not read this time: {error}")
            return []
        except sqlite3.DatabaseError as error:
            self._discard(error)
            return []
        return out

    def put_stamps(self, stamps: list[FileStamp]) -> None:
        rows = [(s.path, s.size, s.mtime_ns, s.ctime_ns, s.inode, s.hash, s.constraint, s.checked_ns)
                for s in stamps]
        if rows:
            self._write(lambda connection: connection.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows))

    def _write(self, work) -> None:
        """One transaction; a busy or read-only database skips the write (the cache only accelerates)."""
        if self.connection is None or self.read_only:
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
            if isinstance(error, sqlite3.OperationalError):
                self.read_only = True  # no further write this run: each would wait again, or fail again
                if _busy(error):
                    self._warn(f"cache {self.file} is locked by another process (waited {LOCK_WAIT_S} s): "
                               "facts not stored this time")
                else:
                    self._warn(f"cache {self.file} cannot be written ({error}): facts are read from it, not stored")
                return
            self._discard(error)

    def take_warnings(self) -> list[str]:
        """Warnings not yet reported (the cache was found corrupt and rebuilt, or disabled)."""
        taken, self.warnings = self.warnings, []
        return taken

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except sqlite3.Error:
                pass
            self.connection = None


def _busy(error: sqlite3.Error) -> bool:
    """Another process holds the database: a reason to wait or go without, never to discard it."""
    return "locked" in str(error) or "busy" in str(error)


def untrusted(directory: Path, file: Path) -> str | None:
    """Why a cache directory (or its database) must not be trusted, or None: anybody who can write
    it can plant facts, so it must be ours and writable by nobody else (a sticky shared directory
    such as /tmp is fine, as nobody else can replace our files in it)."""
    me = os.geteuid()
    for path in (directory, file):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError as error:
            return f"cannot check {path}: {error.strerror}"
        if path == file and not stat.S_ISREG(info.st_mode):
            return f"{path} is not a regular file"
        if path == directory and stat.S_ISLNK(info.st_mode):
            info = os.stat(path)
        if info.st_uid != me:
            return f"{path} belongs to uid {info.st_uid}, not to this user (uid {me})"
        if info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX:
            return f"{path} is writable by other users (mode {stat.S_IMODE(info.st_mode):o})"
    return None
