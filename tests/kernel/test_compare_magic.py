"""``%track compare`` and ``labtrack.compare`` in a real IPython shell on a real store."""

from __future__ import annotations

import numpy as np
import pytest
from mlflow.entities import Metric, Param

import labtrack
from labtrack.widgets.compare import CompareWidget
from labtrack.widgets.compare_payload import unpack_curves

STEPS = range(30)


@pytest.fixture(scope="module")
def runs(shell):
    import mlflow

    client = mlflow.MlflowClient()
    experiment = client.create_experiment("compare-tests")
    ids = []
    for index in range(6):
        run = client.create_run(
            experiment, run_name=f"trial-{index}", start_time=1_700_000_000_000 + index
        )
        run_id = run.info.run_id
        client.log_batch(
            run_id,
            metrics=[Metric("loss", 1 / (index + 1) + s / 100, 1_700_000_000_000, s) for s in STEPS]
            + [Metric("auc", 0.5 + index / 20, 1_700_000_000_000, 0)],
            params=[Param("lr", str(10.0**-index)), Param("seed", "7")],
        )
        client.set_terminated(run_id)
        ids.append(run_id)
    return {"experiment": "compare-tests", "ids": ids}


def test_an_experiment_selection_compares_its_newest_runs_first(shell, runs):
    widget = shell.run_line_magic("track", "compare --experiment compare-tests --max 5")
    assert isinstance(widget, CompareWidget)
    assert set(widget.run_ids) == set(runs["ids"][1:])  # newest five by start time
    assert widget.metric_keys == ["auc", "loss"]
    values = np.frombuffer(widget.metric_values, dtype="<f8").reshape(2, 5)
    by_run = dict(zip(widget.run_ids, values[0], strict=True))
    assert by_run[runs["ids"][5]] == pytest.approx(0.75)


def test_run_ids_on_the_line_are_compared_in_that_order(shell, runs):
    chosen = [runs["ids"][2], runs["ids"][0]]
    widget = shell.run_line_magic("track", f"compare {chosen[0]} {chosen[1]}")
    assert widget.run_ids == chosen
    lr = next(p for p in widget.params if p["key"] == "lr")
    assert lr["values"] == ["0.01", "1.0"]


def test_curves_of_the_chosen_metric_come_from_the_kernel(shell, runs):
    widget = labtrack.compare(runs["ids"][:3])
    widget.curve_metric = "loss"
    curves = unpack_curves_of(widget)
    assert set(curves) == set(runs["ids"][:3])
    steps, values = curves[runs["ids"][1]]
    assert list(steps) == list(range(30))
    assert values[0] == pytest.approx(0.5)
    widget.curve_metric = "auc"  # logged once: a one-point curve each
    assert all(len(s) == 1 for s, _v in unpack_curves_of(widget).values())


def unpack_curves_of(widget):
    from labtrack.widgets.compare_payload import CurvePayload

    return unpack_curves(
        CurvePayload(widget.curve_metric, widget.curve_runs, widget.curve_values, [])
    )


def test_selection_from_the_browser_gives_selected_frame(shell, runs):
    widget = labtrack.compare(runs["ids"])
    widget.selected = [runs["ids"][4], runs["ids"][1]]  # as the front end sets it
    frame = widget.selected_frame
    assert list(frame["run_id"]) == [runs["ids"][4], runs["ids"][1]]
    assert list(frame["params.lr"]) == ["0.0001", "0.1"]
    # the curves follow the selection
    assert {run["run_id"] for run in widget.curve_runs} == {runs["ids"][4], runs["ids"][1]}


def test_a_dataframe_of_runs_is_accepted_and_kept_as_the_frame(shell, runs):
    frame = labtrack.runs("compare-tests", "metrics.auc > 0.6")
    widget = labtrack.compare(frame)
    assert sorted(widget.run_ids) == sorted(frame["run_id"])
    assert widget.frame is frame


