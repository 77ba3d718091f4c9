"""Listing and opening a run's artifacts, one directory level at a time, safely.

Local artifact stores (the embedded default) are read straight from disk with every
path resolved inside the run's root, so neither ``..`` nor a symlink can lead out.
Remote stores (S3, an MLflow server's proxy) go through MLflow's artifact repository.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .artifact_paths import clean_artifact_path, resolve_inside
from .errors import InvalidQuery, NotFound
from .shapes import ArtifactEntry

# Shown inline in the browser; everything else is served as a download.
RASTER_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}


@dataclass(frozen=True)
class ArtifactFile:
    """A file ready to stream; ``cleanup`` removes a temporary download, if any."""

    local_path: Path
    name: str
    size: int
    content_type: str
    inline: bool
    temporary_dir: str | None = None

    def cleanup(self) -> None:
        if self.temporary_dir is not None:
            import shutil

            shutil.rmtree(self.temporary_dir, ignore_errors=True)


def local_root(artifact_uri: str) -> Path | None:
    """The folder behind a local artifact URI, or None for remote stores."""
    parts = urlsplit(artifact_uri)
    if parts.scheme in ("", "file"):
        return Path(url2pathname(parts.path))
    return None


def list_artifacts(
    artifact_uri: str, raw_path: str | None, tracking_uri: str | None = None
) -> list[ArtifactEntry]:
    relative = clean_artifact_path(raw_path)
    root = local_root(artifact_uri)
    if root is not None:
        return _list_local(root, relative)
    from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

    repository = get_artifact_repository(artifact_uri, tracking_uri=tracking_uri)
    entries = repository.list_artifacts(relative or None)
    if relative and not entries:
        # Remote stores list a missing folder as empty; tell "empty" from "absent".
        parent = posixpath.dirname(relative)
        siblings = repository.list_artifacts(parent or None)
        if not any(e.path == relative and e.is_dir for e in siblings):
            raise NotFound(f"no artifact folder {relative!r}")
    return sorted(
        (ArtifactEntry(e.path, posix_name(e.path), e.is_dir, e.file_size) for e in entries),
        key=_directories_first,
    )


def _list_local(root: Path, relative: str) -> list[ArtifactEntry]:
    if not root.exists():
        if relative:
            raise NotFound(f"no artifact {relative!r}")
        return []  # a run that logged nothing has no folder yet
    folder = resolve_inside(root, relative)
    if not folder.exists():
        raise NotFound(f"no artifact {relative!r}")
    if not folder.is_dir():
        raise InvalidQuery(f"{relative!r} is a file; download it with artifacts/file")
    entries = []
    for child in os.scandir(folder):
        child_relative = f"{relative}/{child.name}" if relative else child.name
        try:
            resolved = resolve_inside(root, child_relative)
        except InvalidQuery:
            continue  # a symlink out of the run's artifacts is not shown at all
        is_dir = resolved.is_dir()
        size = None if is_dir else resolved.stat().st_size
        entries.append(ArtifactEntry(child_relative, child.name, is_dir, size))
    return sorted(entries, key=_directories_first)


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
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return ArtifactFile(
        local_path=target,
        name=target.name,
        size=target.stat().st_size,
        content_type=content_type,
        inline=content_type in RASTER_IMAGES,
        temporary_dir=temporary_dir,
    )


def posix_name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _directories_first(entry: ArtifactEntry) -> tuple[bool, str]:
    return (not entry.is_dir, entry.name.lower())
