"""A SQLite cache of parsed facts, keyed by file path, content hash and extractor version.

Concurrent runs share it safely (WAL journal, busy timeout, one transaction per write batch).
A cache file that SQLite cannot read is discarded and rebuilt with a warning: the cache is only
ever an accelerator, never the source of truth.
"""

from __future__ import annotations

import logging
import os
import pickle
import sqlite3
from pathlib import Path

from goanalyzer.model import FileFacts
from goanalyzer.syntax.extract import EXTRACTOR_VERSION

log = logging.getLogger("goanalyzer")

SCHEMA = "CREATE TABLE IF NOT EXISTS facts (path TEXT, hash TEXT, data BLOB, PRIMARY KEY (path, hash))"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "goanalyzer"


class FactsCache:
    """Get and put FileFacts by (path, content hash)."""

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

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], FileFacts]:
        """Facts for the (path, hash) keys present in the cache."""
        found: dict[tuple[str, str], FileFacts] = {}
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
                        try:
                            found[(path, digest)] = pickle.loads(data)
                        except Exception:  # noqa: BLE001 - an unreadable entry is a miss
                            log.debug("unreadable cache entry for %s", path)
        except sqlite3.DatabaseError as error:
            self._discard(error)
            return {}
        return found

    def put_many(self, entries: list[tuple[str, str, FileFacts]]) -> None:
        if self.connection is None or not entries:
            return
        rows = [(path, digest, pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)) for path, digest, facts in entries]
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            self.connection.execute(
                f"DELETE FROM facts WHERE path IN ({','.join('?' * len(rows))})" if len(rows) < 900 else "SELECT 1",
                [r[0] for r in rows] if len(rows) < 900 else [])
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

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
