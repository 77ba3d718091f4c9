"""How many bytes a run's artifacts take: summed on disk for local stores, listed through
MLflow's artifact repository for remote ones (None when it cannot be listed)."""

from __future__ import annotations

import os
from pathlib import Path

from ..backend.artifacts import local_root

# Remote listings stop here: a plan should not take minutes to say "about this much".
MAX_REMOTE_ENTRIES = 10_000


def artifact_bytes(artifact_uri: str) -> int | None:
    root = local_root(artifact_uri)
    if root is not None:
        return _local_bytes(root)
    try:
        return _remote_bytes(artifact_uri)
    except Exception:  # an unreachable or unlistable store: the size is unknown
        return None


def _local_bytes(root: Path) -> int:
    total = 0
    for folder, _, files in os.walk(root):  # symlinks are not followed
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                total += os.path.getsize(path)
    return total


def _remote_bytes(artifact_uri: str) -> int | None:
    from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

    repository = get_artifact_repository(artifact_uri)
    total, seen, folders = 0, 0, [None]
    while folders:
        for entry in repository.list_artifacts(folders.pop()):
            seen += 1
            if seen > MAX_REMOTE_ENTRIES:
                return None
            if entry.is_dir:
                folders.append(entry.path)
            else:
                total += entry.file_size or 0
    return total
