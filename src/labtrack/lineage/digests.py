"""Content digests of files and folders, computed the way DVC computes them.

A file's MD5 is the MD5 of its bytes (DVC 3's ``md5``; DVC 2's ``md5-dos2unix`` text
conversion is not applied). A folder's MD5 is DVC's ``.dir`` digest, matched against
dvc-data's ``src/dvc_data/hashfile/tree.py`` (``Tree.as_list`` / ``Tree.as_bytes`` /
``Tree.digest``): the list of ``{"md5": <file md5>, "relpath": <posix path>}`` entries
sorted by relpath, serialized with ``json.dumps(entries, sort_keys=True)`` (default
separators ``", "`` and ``": "``, ASCII escapes) and UTF-8 encoded; the MD5 of those
bytes plus the suffix ``.dir``. Like DVC's default ignore rules, ``.git``, ``.hg`` and
``.dvc`` inside the folder are skipped.

Files are read once, in chunks, feeding MD5 and SHA-256 together.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

CHUNK_BYTES = 1 << 20
# DVC's default ignores (dvc/ignore.py): version-control and DVC folders.
IGNORED_NAMES = frozenset({".git", ".hg", ".dvc"})

# How many times file contents were actually read and hashed; the hash cache's
# tests count these, and it is cheap enough to keep in production.
hash_calls = 0


@dataclass(frozen=True)
class FileDigest:
    md5: str
    sha256: str
    size: int


class ReadLimitExceeded(Exception):
    """Hashing went past its deadline; the message says how far it got."""


def hash_file_contents(path: Path, deadline: float | None = None) -> FileDigest:
    """MD5 and SHA-256 of a regular file's bytes, read in chunks (no whole-file read).

    Opened without blocking and checked on the open descriptor: a named pipe, device or
    socket is refused (``/dev/zero`` would never end, a pipe would wait for a writer).
    ``deadline`` (``time.monotonic()``) bounds the reading.
    """
    global hash_calls
    hash_calls += 1
    md5 = hashlib.md5(usedforsecurity=False)
    sha256 = hashlib.sha256()
    size = 0
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a device, pipe or socket)", str(path))
        os.set_blocking(descriptor, True)
        while chunk := handle.read(CHUNK_BYTES):
            md5.update(chunk)
            sha256.update(chunk)
            size += len(chunk)
            if deadline is not None and time.monotonic() > deadline:
                raise ReadLimitExceeded(f"stopped after {size >> 20} MB of {path}")
    return FileDigest(md5.hexdigest(), sha256.hexdigest(), size)


def folder_files(folder: Path) -> list[tuple[str, Path]]:
    """(posix relpath, path) of every file under ``folder``, sorted by relpath."""
    found: list[tuple[str, Path]] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if name not in IGNORED_NAMES]
        for name in files:
            path = Path(root) / name
            found.append((path.relative_to(folder).as_posix(), path))
    found.sort(key=lambda item: item[0])
    return found


def dir_manifest_bytes(entries: list[tuple[str, str]], key: str = "md5") -> bytes:
    """The bytes DVC hashes for a folder: ``entries`` are (relpath, digest) pairs."""
    listing = sorted(
        ({key: digest, "relpath": rel} for rel, digest in entries),
        key=lambda entry: entry["relpath"],
    )
    return json.dumps(listing, sort_keys=True).encode("utf-8")


def dir_md5(entries: list[tuple[str, str]]) -> str:
    """DVC's ``.dir`` digest of a folder from its files' (relpath, md5) pairs."""
    manifest = dir_manifest_bytes(entries, "md5")
    return hashlib.md5(manifest, usedforsecurity=False).hexdigest() + ".dir"


def dir_sha256(entries: list[tuple[str, str]]) -> str:
    """labtrack's own SHA-256 of a folder: the same manifest with ``sha256`` entries
    (DVC has no SHA-256 folder digest to match)."""
    manifest = dir_manifest_bytes(entries, "sha256")
    return hashlib.sha256(manifest).hexdigest() + ".dir"
