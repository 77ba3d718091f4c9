"""%%track --dataset, labtrack.log_dataset, labtrack.seed and the notebook snapshot,
in a real IPython shell against a real embedded MLflow store."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

import mlflow
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lineage"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    return folder


def _inputs(client, run_id):
    return {entry.dataset.name: entry for entry in client.get_run(run_id).inputs.dataset_inputs}


def test_track_dataset_records_dvc_digests_as_dataset_inputs(run_cell, client, data):
    cell = run_cell(
        f"%%track --name with-data --dataset {data / 'data.csv'} -d '{data / 'images'}'\nx = 1\n"
    )
    assert cell.result.success, cell.out + cell.err
    inputs = _inputs(client, cell.run_id)
    csv = inputs["data.csv"].dataset
    assert csv.digest == hashlib.md5((data / "data.csv").read_bytes()).hexdigest()
    profile = json.loads(csv.profile)
    assert profile["rows"] == 3 and profile["size"] == 27
    assert profile["dvc_md5"] == csv.digest and profile["dvc_remote"] == "team-s3"
    assert json.loads(csv.source)["uri"].startswith("file:///")
    # MLflow shares a dataset among runs logging the same name and digest (the source
    # may name another run's copy): the path this run read is on its own input.
    input_tags = {tag.key: tag.value for tag in inputs["data.csv"].tags}
    assert input_tags["labtrack.path"] == str(data / "data.csv")
    assert input_tags["mlflow.data.context"] == "training"
    assert inputs["images"].dataset.digest == "1933c833dc05b2a3efce8d89ceab5c5c.dir"
    tags = client.get_run(cell.run_id).data.tags
    assert tags["labtrack.dataset.data.csv.md5"] == csv.digest
    found = client.search_runs(
        [client.get_run(cell.run_id).info.experiment_id],
        filter_string=f"tags.`labtrack.dataset.data.csv.md5` = '{csv.digest}'",
    )
    assert cell.run_id in [run.info.run_id for run in found]


def test_a_missing_dataset_path_starts_no_run(run_cell, client, tmp_path):
    cell = run_cell(f"%%track --dataset {tmp_path / 'missing.csv'}\nx = 1\n")
    assert not cell.result.success
    assert "--dataset: no such file or folder" in cell.out + cell.err
    assert "labtrack: run " not in cell.out


def test_log_dataset_records_a_path_and_a_dataframe(run_cell, client, data):
    cell = run_cell(
        "%%track --name log-dataset\n"
        "import labtrack, pandas as pd\n"
        f"record = labtrack.log_dataset({str(data / 'data.csv')!r}, name='train')\n"
        "digest = labtrack.log_dataset(pd.DataFrame({'a': [1, 2]}), name='frame')\n"
    )
    assert cell.result.success, cell.out + cell.err
    inputs = _inputs(client, cell.run_id)
    assert inputs["train"].dataset.digest == "480cd1679dbb1729865e6b8f617b62cc"
    assert json.loads(inputs["frame"].dataset.profile)["num_rows"] == 2
    assert client.get_run(cell.run_id).data.tags["labtrack.dataset.frame.rows"] == "2"


def test_log_dataset_outside_a_run_says_what_is_missing(shell):
    import labtrack

    with pytest.raises(RuntimeError, match="needs an active run"):
        labtrack.log_dataset(FIXTURES / "data.csv")


@pytest.fixture
def forget_seed():
    from labtrack.lineage import seeds

    yield
    seeds._last_seed.clear()  # later tests' runs must not carry this test's seed


def test_seed_seeds_random_and_numpy_and_tags_the_run(run_cell, client, forget_seed):
    cell = run_cell(
        "%%track --name seeded\n"
        "import labtrack, random, numpy as np, sys\n"
        "seeded = labtrack.seed(7)\n"
        "draws = (random.random(), float(np.random.rand()))\n"
    )
    assert cell.result.success, cell.out + cell.err
    assert client.get_run(cell.run_id).data.tags["labtrack.seed"] == "7"
    random.seed(7)
    import numpy as np

    np.random.seed(7)
    from IPython.core.interactiveshell import InteractiveShell

    user_ns = InteractiveShell.instance().user_ns
    assert user_ns["draws"] == (random.random(), float(np.random.rand()))
    assert user_ns["seeded"][:2] == ["random", "numpy"]
    # The seed set in this kernel is carried by the runs tracked after it.
    later = run_cell("%%track --name after-seed\nx = 2\n")
    assert client.get_run(later.run_id).data.tags["labtrack.seed"] == "7"


def test_the_saved_notebook_is_attached_with_cell_id_and_count(run_cell, client, shell, tmp_path):
    notebook = tmp_path / "train.ipynb"
    notebook.write_text(
        json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    shell.user_ns["__session__"] = str(notebook)
    try:
        cell = run_cell("%%track --name snapshot\nx = 3\n")
    finally:
        shell.user_ns.pop("__session__")
    assert cell.result.success, cell.out + cell.err
    stored = mlflow.artifacts.load_text(f"runs:/{cell.run_id}/labtrack/notebook.ipynb")
    assert stored == notebook.read_text()
    tags = client.get_run(cell.run_id).data.tags
    assert tags["labtrack.notebook.path"] == str(notebook)
    assert int(tags["labtrack.cell.execution_count"]) >= 1


def test_without_a_saved_notebook_nothing_is_attached(run_cell, client):
    cell = run_cell("%%track --name no-notebook\nx = 4\n")
    names = [item.path for item in client.list_artifacts(cell.run_id, "labtrack")]
    assert "labtrack/notebook.ipynb" not in names


def test_an_interrupt_while_hashing_a_dataset_ends_the_run_killed(
    run_cell, client, data, monkeypatch
):
    # Ctrl-C during a long hash cannot be timed for real: the hash raises it instead.
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("labtrack.kernel.lineage_cell.describe_path", interrupted)
    cell = run_cell(f"%%track --name hash-interrupted --dataset {data / 'data.csv'}\nx = 1\n")
    assert not cell.result.success
    assert client.get_run(cell.run_id).info.status == "KILLED"
    assert mlflow.active_run() is None
