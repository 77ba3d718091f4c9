"""``%track register|promote|rollback|approve|history`` in a real shell on a real store."""

from __future__ import annotations

import itertools

import pytest

import labtrack

_names = itertools.count()

TRAIN = (
    "%%track --name registry-train --no-live\n"
    "import mlflow, numpy as np\n"
    "from sklearn.linear_model import LinearRegression\n"
    "x = np.arange(10.0).reshape(-1, 1)\n"
    "mlflow.sklearn.log_model(LinearRegression().fit(x, {scale} * x.ravel()), name='model',\n"
    "                         pip_requirements=['scikit-learn'])\n"
)


@pytest.fixture(scope="module")
def trained(shell):
    """Two tracked runs that logged models predicting 2x and 3x."""
    runs = []
    for scale in (2, 3):
        result = shell.run_cell(TRAIN.format(scale=scale))
        assert result.success, result.error_in_exec
        runs.append(shell.magics_manager.registry["TrackMagics"].last_run_id)
    return runs


@pytest.fixture
def model(run_cell, trained):
    """A fresh model with versions 1 (2x) and 2 (3x)."""
    name = f"cmd-model-{next(_names)}"
    for run_id in trained:
        assert run_cell(f"%track register {run_id} --name {name}").result.success
    return name


def _usage_error(cell) -> str:
    assert not cell.result.success
    lines = [line for line in cell.err.splitlines() if line.strip()]
    assert len(lines) == 1, cell.err
    return lines[0]


def test_register_defaults_to_the_last_tracked_run(run_cell, trained, client):
    cell = run_cell("%track register --name cmd-default --alias candidate --tag team=ml")
    assert cell.result.success, cell.err
    assert f"registered cmd-default version 1 as @candidate (run {trained[-1]})" in cell.out
    version = client.get_model_version_by_alias("cmd-default", "candidate")
    assert version.run_id == trained[-1] and version.tags["team"] == "ml"


def test_promote_to_a_stage_with_archive_existing_and_an_alias(run_cell, model, client):
    run_cell(f"%track promote {model} 1 --stage Production --alias champion")
    cell = run_cell(
        f"%track promote {model} 2 --alias champion --stage production --archive-existing "
        f'--reason "better auc"'
    )
    assert f"{model} version 2 is now @champion Production" in cell.out
    assert client.get_model_version(model, "1").current_stage == "Archived"
    assert client.get_registered_model(model).aliases == {"champion": 2}


def test_rollback_returns_the_alias_to_its_previous_holder(run_cell, model, client):
    run_cell(f"%track promote {model} 2 --alias champion")
    run_cell(f"%track promote {model} 1 --alias champion")
    cell = run_cell(f"%track rollback {model} --alias champion")
    assert f"{model} @champion rolled back to version 2" in cell.out
    assert client.get_registered_model(model).aliases == {"champion": 2}


def test_history_lists_who_did_what_from_and_to(run_cell, model):
    run_cell(f'%track promote {model} 1 --alias champion --reason "first cut"')
    run_cell(f"%track promote {model} 2 --alias champion")
    lines = run_cell(f"%track history {model}").out.splitlines()
    assert "registered version 1" in lines[0] and "registered version 2" in lines[1]
    assert lines[2].endswith("moved @champion None → 1  (first cut)")
    assert lines[3].endswith("moved @champion 1 → 2")


def test_a_second_approval_by_the_same_user_is_refused(run_cell, model):
    assert "approved" in run_cell(f"%track approve {model} 1").out
    line = _usage_error(run_cell(f"%track approve {model} 1"))
    assert "already approved" in line and "distinct users" in line


