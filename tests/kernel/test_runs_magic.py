"""``%track runs``: the runs table widget in a real IPython shell on a real store."""

from __future__ import annotations

import pytest
from mlflow.entities import Metric, Param

from labtrack.widgets.runs_table import RunsTable


@pytest.fixture(scope="module")
def runs(shell):
    import mlflow

    client = mlflow.MlflowClient()
    experiment = client.create_experiment("runs-table-tests")
    ids = []
    for index in range(5):
        run = client.create_run(
            experiment, run_name=f"t-{index}", start_time=1_700_000_000_000 + index
        )
        client.log_batch(
            run.info.run_id,
            metrics=[Metric("acc", index / 10, 0, 0)],
            params=[Param("depth", str(index))],
        )
        client.set_terminated(run.info.run_id)
        ids.append(run.info.run_id)
    return ids


def test_track_runs_shows_the_selected_runs_as_a_table(shell, runs):
    table = shell.run_line_magic(
        "track", "runs --experiment runs-table-tests --filter 'metrics.acc > 0.15'"
    )
    assert isinstance(table, RunsTable)
    assert sorted(table.frame["run_id"]) == sorted(runs[2:])
    assert {"run_id", "params.depth", "metrics.acc"} <= set(table.columns)
    acc = table.columns.index("metrics.acc")
    assert sorted(row[acc] for row in table.rows) == pytest.approx([0.2, 0.3, 0.4])


def test_order_by_and_max_are_passed_on(shell, runs):
    table = shell.run_line_magic(
        "track", "runs -e runs-table-tests --order-by 'metrics.acc DESC' --max 2"
    )
    assert list(table.frame["run_id"]) == [runs[4], runs[3]]


def test_selected_is_the_dataframe_of_the_selected_rows(shell, runs):
    table = shell.run_line_magic("track", "runs -e runs-table-tests")
    assert table.selected.empty
    table.selected_ids = [runs[1], runs[3]]  # as the front end sets it
    assert sorted(table.selected["run_id"]) == sorted([runs[1], runs[3]])
    assert sorted(table.selected["params.depth"]) == ["1", "3"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("runs --experiment no-such-experiment", "no experiment named"),
        ("runs -e runs-table-tests --filter 'metrics.acc >>> 2'", "cannot list runs"),
        ("runs --max 0", "positive"),
        ("runs --bogus", "usage"),
    ],
)
def test_bad_input_is_one_clear_usage_error(shell, runs, line, expected):
    from IPython.core.error import UsageError

    with pytest.raises(UsageError) as raised:
        shell.run_line_magic("track", line)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message
