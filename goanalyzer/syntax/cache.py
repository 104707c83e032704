"""A SQLite cache of parsed facts, keyed by file path, content hash and extractor version.

Concurrent runs share it safely (WAL journal, busy timeout, one transaction per write batch).
A cache file that SQLite cannot read is discarded and rebuilt with a warning: the cache is only
ever an accelerator, never the source of truth.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from goanalyzer.syntax.extract import EXTRACTOR_VERSION

log = logging.getLogger("goanalyzer")

SCHEMA = "CREATE TABLE IF NOT EXISTS facts (path TEXT, hash TEXT, data BLOB, PRIMARY KEY (path, hash))"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "goanalyzer"


class FactsCache:
    """Pickled FileFacts by (path, content hash); the scans pickle and unpickle them."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.file = self.directory / f"facts-v{EXTRACTOR_VERSION}.sqlite"
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
        connection.execute(SCHEMA)
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

    def get_blobs(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
        """The pickled facts stored for the (path, hash) keys present in the cache."""
        found: dict[tuple[str, str], bytes] = {}
        if self.connection is None or not keys:
            return found
        wanted = set(keys)
        try:
            paths = sorted({path for path, _ in keys})
            for start in range(0, len(paths), 500):
                chunk = paths[start:start + 500]
                rows = self.connection.execute(
                    f"SELECT path, hash, data FROM facts WHERE path IN ({','.join('?' * len(chunk))})", chunk)
                for path, digest, data in rows:
                    if (path, digest) in wanted:
                        found[(path, digest)] = data
        except sqlite3.DatabaseError as error:
            self._discard(error)
            return {}
        return found

    def put_blobs(self, rows: list[tuple[str, str, bytes]]) -> None:
        """Store (path, hash, pickled facts) rows in one transaction, replacing older hashes of each path."""
        if self.connection is None or not rows:
            return
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            for start in range(0, len(rows), 500):
                chunk = [r[0] for r in rows[start:start + 500]]
                self.connection.execute(f"DELETE FROM facts WHERE path IN ({','.join('?' * len(chunk))})", chunk)
            self.connection.executemany("INSERT OR REPLACE INTO facts (path, hash, data) VALUES (?, ?, ?)", rows)
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
