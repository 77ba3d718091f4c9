"""Given a notebook cell, when its context is captured, then the run says where it came from."""

import subprocess

import pytest

from labtrack import tags as T
from labtrack.runtime.gitinfo import read_git_state
from labtrack.tracking.context import CellOrigin, capture_context, notebook_path_from
from labtrack.tracking.job import job_environ, job_parameters, job_tags


def _git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "config", "user.email", "t@example.org")
    _git(folder, "config", "user.name", "Test")
    _git(folder, "remote", "add", "origin", "https://example.org/team/project.git")
    (folder / "train.ipynb").write_text("{}")
    (folder / "data.csv").write_text("a,b\n1,2\n")
    _git(folder, "add", ".")
    _git(folder, "commit", "-q", "-m", "first")
    return folder


def test_git_state_of_a_clean_repository(repo):
    state = read_git_state(repo)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    assert state is not None
    assert (state.commit, state.branch, state.dirty, state.patch) == (head, "main", False, None)
    assert state.repo_url == "https://example.org/team/project.git"


def test_a_dirty_repository_carries_its_diff(repo):
    (repo / "data.csv").write_text("a,b\n1,3\n")
    state = read_git_state(repo)
    assert state is not None and state.dirty
    assert "-1,2" in state.patch and "+1,3" in state.patch


def test_outside_a_repository_there_is_no_git_state(tmp_path):
    assert read_git_state(tmp_path) is None


def test_context_of_a_notebook_cell_in_a_repository(repo):
    (repo / "data.csv").write_text("changed\n")
    origin = CellOrigin(
        source="x = 1\n",
        magic_line="%%track --name a",
        notebook_path=str(repo / "train.ipynb"),
        cell_id="cell-42",
        execution_count=7,
    )
    context = capture_context(origin)
    assert context.tags[T.SOURCE_NAME] == str(repo / "train.ipynb")
    assert context.tags[T.SOURCE_TYPE] == "NOTEBOOK"
    assert context.tags[T.CELL_ID] == "cell-42"
    assert context.tags[T.EXECUTION_COUNT] == "7"
    assert context.tags[T.MAGIC_LINE] == "%%track --name a"
    assert context.tags[T.GIT_DIRTY] == "true"
    assert context.tags[T.GIT_BRANCH] == "main"
    assert len(context.tags[T.GIT_COMMIT]) == 40
    assert int(context.tags["labtrack.hardware.cpu_count"]) >= 1
    assert float(context.tags["labtrack.hardware.memory_gb"]) > 0
    assert context.artifacts[T.CELL_SOURCE_ARTIFACT] == "x = 1\n"
    assert "+changed" in context.artifacts[T.GIT_PATCH_ARTIFACT]
    assert "mlflow==" in context.artifacts[T.REQUIREMENTS_ARTIFACT]


def test_context_outside_a_repository_omits_git_cleanly(tmp_path):
    context = capture_context(CellOrigin(source="pass", working_directory=str(tmp_path)))
    assert not [key for key in context.tags if "git" in key]
    assert T.GIT_PATCH_ARTIFACT not in context.artifacts
    assert T.SOURCE_NAME not in context.tags


def test_a_relative_session_name_is_resolved_against_the_kernel_folder(tmp_path):
    (tmp_path / "nb.ipynb").write_text("{}")
    origin = CellOrigin(source="", notebook_path="sub/nb.ipynb", working_directory=str(tmp_path))
    assert capture_context(origin).tags[T.SOURCE_NAME] == str(tmp_path / "nb.ipynb")


def test_notebook_path_comes_from_what_front_ends_leave_behind():
    assert notebook_path_from({"__session__": "/w/a.ipynb"}, {}) == "/w/a.ipynb"
    assert notebook_path_from({"__vsc_ipynb_file__": "/w/b.ipynb"}, {}) == "/w/b.ipynb"
    assert notebook_path_from({}, {"JPY_SESSION_NAME": "/w/c.ipynb"}) == "/w/c.ipynb"
    assert notebook_path_from({"__session__": ""}, {}) is None


def test_a_labtrack_run_job_names_its_notebook_before_an_inherited_session_name():
    environ = {"LABTRACK_NOTEBOOK_PATH": "/jobs/train.ipynb", "JPY_SESSION_NAME": "/lab/x.ipynb"}
    assert notebook_path_from({"__session__": "/lab/x.ipynb"}, environ) == "/jobs/train.ipynb"


def test_a_job_tags_its_runs_with_its_parameters_and_ignores_malformed_variables():
    environ = job_environ("/jobs/train.ipynb", {"lr": 0.5, "name": "gbm"}, "f" * 32)
    assert job_parameters(environ) == {"lr": 0.5, "name": "gbm"}
    assert job_tags(environ) == {
        T.RUN_JOB: "f" * 32,
        T.RUN_PARAMETERS: '{"lr": 0.5, "name": "gbm"}',
    }
    assert job_tags({**environ, "LABTRACK_RUN_JOB": "'; drop"}) == {}
    assert job_parameters({"LABTRACK_RUN_PARAMETERS": "[1, 2]"}) == {}
    assert job_parameters({"LABTRACK_RUN_PARAMETERS": "{not json"}) == {}
    assert job_tags({}) == {} and job_parameters({}) == {}
