"""What a run was made from — git commit, uncommitted files, dataset digests, packages —
read from the run's record, or observed now for the same notebook and data."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .. import tags as T
from ..runtime.gitinfo import dirty_files, read_git_state
from .recording import recorded_datasets
from .rehash import NotChecked, bounded_digest

MISSING = "missing"
_PATCHED_FILE = re.compile(r"^diff --git a/(.+?) b/", re.MULTILINE)


@dataclass(frozen=True)
class DatasetState:
    digest: str  # or MISSING / an error for a dataset that cannot be read now
    path: str | None = None


@dataclass
class RunState:
    label: str
    git_commit: str | None = None
    dirty: list[str] | None = None  # None: unknown (no git, or not recorded)
    datasets: dict[str, DatasetState] = field(default_factory=dict)
    packages: dict[str, str] | None = None  # name (lower case) -> version


def recorded_state(run) -> RunState:
    """The state a run recorded when it started."""
    run_id = run.info.run_id
    tags = run.data.tags
    state = RunState(label=f"run {run_id[:8]}", git_commit=tags.get(T.GIT_COMMIT))
    if T.GIT_DIRTY in tags:
        if tags[T.GIT_DIRTY] == "true":
            patch = artifact_text(run, T.GIT_PATCH_ARTIFACT) or ""
            state.dirty = sorted(set(_PATCHED_FILE.findall(patch)))
        else:
            state.dirty = []
    for name, digest, path in recorded_datasets(run):
        state.datasets[name] = DatasetState(digest, path)
    requirements = artifact_text(run, T.REQUIREMENTS_ARTIFACT)
    if requirements is not None:
        state.packages = parse_requirements(requirements)
    return state


def current_state(
    recorded: RunState, run, requirements_now: str, working_directory: Path
) -> RunState:
    """The same things as they are now: the run's notebook folder's git state (else the
    working directory's), the recorded datasets rehashed (through the hash cache),
    and the packages installed now."""
    state = RunState(label="now")
    # The folder is named by run data: git runs only in a repository the user owns, with
    # nothing it could be configured to run (runtime.gitinfo, untrusted=True).
    folder = _notebook_folder(run.data.tags) or working_directory
    git = read_git_state(folder, untrusted=True)
    if git is not None:
        state.git_commit = git.commit
        state.dirty = dirty_files(folder, untrusted=True)
    for name, recorded_dataset in recorded.datasets.items():
        state.datasets[name] = _dataset_now(recorded_dataset)
    state.packages = parse_requirements(requirements_now)
    return state


def parse_requirements(text: str) -> dict[str, str]:
    """``name==version`` lines as {name: version}; comments and other lines skipped."""
    pins: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


def _dataset_now(recorded: DatasetState) -> DatasetState:
    if recorded.path is None:
        return DatasetState("not a local file", None)
    if not Path(recorded.path).exists():
        return DatasetState(MISSING, recorded.path)
    try:
        return DatasetState(bounded_digest(recorded.path), recorded.path)
    except NotChecked as why:
        return DatasetState(str(why), recorded.path)


def _notebook_folder(tags: dict[str, str]) -> Path | None:
    notebook = tags.get(T.NOTEBOOK_PATH)
    if notebook and Path(notebook).parent.is_dir():
        return Path(notebook).parent
    return None


PROGRESS_BAR_ENV = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"


def artifact_text(run, artifact_file: str) -> str | None:
    """A text artifact of the run, or None when it was not recorded (an older run, or one
    not started by labtrack). MLflow's download progress bar would land in the cell's
    output as noise, so it is off while reading."""
    import mlflow

    uri = f"{run.info.artifact_uri.rstrip('/')}/{artifact_file}"
    if not _plain_local_file(uri):
        return None
    previous = os.environ.get(PROGRESS_BAR_ENV)
    os.environ[PROGRESS_BAR_ENV] = "false"
    from mlflow.exceptions import MlflowException

    try:
        return mlflow.artifacts.load_text(uri)
    except (MlflowException, OSError):  # not recorded: the artifact does not exist
        return None
    finally:
        if previous is None:
            os.environ.pop(PROGRESS_BAR_ENV, None)
        else:
            os.environ[PROGRESS_BAR_ENV] = previous


MAX_ARTIFACT_TEXT_BYTES = 50 * 1024 * 1024


def _plain_local_file(uri: str) -> bool:
    """A local artifact is read only if it is a regular file of bounded size (a named pipe
    planted in an artifact folder would block the kernel). Remote ones go through MLflow."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    parts = urlsplit(uri)
    if parts.scheme not in ("", "file"):
        return True
    try:
        info = os.stat(url2pathname(parts.path))
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size <= MAX_ARTIFACT_TEXT_BYTES
