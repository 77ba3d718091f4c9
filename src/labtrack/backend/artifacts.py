"""Listing and opening a run's artifacts, one directory level at a time, safely.

Local artifact stores (the embedded default) are read straight from disk with every
path resolved inside the run's root, so neither ``..`` nor a symlink can lead out.
Remote stores (S3, an MLflow server's proxy) go through MLflow's artifact repository.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import posixpath
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .artifact_paths import clean_artifact_path, resolve_inside
from .errors import InvalidQuery, NotFound
from .shapes import ArtifactEntry

# Shown inline in the browser; everything else is served as a download.
RASTER_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
DEFAULT_ARTIFACT_PAGE = 500
MAX_ARTIFACT_PAGE = 5000


@dataclass
class ArtifactFile:
    """A regular file, open and ready to stream; ``cleanup`` closes it and removes a
    temporary download, if any."""

    handle: BinaryIO = field(repr=False)
    name: str
    size: int
    content_type: str
    inline: bool
    temporary_dir: str | None = None

    def read(self, size: int) -> bytes:
        return self.handle.read(size)

    def cleanup(self) -> None:
        self.handle.close()
        if self.temporary_dir is not None:
            import shutil

            shutil.rmtree(self.temporary_dir, ignore_errors=True)


def local_root(artifact_uri: str) -> Path | None:
    """The folder behind a local artifact URI, or None for remote stores."""
    parts = urlsplit(artifact_uri)
    if parts.scheme in ("", "file"):
        return Path(url2pathname(parts.path))
    return None


def valid_artifact_page_size(raw: str | None) -> int:
    if raw in (None, ""):
        return DEFAULT_ARTIFACT_PAGE
    try:
        value = int(raw)
    except ValueError:
        raise InvalidQuery(f"page_size must be an integer, got {raw!r}") from None
    if not 1 <= value <= MAX_ARTIFACT_PAGE:
        raise InvalidQuery(f"page_size must be between 1 and {MAX_ARTIFACT_PAGE}, got {value}")
    return value


def list_artifacts(
    artifact_uri: str,
    raw_path: str | None,
    tracking_uri: str | None = None,
    page_size: int = DEFAULT_ARTIFACT_PAGE,
    page_token: str | None = None,
) -> tuple[list[ArtifactEntry], str | None]:
    """One page of one directory level, directories first, and the next page's token."""
    relative = clean_artifact_path(raw_path)
    after = _token_key(page_token) if page_token else None
    root = local_root(artifact_uri)
    if root is not None:
        return _list_local(root, relative, page_size, after)
    from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

    repository = get_artifact_repository(artifact_uri, tracking_uri=tracking_uri)
    entries = repository.list_artifacts(relative or None)
    if relative and not entries:
        # Remote stores list a missing folder as empty; tell "empty" from "absent".
        parent = posixpath.dirname(relative)
        siblings = repository.list_artifacts(parent or None)
        if not any(e.path == relative and e.is_dir for e in siblings):
            raise NotFound(f"no artifact folder {relative!r}")
    every = sorted(
        (ArtifactEntry(e.path, posix_name(e.path), e.is_dir, e.file_size) for e in entries),
        key=lambda e: _sort_key(e.is_dir, e.name),
    )
    return _page(every, lambda e: _sort_key(e.is_dir, e.name), page_size, after)


