"""``%track challenge`` in a real shell: MLflow's evaluation of two registered versions,
the gate, the evaluation run linked to both, and promotion only when the gate passes."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from test_registry_commands import TRAIN

from labtrack.api.registry import registry

_names = itertools.count()


@pytest.fixture(scope="module")
def trained(shell):
    """Two tracked runs that logged models predicting 2x and 3x."""
    runs = []
    for scale in (2, 3):
        assert shell.run_cell(TRAIN.format(scale=scale)).success
        runs.append(shell.magics_manager.registry["TrackMagics"].last_run_id)
    return runs


@pytest.fixture
def model(run_cell, trained, shell):
    """v1 predicts 2x (right for the data below), v2 3x; @champion on v2."""
    name = f"challenge-model-{next(_names)}"
    for run_id in trained:
        assert run_cell(f"%track register {run_id} --name {name}").result.success
    assert run_cell(f"%track promote {name} 2 --alias champion").result.success
    x = np.linspace(0, 9, 60)
    shell.user_ns["eval_df"] = pd.DataFrame({"x": x, "y": 2 * x + np.sin(x) / 10})
    return name


def _usage_error(cell) -> str:
    assert not cell.result.success
    return cell.err.strip().splitlines()[-1]


def test_a_better_challenger_passes_is_recorded_and_promoted(run_cell, model, client):
    cell = run_cell(
        f"%track challenge {model} --champion @champion --challenger 1 --data eval_df "
        "--target y --threshold r2_score:+0.05 --threshold mean_absolute_error:<=1 --promote"
    )
    assert cell.result.success, cell.err
    assert f"{model} v1 passed its challenge of v2" in cell.out
    widget = cell.result.result
    result = widget.result
    assert result["passed"] and result["model_type"] == "regressor"
    rows = {row["name"]: row for row in result["metrics"]}
    assert rows["r2_score"]["winner"] == "challenger"
    assert rows["r2_score"]["challenger"] > rows["r2_score"]["champion"] + 0.05
    assert set(result["view"]["residuals"]) == {"champion", "challenger"}
    # The evaluation run: tagged with both versions, one nested run per version
    run = client.get_run(result["run_id"])
    tags = run.data.tags
    assert (tags["labtrack.challenge.champion"], tags["labtrack.challenge.challenger"]) == (
        "2",
        "1",
    )
    assert tags["labtrack.challenge.outcome"] == "passed"
    children = client.search_runs(
        [run.info.experiment_id], f"tags.mlflow.parentRunId = '{run.info.run_id}'"
    )
    roles = sorted(c.data.tags["labtrack.challenge.role"] for c in children)
    assert roles == ["challenger", "champion"]
    assert all("r2_score" in c.data.metrics for c in children)
    # Promoted, with the run cited in the audit entry; both versions show the challenge
    assert client.get_registered_model(model).aliases == {"champion": 1}
    move = registry().history(model)[-1]
    assert (move.action, move.after, move.evidence, move.verified) == (
        "alias",
        "1",
        run.info.run_id,
        True,
    )
    detail = registry().version(model, 1)
    assert "labtrack.challenge" in detail.tags


def test_a_failing_threshold_refuses_with_the_numbers(run_cell, model, client):
    cell = run_cell(
        f"%track challenge {model} --champion @champion --challenger 1 --data eval_df "
        "--target y --threshold r2_score:+2 --promote"
    )
    line = _usage_error(cell)
    assert "refused to promote" in line and "minimum absolute change threshold = 2" in line
    assert "candidate model r2_score = " in line
    assert client.get_registered_model(model).aliases == {"champion": 2}
    assert "failed its challenge" in cell.out
    entry = registry().history(model)[-1]
    assert (entry.action, entry.after) == ("challenge", "failed")


def test_the_widget_promotes_only_a_passed_challenge(run_cell, model, client):
    worse = run_cell(
        f"%track challenge {model} --champion 1 --challenger 2 --data eval_df --target y"
    ).result.result
    assert not worse.promotable and not worse.result["passed"]
    better = run_cell(
        f"%track challenge {model} --champion @champion --challenger 1 --data eval_df --target y"
    ).result.result
    assert better.promotable
    better._on_message(better, {"action": "promote"}, [])
    assert "is now @champion" in better.notice and not better.promotable
    assert client.get_registered_model(model).aliases == {"champion": 1}


def test_a_stale_challenge_cannot_be_cited(run_cell, model, client):
    widget = run_cell(
        f"%track challenge {model} --champion @champion --challenger 1 --data eval_df --target y"
    ).result.result
    run_cell(f"%track promote {model} 1 --alias champion")
    run_cell(f"%track promote {model} 2 --alias champion")
    run_cell(f"%track challenge {model} --champion 1 --challenger 2 --data eval_df --target y")
    widget._on_message(widget, {"action": "promote"}, [])
    assert "not the latest challenge" in widget.error


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("--champion @nope --challenger 1 --data eval_df --target y", "no alias 'nope'"),
        ("--champion 1 --challenger 1 --data eval_df --target y", "both version 1"),
        ("--champion 1 --challenger 2 --data eval_df --target z", "no column 'z'"),
        ("--champion 1 --challenger 2 --data /dev/zero --target y", "not a regular file"),
        (
            "--champion 1 --challenger 2 --data eval_df --target y --threshold r2:+1",
            "unknown metric",
        ),
        (
            "--champion 1 --challenger 2 --data eval_df --target y --threshold r2_score:<=1",
            "bound is >=",
        ),
        ("--champion 1 --challenger 2 --target y", "required: --data"),
    ],
)
def test_bad_input_is_one_usage_error_line(run_cell, model, options, message):
    assert message in _usage_error(run_cell(f"%track challenge {model} {options}"))
