"""The git state of the folder a notebook lives in, read with the git command line.

``untrusted=True`` is for a folder named by run data (``%track reproduce``): git runs
only in a repository the user owns, with hooks, fsmonitor, external diff, textconv and
the system configuration off, so a repository cannot make git run its commands.
"""

from __future__ import annotations

import os
import stat
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


# Settings that make git run programs; off whenever the repository is not trusted.
SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "diff.external=",
    "core.pager=cat",
    "core.sshCommand=false",
    "protocol.allow=never",
)


def read_git_state(directory: Path, untrusted: bool = False) -> GitState | None:
    """The repository state around ``directory``, or None outside a repository (or, when
    ``untrusted``, outside a repository the user owns)."""
    git = _runner(directory, untrusted)
    if git is None:
        return None
    commit = _text(git("rev-parse", "HEAD"))
    if commit is None:
        return None
    branch = _text(git("rev-parse", "--abbrev-ref", "HEAD"))
    status = _text(git("status", "--porcelain", "--untracked-files=no")) or ""
    dirty = bool(status.strip())
    patch, truncated = _patch(git) if dirty else (None, False)
    return GitState(
        commit=commit,
        branch=None if branch in (None, "HEAD") else branch,
        dirty=dirty,
        repo_url=_text(git("config", "--get", "remote.origin.url")),
        patch=patch,
        patch_truncated=truncated,
    )


def _patch(git) -> tuple[str | None, bool]:
    raw = git("diff", "--no-color", "--binary", "--no-ext-diff", "--no-textconv", "HEAD")
    if raw is None:
        return None, False
    if len(raw) > MAX_PATCH_BYTES:
        return raw[:MAX_PATCH_BYTES].decode("utf-8", "replace"), True
    return raw.decode("utf-8", "replace"), False


def _text(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode("utf-8", "replace").strip()


def _runner(directory: Path, untrusted: bool):
    """A ``git(*args) -> bytes | None`` for the repository around ``directory``."""
    if not directory.is_dir():
        return None
    if not untrusted:
        return lambda *args: _git_bytes(directory, list(args))
    found = owned_repository(directory)
    if found is None:
        return None
    top, git_dir = found
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GIT_") and key not in ("PAGER", "EDITOR", "VISUAL")
    }
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_DIR=str(git_dir),
        GIT_WORK_TREE=str(top),
        GIT_CEILING_DIRECTORIES=str(top.parent),
    )
    options = [part for setting in SAFE_CONFIG for part in ("-c", setting)]
    return lambda *args: _git_bytes(top, ["--no-pager", *options, *args], env)


def owned_repository(directory: Path) -> tuple[Path, Path] | None:
    """(work tree, ``.git`` folder) of the repository around ``directory`` if the current
    user owns both, else None. A ``.git`` file (a linked worktree or submodule, which
    points elsewhere) is not followed."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = directory.resolve()
    for candidate in (folder, *folder.parents):
        git_dir = candidate / ".git"
        try:
            info = os.lstat(git_dir)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode):
            return None
        if uid is not None and (info.st_uid != uid or os.stat(candidate).st_uid != uid):
            return None
        return candidate, git_dir
    return None


def _git_bytes(directory: Path, args: list[str], env: dict | None = None) -> bytes | None:
    try:
        completed = subprocess.run(
            ["git", *args],
            cwd=directory,
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout


def dirty_files(directory: Path, untrusted: bool = False) -> list[str] | None:
    """Tracked files with uncommitted changes (paths relative to the repository root),
    or None outside a repository."""
    git = _runner(directory, untrusted)
    if git is None or git("rev-parse", "HEAD") is None:
        return None
    raw = git("diff", "--name-only", "--no-ext-diff", "--no-textconv", "HEAD")
    if raw is None:
        return None
    return sorted(line for line in raw.decode("utf-8", "replace").splitlines() if line)