def test_a_protected_alias_is_refused_until_approved(run_cell, model, client):
    cell = run_cell(f"%track policy {model} --required 1 --protect champion")
    assert "1 approval(s) from distinct users to move champion" in cell.out
    line = _usage_error(run_cell(f"%track promote {model} 1 --alias champion"))
    assert "needs 1 approvals from distinct users; it has 0" in line
    assert "(1 of 1 needed" in run_cell(f"%track approve {model} 1").out
    assert run_cell(f"%track promote {model} 1 --alias champion").result.success


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("register", "the following arguments are required: --name"),
        ("promote {model} 1", "needs --alias A, --stage S or both"),
        ("promote {model} 1 --alias latest", "reserved by MLflow"),
        ("promote {model} 1 --alias v2", "reserved by MLflow"),
        ("promote {model} 9 --alias champion", "cannot promote"),
        ("promote {model} one --alias champion", "positive whole number"),
        ("promote {model} 1 --stage Shipping", "unknown stage"),
        ("promote no-such-model 1 --alias champion", "cannot promote no-such-model"),
        ("rollback {model} --alias champion", "records no move"),
        ("promote {model} 1 --alias сhampion", "ASCII letters"),
        ("register --name x --tag labtrack.approval.me=1", "labtrack's own"),
        ("policy {model} --required 1 --protect сhampion", "ASCII letters"),
        ("rollback {model}", "required: --alias"),
        ("history no-such-model", "cannot read the history"),
        ("register 0123 --name x", "Run with id=0123 not found"),
        ("register ../x --name x", "malformed run id"),
    ],
)
def test_bad_input_is_one_usage_error_line(run_cell, model, line, message):
    assert message in _usage_error(run_cell("%track " + line.format(model=model)))


def test_the_public_api_promotes_rolls_back_and_loads(model):
    labtrack.promote(model, 1, alias="champion")
    labtrack.promote(model, 2, alias="champion")
    assert str(labtrack.rollback(model, "champion").version) == "1"
    assert [e.action for e in labtrack.history(model)][-1] == "rollback"
    assert labtrack.load_model(f"{model}@champion").predict([[5.0]])[0] == pytest.approx(10)


def test_the_models_widget_acts_through_the_kernel_and_reports_refusals(run_cell, model, shell):
    widget = run_cell(f"%track models {model}").result.result
    assert widget.selected == model and [v["version"] for v in widget.detail["versions"]] == [
        "2",
        "1",
    ]
    widget._on_message(
        widget,
        {
            "action": "promote",
            "name": model,
            "version": "2",
            "alias": "champion",
            "stage": "Staging",
        },
        [],
    )
    assert widget.detail["aliases"] == {"champion": "2"} and "is now @champion Staging" in (
        widget.notice
    )
    widget._on_message(widget, {"action": "rollback", "name": model, "alias": "champion"}, [])
    assert widget.error and "no holder before its first move" in widget.error
    assert widget.audit[0]["action"] == "alias"  # newest first


def test_the_models_widget_shows_each_source_runs_lineage_and_the_policy(
    run_cell, model, trained, client
):
    # Given a model whose signed policy asks for 2 approvals of promotions to champion
    assert run_cell(f"%track policy {model} --required 2 --protect champion").result.success
    # When the widget shows it
    widget = run_cell(f"%track models {model}").result.result
    # Then it carries the policy, and the lineage of both source runs keyed by full run id
    approvals = widget.detail["approvals"]
    assert (approvals["required"], approvals["protected"]) == (2, ["champion"])
    assert set(widget.lineage) == set(trained)
    lineage = widget.lineage[trained[0]]
    assert lineage["run_id"] == trained[0] and lineage["run_name"]
    assert set(lineage) >= {"notebook", "commit", "dirty", "datasets"}


def test_the_models_widget_refuses_an_unknown_model(run_cell):
    assert "cannot show model nope" in _usage_error(run_cell("%track models nope"))


def test_history_marks_an_entry_another_client_wrote(run_cell, model, client):
    # Given an audit tag written with a plain MlflowClient, not by labtrack
    forged = '{"timestamp":1,"user":"root","action":"alias","alias":"champion","after":"2"}'
    client.set_registered_model_tag(model, "labtrack.audit.0000000000001-forged", forged)
    # Then %track history shows it first (oldest), marked unverified; the rest are not
    lines = run_cell(f"%track history {model}").out.splitlines()
    assert "UNVERIFIED" in lines[0] and "root" in lines[0]
    assert not any("UNVERIFIED" in line for line in lines[1:])


def test_models_says_when_an_alias_points_at_an_archived_version(run_cell, model):
    run_cell(f"%track promote {model} 1 --alias champion --stage Production")
    run_cell(f"%track promote {model} 2 --alias champion --stage Production --archive-existing")
    run_cell(f"%track rollback {model} --alias champion")
    cell = run_cell(f"%track models {model}")
    assert "@champion points at v1, which is Archived, while v2 is in Production" in cell.out
    assert f"fix: %track promote {model} 2 --alias champion" in cell.out
    assert f"fix: %track promote {model} 1 --stage Production --archive-existing" in cell.out
    (warning,) = cell.result.result.detail["warnings"]
    assert warning["kind"] == "archived-alias"
