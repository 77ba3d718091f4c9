"""A persistent cache of file digests, so unchanged data is not read again.

Keyed by (absolute path, size, mtime_ns, inode): rewriting, truncating, touching or
replacing a file (a new inode) misses the cache. Stored in one small SQLite file
under LABTRACK_HOME, shared by every kernel of the user; a cache that cannot be
opened or written only costs a rehash.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from ..backend.location import labtrack_home
from .digests import FileDigest, hash_file_contents

CACHE_FILE = "hash-cache.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS file_digest (
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows INTEGER,
    PRIMARY KEY (path, size, mtime_ns, inode)
)
"""


class HashCache:
    """Digests (and row counts) of files, remembered across kernels."""

    def __init__(self, database: Path | None = None) -> None:
        self.database = database or labtrack_home() / CACHE_FILE
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is None:
            try:
                self.database.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.database, timeout=5, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute(_SCHEMA)
                connection.commit()
                self._connection = connection
            except sqlite3.Error:
                return None
        return self._connection

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def digest(self, path: Path, deadline: float | None = None) -> FileDigest:
        """The file's digests, read from the cache when the file is unchanged (reading
        stops at ``deadline``, a ``time.monotonic()``)."""
        key = _key(path)
        with self._lock:
            row = self._lookup(key, "md5, sha256")
        if row is not None:
            return FileDigest(row[0], row[1], key[1])
        digest = hash_file_contents(path, deadline)
        if _key(path) == key:  # not changed while it was read
            with self._lock:
                self._store(key, digest)
        return digest

    def rows(self, path: Path, count) -> int | None:
        """The file's row count: cached, else ``count(path)`` (after ``digest``)."""
        key = _key(path)
        with self._lock:
            row = self._lookup(key, "rows")
        if row is not None and row[0] is not None:
            return int(row[0])
        rows = count(path)
        if rows is not None:
            with self._lock:
                self._write(
                    "UPDATE file_digest SET rows = ? WHERE path = ? AND size = ? "
                    "AND mtime_ns = ? AND inode = ?",
                    (rows, *key),
                )
        return rows

    def _lookup(self, key: tuple, columns: str):
        connection = self._connect()
        if connection is None:
            return None
        try:
            return connection.execute(
                f"SELECT {columns} FROM file_digest "
                "WHERE path = ? AND size = ? AND mtime_ns = ? AND inode = ?",
                key,
            ).fetchone()
        except sqlite3.Error:
            return None

    def _store(self, key: tuple, digest: FileDigest) -> None:
        # Older entries of the same path describe contents that are gone.
        self._write("DELETE FROM file_digest WHERE path = ?", (key[0],))
        self._write(
            "INSERT OR REPLACE INTO file_digest (path, size, mtime_ns, inode, md5, sha256) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (*key, digest.md5, digest.sha256),
        )

    def _write(self, statement: str, values: tuple) -> None:
        connection = self._connect()
        if connection is None:
            return
        try:
            with connection:
                connection.execute(statement, values)
        except sqlite3.Error:
            pass


def _key(path: Path) -> tuple[str, int, int, int]:
    absolute = os.path.abspath(path)
    stat = os.stat(absolute)
    return (absolute, stat.st_size, stat.st_mtime_ns, stat.st_ino)


_shared: dict[str, HashCache] = {}


def shared_cache() -> HashCache:
    """The cache under the current LABTRACK_HOME (one connection per process)."""
    database = labtrack_home() / CACHE_FILE
    cache = _shared.get(str(database))
    if cache is None:
        cache = _shared[str(database)] = HashCache(database)
    return cache