def _list_local(
    root: Path, relative: str, page_size: int, after: tuple | None
) -> tuple[list[ArtifactEntry], str | None]:
    if not root.exists():
        if relative:
            raise NotFound(f"no artifact {relative!r}")
        return [], None  # a run that logged nothing has no folder yet
    folder = resolve_inside(root, relative)
    if not folder.exists():
        raise NotFound(f"no artifact {relative!r}")
    if not folder.is_dir():
        raise InvalidQuery(f"{relative!r} is a file; download it with artifacts/file")
    # Sorted by what the directory itself says; only the page's entries are resolved.
    children = sorted(
        ((_sort_key(_is_dir(child), child.name), child.name) for child in os.scandir(folder)),
    )
    page, next_key = _page(children, lambda item: item[0], page_size, after)
    entries = []
    for _, name in page:
        child_relative = f"{relative}/{name}" if relative else name
        try:
            resolved = resolve_inside(root, child_relative)
            info = resolved.stat()
        except (InvalidQuery, OSError):
            continue  # a symlink out of the run's artifacts, or in a loop, is not shown
        is_dir = stat.S_ISDIR(info.st_mode)
        size = info.st_size if stat.S_ISREG(info.st_mode) else None
        entries.append(ArtifactEntry(child_relative, name, is_dir, size))
    return entries, next_key


def _is_dir(child: os.DirEntry) -> bool:
    try:
        return child.is_dir()
    except OSError:  # a symlink loop
        return False


def _sort_key(is_dir: bool, name: str) -> tuple:
    return (not is_dir, name.lower(), name)


def _page(items, key, page_size: int, after: tuple | None):
    start = 0
    if after is not None:
        start = next((i for i, item in enumerate(items) if key(item) > after), len(items))
    page = items[start : start + page_size]
    more = start + page_size < len(items)
    return page, (_token_text(key(page[-1])) if more and page else None)


def _token_text(sort_key: tuple) -> str:
    is_file, _, name = sort_key
    raw = f"{int(is_file)}/{name}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _token_key(token: str) -> tuple:
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii")).decode("utf-8")
        flag, name = text.split("/", 1)
        if flag not in ("0", "1"):
            raise ValueError(flag)
    except (ValueError, UnicodeError):
        raise InvalidQuery("malformed artifact page_token") from None
    return (flag == "1", name.lower(), name)


def open_artifact(
    artifact_uri: str, raw_path: str | None, tracking_uri: str | None = None
) -> ArtifactFile:
    relative = clean_artifact_path(raw_path)
    if not relative:
        raise InvalidQuery("path must name a file")
    root = local_root(artifact_uri)
    temporary_dir = None
    if root is not None:
        target = resolve_inside(root, relative) if root.exists() else root / relative
        if not target.exists():
            raise NotFound(f"no artifact {relative!r}")
    else:
        from mlflow.store.artifact.artifact_repository_registry import (
            get_artifact_repository,
        )

        temporary_dir = tempfile.mkdtemp(prefix="labtrack-artifact-")
        try:
            repository = get_artifact_repository(artifact_uri, tracking_uri=tracking_uri)
            downloaded = repository.download_artifacts(relative, temporary_dir)
        except Exception as error:
            import shutil

            shutil.rmtree(temporary_dir, ignore_errors=True)
            raise NotFound(f"no artifact {relative!r}: {error}") from error
        target = resolve_inside(Path(temporary_dir), os.path.relpath(downloaded, temporary_dir))
    if target.is_dir():
        raise InvalidQuery(f"{relative!r} is a directory; list it with artifacts?path=")
    handle, size = _open_regular(target, relative)
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return ArtifactFile(
        handle=handle,
        name=target.name,
        size=size,
        content_type=content_type,
        inline=content_type in RASTER_IMAGES,
        temporary_dir=temporary_dir,
    )


def _open_regular(target: Path, relative: str) -> tuple[BinaryIO, int]:
    """Open ``target`` only if it is a regular file: a named pipe would block the reader
    until some writer came, a device would never end. Non-blocking open, then the kind is
    checked on the open descriptor, so a swap between check and open changes nothing."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(target, flags)
    except OSError as error:
        raise InvalidQuery(f"cannot open artifact {relative!r}: {error.strerror}") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        raise InvalidQuery(
            f"artifact {relative!r} is not a regular file (a pipe, device or socket); "
            "labtrack serves only files"
        )
    if hasattr(os, "set_blocking"):
        os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb"), info.st_size


def posix_name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]
