"""``%track gc``: old runs go for good, the registry's runs stay, in a real IPython shell."""

from __future__ import annotations

import builtins
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import mlflow
import pytest
from IPython.core.error import UsageError
from mlflow.exceptions import MlflowException

DAY_MS = 24 * 3600 * 1000


@dataclass
class OldStore:
    experiment: str
    old: list[str]  # old, unregistered: what gc removes (the last one already in the Trash)
    kept: list[str]  # old too, but a registered version depends on them (source and parent)
    recent: str
    elsewhere: str  # old, in another experiment
    artifact_dir: Path


@pytest.fixture
def old_store(shell, tmp_path) -> OldStore:
    """An experiment with old and recent runs; one old run is a registered model's source
    (its parent is old too), one old run is already in the Trash."""
    client = mlflow.MlflowClient()
    name = f"gc-{uuid.uuid4().hex[:8]}"
    experiment = client.create_experiment(name)
    old_time = int(time.time() * 1000) - 200 * DAY_MS

    def run(run_name, experiment_id=experiment, start=old_time, tags=None):
        created = client.create_run(experiment_id, run_name=run_name, start_time=start, tags=tags)
        client.set_terminated(created.info.run_id)
        return created.info.run_id

    old = [run("old-0"), run("old-1"), run("old-trashed")]
    (tmp_path / "weights.bin").write_bytes(b"\0" * 3000)
    client.log_artifacts(old[0], str(tmp_path))
    client.delete_run(old[2])
    parent = run("old-sweep")
    source = run("old-registered", tags={"mlflow.parentRunId": parent})
    model = f"gc-model-{uuid.uuid4().hex[:8]}"
    client.create_registered_model(model)
    client.create_model_version(model, f"runs:/{source}/model", run_id=source)
    recent = run("recent", start=int(time.time() * 1000) - DAY_MS)
    elsewhere = run("old-elsewhere", client.create_experiment(f"{name}-other"))
    artifact_dir = Path(mlflow.get_run(old[0]).info.artifact_uri.removeprefix("file://"))
    assert (artifact_dir / "weights.bin").exists()
    return OldStore(name, old, [source, parent], recent, elsewhere, artifact_dir)


def gc(shell, capsys, line: str) -> str:
    capsys.readouterr()
    shell.run_line_magic("track", f"gc {line}")
    return capsys.readouterr().out


def stage(run_id: str) -> str | None:
    try:
        return mlflow.MlflowClient().get_run(run_id).info.lifecycle_stage
    except MlflowException:
        return None  # purged


def listed_runs(out: str) -> set[str]:
    return {line.split()[0] for line in out.splitlines() if line.startswith("  ")}


def test_dry_run_lists_exactly_the_old_unregistered_runs(shell, capsys, old_store):
    out = gc(shell, capsys, f"--older-than 90d --experiment {old_store.experiment} --dry-run")
    assert listed_runs(out) == set(old_store.old)
    assert "3 runs of experiment" in out and "2.9 KB of artifacts" in out
    assert "in the Trash" in out  # the one already deleted is purged too
    for run_id in old_store.kept:
        assert f"kept {run_id}" in out
    assert "registered as gc-model-" in out
    assert "dry run: nothing was deleted" in out
    # Nothing changed
    assert [stage(r) for r in old_store.old] == ["active", "active", "deleted"]
    assert stage(old_store.elsewhere) == stage(old_store.recent) == "active"


def test_the_real_run_asks_then_removes_them_and_keeps_the_registered_source(
    shell, capsys, old_store, monkeypatch
):
    line = f"--older-than 90d --experiment {old_store.experiment}"
    # When the question is answered "n", nothing goes
    monkeypatch.setattr(builtins, "input", lambda prompt: "n")
    assert "nothing was deleted" in gc(shell, capsys, line)
    assert stage(old_store.old[0]) == "active"

    # When it is answered "y", the old unregistered runs are purged with their artifacts
    questions = []
    monkeypatch.setattr(builtins, "input", lambda prompt: questions.append(prompt) or "y")
    out = gc(shell, capsys, line)
    assert questions == ["Delete these 3 runs and their artifacts for good? [y/N] "]
    assert "deleted 3 runs for good (2.9 KB of artifacts freed)" in out
    assert [stage(r) for r in old_store.old] == [None, None, None]
    assert not old_store.artifact_dir.exists()
    # And the registered version's source run, its parent, recent runs and other
    # experiments are untouched
    assert [stage(r) for r in old_store.kept] == ["active", "active"]
    assert stage(old_store.recent) == stage(old_store.elsewhere) == "active"

    # A second pass finds nothing more to do
    again = gc(shell, capsys, f"{line} --yes")
    assert "0 runs of experiment" in again and listed_runs(again) == set()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("gc", "the following arguments are required: --older-than"),
        ("gc --older-than 90x", "cannot read the age '90x'"),
        ("gc --older-than 0d", "more than zero"),
        ("gc --older-than 90d --experiment no-such-experiment-here", "no experiment named"),
        ("gc --older-than 90d --bogus", "unrecognized arguments"),
    ],
)
def test_bad_input_is_one_clear_usage_error(shell, line, expected):
    with pytest.raises(UsageError) as raised:
        shell.run_line_magic("track", line)
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value)
