"""Artifact paths from clients are never trusted: one validator, used by every route.

A path is relative to the run's artifact root, uses ``/`` separators, and names no
parent directory however it is encoded. For local artifact stores the resolved file
must also stay inside the root, so a symlink cannot lead out of it.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote

from .errors import InvalidQuery

MAX_PATH_LENGTH = 1024
_FORBIDDEN = ("\x00", "\\", "#", "?")


def clean_artifact_path(raw: str | None) -> str:
    """The normalised relative path ('' for the root), or InvalidQuery."""
    if raw is None or raw in ("", "/", "."):
        return ""
    if len(raw) > MAX_PATH_LENGTH:
        raise InvalidQuery("artifact path is too long")
    decoded = raw
    # Decode until stable: %252e%252e → %2e%2e → .. must all be seen for what they are.
    for _ in range(3):
        once = unquote(decoded)
        if once == decoded:
            break
        decoded = once
    for candidate in (raw, decoded):
        _refuse_unsafe(candidate)
        if posixpath.normpath(candidate).startswith(("/", "../")) or candidate == "..":
            raise InvalidQuery(f"artifact path {raw!r} leaves the run's artifacts")
    # The path names the file as given (the route's query argument is decoded once
    # already): MLflow's own names hold '%' (``images/k%step%12%timestamp%17…``), which a
    # second decoding would turn into other characters. The decoded forms are only
    # checked, so an encoded '..' is refused all the same.
    normalised = posixpath.normpath(raw)
    return "" if normalised == "." else normalised


def _refuse_unsafe(path: str) -> None:
    if any(character in path for character in _FORBIDDEN):
        raise InvalidQuery("artifact path contains a forbidden character")
    if "://" in path or path.lower().startswith("file:"):
        raise InvalidQuery("artifact path must be relative, not a URI")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise InvalidQuery("artifact path must be relative")
    if ".." in path.split("/"):
        raise InvalidQuery("artifact path must not contain '..'")


def resolve_inside(root: Path, relative: str) -> Path:
    """``root/relative`` with symlinks resolved, refused if it lands outside ``root``."""
    try:
        real_root = root.resolve()
        target = (real_root / relative).resolve()
    except (RuntimeError, OSError):  # Python 3.11 reports a symlink loop as RuntimeError
        raise InvalidQuery("artifact path runs into a symlink loop") from None
    if target != real_root and real_root not in target.parents:
        raise InvalidQuery("artifact path leads outside the run's artifacts")
    return target
