"""The git state of the folder a notebook lives in, read with the git command line."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT_SECONDS = 5
# A diff bigger than this is almost always data checked in by mistake; keeping it
# would make every run carry megabytes of it.
MAX_PATCH_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class GitState:
    commit: str
    branch: str | None
    dirty: bool
    repo_url: str | None
    patch: str | None
    patch_truncated: bool = False


def read_git_state(directory: Path) -> GitState | None:
    """The repository state around ``directory``, or None outside a repository."""
    if not directory.is_dir():
        return None
    commit = _git(directory, "rev-parse", "HEAD")
    if commit is None:
        return None
    branch = _git(directory, "rev-parse", "--abbrev-ref", "HEAD")
    status = _git(directory, "status", "--porcelain", "--untracked-files=no") or ""
    dirty = bool(status.strip())
    patch, truncated = _patch(directory) if dirty else (None, False)
    return GitState(
        commit=commit,
        branch=None if branch in (None, "HEAD") else branch,
        dirty=dirty,
        repo_url=_git(directory, "config", "--get", "remote.origin.url"),
        patch=patch,
        patch_truncated=truncated,
    )


def _patch(directory: Path) -> tuple[str | None, bool]:
    raw = _git_bytes(directory, "diff", "--no-color", "--binary", "HEAD")
    if raw is None:
        return None, False
    if len(raw) > MAX_PATCH_BYTES:
        return raw[:MAX_PATCH_BYTES].decode("utf-8", "replace"), True
    return raw.decode("utf-8", "replace"), False


def _git(directory: Path, *args: str) -> str | None:
    raw = _git_bytes(directory, *args)
    return None if raw is None else raw.decode("utf-8", "replace").strip()


def _git_bytes(directory: Path, *args: str) -> bytes | None:
    try:
        completed = subprocess.run(
            ["git", *args],
            cwd=directory,
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout


def dirty_files(directory: Path) -> list[str] | None:
    """Tracked files with uncommitted changes (paths relative to the repository root),
    or None outside a repository."""
    if not directory.is_dir() or _git(directory, "rev-parse", "HEAD") is None:
        return None
    raw = _git_bytes(directory, "diff", "--name-only", "HEAD")
    if raw is None:
        return None
    return sorted(line for line in raw.decode("utf-8", "replace").splitlines() if line)
