"""What a tracked run records about where it came from: cell, notebook, git, environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import tags as T
from ..runtime.gitinfo import read_git_state
from ..runtime.machine import hardware_tags, python_version, requirements_text
from .job import job_notebook


@dataclass(frozen=True)
class CellOrigin:
    """The notebook cell a run comes from, as far as the kernel can tell."""

    source: str
    magic_line: str = ""
    notebook_path: str | None = None
    cell_id: str | None = None
    execution_count: int | None = None
    working_directory: str | None = None


@dataclass
class RunContext:
    """What to record on each run a tracked cell opens: tags, text artifacts, and the
    datasets named by ``--dataset`` (``lineage.datasets.DatasetRecord``s, digested
    once before the cell's code runs)."""

    tags: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=dict)
    datasets: list = field(default_factory=list)
    # The cell as the user sees it (magic line and body), to find it in the saved notebook.
    cell_source: str = ""


def notebook_path_from(user_ns: Mapping[str, object], environ: Mapping[str, str]) -> str | None:
    """The notebook file a kernel serves, from what Jupyter front ends leave behind.

    ``labtrack run`` names it in ``LABTRACK_NOTEBOOK_PATH`` (first: a job started from a
    notebook's kernel inherits that notebook's session name too); ipykernel copies the
    ``JPY_SESSION_NAME`` that jupyter_server sets into ``__session__``; VS Code sets
    ``__vsc_ipynb_file__``.
    """
    for candidate in (
        job_notebook(environ),
        user_ns.get("__session__"),
        user_ns.get("__vsc_ipynb_file__"),
        environ.get("JPY_SESSION_NAME"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return None


def capture_context(origin: CellOrigin, input_history: str | None = None) -> RunContext:
    context = RunContext()
    context.artifacts[T.CELL_SOURCE_ARTIFACT] = origin.source
    context.cell_source = (
        f"{origin.magic_line}\n{origin.source}" if origin.magic_line else origin.source
    )
    if input_history:
        context.artifacts[T.HISTORY_ARTIFACT] = input_history
    if origin.magic_line:
        context.tags[T.MAGIC_LINE] = origin.magic_line[: T.MAX_TAG_VALUE]
    if origin.cell_id:
        context.tags[T.CELL_ID] = origin.cell_id
    if origin.execution_count is not None:
        context.tags[T.EXECUTION_COUNT] = str(origin.execution_count)

    notebook = _absolute_notebook(origin)
    if notebook is not None:
        context.tags[T.SOURCE_NAME] = str(notebook)
        context.tags[T.SOURCE_TYPE] = T.SOURCE_TYPE_NOTEBOOK
        context.tags[T.NOTEBOOK_PATH] = str(notebook)

    git_folder = notebook.parent if notebook is not None else _working_directory(origin)
    if git_folder is not None:
        _add_git(context, git_folder)

    context.tags[T.PYTHON_VERSION] = python_version()
    context.tags.update(hardware_tags())
    context.artifacts[T.REQUIREMENTS_ARTIFACT] = requirements_text()
    return context


def _absolute_notebook(origin: CellOrigin) -> Path | None:
    if not origin.notebook_path:
        return None
    path = Path(origin.notebook_path).expanduser()
    if not path.is_absolute() and origin.working_directory:
        # jupyter_server hands over a path relative to its root when it knows no
        # better; the kernel starts in the notebook's folder.
        candidate = Path(origin.working_directory) / path.name
        path = candidate if candidate.exists() else Path(origin.working_directory) / path
    return path


def _working_directory(origin: CellOrigin) -> Path | None:
    return Path(origin.working_directory) if origin.working_directory else None


def _add_git(context: RunContext, folder: Path) -> None:
    state = read_git_state(folder)
    if state is None:
        return
    context.tags[T.GIT_COMMIT] = state.commit
    context.tags[T.GIT_DIRTY] = "true" if state.dirty else "false"
    if state.branch:
        context.tags[T.GIT_BRANCH] = state.branch
    if state.repo_url:
        context.tags[T.GIT_REPO_URL] = state.repo_url
    if state.patch:
        context.artifacts[T.GIT_PATCH_ARTIFACT] = state.patch