def test_children_selects_the_child_runs(shell, runs):
    import mlflow

    client = mlflow.MlflowClient()
    experiment = client.get_experiment_by_name("compare-tests").experiment_id
    parent = client.create_run(experiment, run_name="parent").info.run_id
    kids = [
        client.create_run(experiment, tags={"mlflow.parentRunId": parent}).info.run_id
        for _ in range(2)
    ]
    widget = shell.run_line_magic("track", f"compare --children {parent}")
    assert sorted(widget.run_ids) == sorted(kids)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("compare 0123456789abcdef0123456789abcdef", "no run with id"),
        ("compare not/a/run", "malformed run id"),
        ("compare --filter 'metrics.auc >>> 2' --experiment compare-tests", "cannot compare"),
        ("compare --experiment no-such-experiment", "no experiment named"),
        ("compare --last 0", "positive"),
        ("compare", "usage"),
        ("compare --filter \"params.lr = 'nope'\" --experiment compare-tests", "no runs match"),
    ],
)
def test_bad_input_is_one_clear_usage_error(shell, runs, line, expected):
    from IPython.core.error import UsageError

    with pytest.raises(UsageError) as raised:
        shell.run_line_magic("track", line)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message


@pytest.fixture
def three_tracked_cells(shell, run_cell):
    """Three tracked cells in one experiment: a run of the code's own, labtrack's own run
    (logging outside any run), and an autolog grid search (a parent and its children)."""
    experiment = "compare-last"
    first = run_cell(
        "%%track --no-live\nimport mlflow\n"
        f"mlflow.set_experiment('{experiment}')\n"
        "with mlflow.start_run(run_name='hand-made'):\n    mlflow.log_metric('score', 0.7)\n"
    )
    second = run_cell(
        f"%%track --no-live --experiment {experiment} --name logged\n"
        "import mlflow\nmlflow.log_metric('score', 0.8)\n"
    )
    third = run_cell(
        "%%track --no-live\nimport mlflow\n"
        "from sklearn.datasets import make_classification\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import GridSearchCV\n"
        "X, y = make_classification(n_samples=120, random_state=0)\n"
        "mlflow.sklearn.autolog(log_models=False, max_tuning_runs=3)\n"
        "with mlflow.start_run(run_name='grid'):\n"
        "    GridSearchCV(LogisticRegression(max_iter=300), {'C': [0.1, 1.0, 10.0]}, cv=2)"
        ".fit(X, y)\n"
        "mlflow.sklearn.autolog(disable=True)\n"
    )
    for cell in (first, second, third):
        assert cell.result.success, cell.err
    yield experiment, [third.run_id, second.run_id, first.run_id]
    import mlflow

    mlflow.set_experiment("Default")


def test_compare_last_n_is_the_top_level_runs_this_notebook_tracked(shell, three_tracked_cells):
    import mlflow

    experiment, newest_first = three_tracked_cells
    widget = shell.run_line_magic("track", "compare --last 3")
    assert widget.run_ids == newest_first
    assert shell.run_line_magic("track", f"compare --last 3 --experiment {experiment}").run_ids == (
        newest_first
    )
    # The grid search's child runs exist, and only --include-children counts them.
    grid = newest_first[0]
    children = mlflow.MlflowClient().search_runs(
        [mlflow.get_experiment_by_name(experiment).experiment_id],
        f"tags.`mlflow.parentRunId` = '{grid}'",
    )
    assert len(children) == 3
    widened = shell.run_line_magic("track", "compare --last 4 --include-children")
    assert (
        grid in widened.run_ids
        and len(set(widened.run_ids) & {c.info.run_id for c in children}) >= 1
    )


def test_compare_last_n_in_a_notebook_finds_its_runs_by_the_notebook_path(
    shell, run_cell, tmp_path
):
    notebook = tmp_path / "analysis.ipynb"
    shell.user_ns["__session__"] = str(notebook)
    try:
        ids = []
        for index in range(2):
            cell = run_cell(
                f"%%track --no-live --experiment nb-compare --name run-{index}\n"
                "import mlflow\nmlflow.log_metric('m', 1)\n"
            )
            ids.append(cell.run_id)
        widget = shell.run_line_magic("track", "compare --last 2")
        assert widget.run_ids == ids[::-1]
    finally:
        del shell.user_ns["__session__"]


def test_compare_last_n_says_what_it_searched_and_what_would_match(shell, three_tracked_cells):
    from IPython.core.error import UsageError

    experiment, _ = three_tracked_cells
    with pytest.raises(UsageError) as raised:
        shell.run_line_magic("track", "compare --last 2 --experiment compare-tests")
    message = str(raised.value)
    assert "no runs match: searched the runs this kernel tracked in experiment compare-tests" in (
        message
    )
    assert f"--experiment {experiment}" in message or "leave out --experiment" in message
