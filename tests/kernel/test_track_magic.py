"""%%track in a real IPython shell against a real embedded MLflow store."""

from __future__ import annotations

import re
import threading

import mlflow
import pytest

from labtrack.kernel.magics import TrackMagics


def _count_runs(client) -> int:
    experiments = [e.experiment_id for e in client.search_experiments()]
    return len(client.search_runs(experiments, max_results=10_000))


def test_a_completed_cell_ends_finished_with_what_it_logged(run_cell, client):
    cell = run_cell(
        "%%track --name finished-run --tag team=vision --tag stage=dev --params lr,epochs\n"
        "import mlflow\n"
        "lr, epochs = 0.05, 4\n"
        "for step in range(epochs):\n"
        "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
        "mlflow.log_param('optimizer', 'sgd')\n"
        "lr * 2\n"
    )
    assert cell.result.success
    assert cell.result.result == pytest.approx(0.1)  # the trailing expression is shown
    run = client.get_run(cell.run_id)
    assert run.info.status == "FINISHED"
    assert run.info.run_name == "finished-run"
    assert run.data.params == {"lr": "0.05", "epochs": "4", "optimizer": "sgd"}
    assert run.data.tags["team"] == "vision" and run.data.tags["stage"] == "dev"
    history = client.get_metric_history(cell.run_id, "loss")
    assert [(m.step, m.value) for m in history] == [(0, 1.0), (1, 0.5), (2, 1 / 3), (3, 0.25)]
    source = mlflow.artifacts.load_text(f"runs:/{cell.run_id}/labtrack/cell.py")
    assert "mlflow.log_metric('loss'" in source and "%%track" not in source
    requirements = mlflow.artifacts.load_text(f"runs:/{cell.run_id}/labtrack/requirements.txt")
    assert "mlflow==" in requirements
    assert run.data.tags["labtrack.magic"].startswith("%%track --name finished-run")
    assert run.data.tags["labtrack.python.version"].count(".") == 2
    assert "FINISHED" in cell.out and f"({cell.run_id})" in cell.out


def test_a_raising_cell_ends_failed_with_its_traceback(run_cell, client):
    cell = run_cell(
        "%%track --name failing-run\n"
        "def train():\n"
        "    raise ValueError('learning rate too high')\n"
        "train()\n"
    )
    assert not cell.result.success
    assert isinstance(cell.result.error_in_exec, ValueError)
    assert "learning rate too high" in cell.out  # the user still sees the exception
    run = client.get_run(cell.run_id)
    assert run.info.status == "FAILED"
    assert run.data.tags["labtrack.error"] == "ValueError: learning rate too high"
    stored = mlflow.artifacts.load_text(f"runs:/{cell.run_id}/labtrack/traceback.txt")
    assert "ValueError: learning rate too high" in stored
    assert "in train" in stored
    assert "src/labtrack/" not in stored  # labtrack's own frames are left out
    assert "FAILED" in cell.out


def test_an_interrupted_cell_ends_killed(run_cell, client):
    cell = run_cell("%%track --name interrupted-run\nraise KeyboardInterrupt\n")
    assert not cell.result.success
    assert client.get_run(cell.run_id).info.status == "KILLED"


def test_the_cell_after_a_failure_starts_cleanly(run_cell, client):
    failed = run_cell("%%track\n1 / 0\n")
    assert not failed.result.success
    assert mlflow.active_run() is None
    following = run_cell("%%track --name after-failure\nx = 1\n")
    assert following.result.success, following.out + following.err
    assert "already active" not in following.out + following.err
    assert client.get_run(following.run_id).info.status == "FINISHED"


def test_nested_runs_are_parented_and_ended_with_the_cell(run_cell, client):
    cell = run_cell(
        "%%track --name sweep\n"
        "import mlflow\n"
        "for lr in (0.1, 0.01):\n"
        "    with mlflow.start_run(nested=True, run_name=f'trial-{lr}'):\n"
        "        mlflow.log_param('lr', lr)\n"
        "mlflow.start_run(nested=True, run_name='left-open')\n"
        "raise RuntimeError('sweep aborted')\n"
    )
    assert not cell.result.success
    parent = client.get_run(cell.run_id)
    children = client.search_runs(
        [parent.info.experiment_id], f"tags.mlflow.parentRunId = '{cell.run_id}'"
    )
    statuses = {run.info.run_name: run.info.status for run in children}
    assert statuses == {"trial-0.1": "FINISHED", "trial-0.01": "FINISHED", "left-open": "FAILED"}
    assert parent.info.status == "FAILED"
    assert mlflow.active_run() is None


def test_nested_runs_join_the_tracked_runs_experiment_which_is_active_only_in_the_cell(
    shell, run_cell, client
):
    # Given a sweep under --experiment, in a kernel whose active experiment is another
    from mlflow.tracking import fluent

    before = fluent._get_experiment_id()
    cell = run_cell(
        "%%track --experiment nested-home --name sweep\n"
        "import mlflow\n"
        "for trial in range(2):\n"
        "    with mlflow.start_run(nested=True, run_name=f'trial-{trial}'):\n"
        "        mlflow.log_metric('loss', 1.0 / (trial + 1))\n"
        "inside = mlflow.tracking.fluent._get_experiment_id()\n"
    )
    assert cell.result.success

    # Then the trials are in the sweep's experiment, not in the previously active one
    parent = client.get_run(cell.run_id)
    children = client.search_runs(
        [parent.info.experiment_id], f"tags.mlflow.parentRunId = '{cell.run_id}'"
    )
    assert sorted(run.info.run_name for run in children) == ["trial-0", "trial-1"]
    assert parent.info.experiment_id != before
    assert shell.user_ns["inside"] == parent.info.experiment_id
    # And after the cell the previously active experiment is active again
    assert fluent._get_experiment_id() == before


def test_a_run_left_open_in_another_thread_is_ended_too(run_cell, client):
    cell = run_cell(
        "%%track --name threaded\n"
        "import threading, mlflow\n"
        "parent_id = mlflow.active_run().info.run_id\n"
        "def trial():\n"
        "    mlflow.start_run(run_name='thread-trial', parent_run_id=parent_id)\n"
        "worker = threading.Thread(target=trial)\n"
        "worker.start(); worker.join()\n"
    )
    assert cell.result.success
    parent = client.get_run(cell.run_id)
    (child,) = client.search_runs(
        [parent.info.experiment_id], f"tags.mlflow.parentRunId = '{cell.run_id}'"
    )
    assert child.info.status == "FINISHED"
    assert threading.active_count() >= 1


def test_nested_option_makes_the_run_a_child_of_the_active_run(run_cell, client):
    outer = mlflow.start_run(run_name="opened-by-hand")
    try:
        cell = run_cell("%%track --nested --name child-cell\nx = 2\n")
    finally:
        mlflow.end_run()
    run = client.get_run(cell.run_id)
    assert run.data.tags["mlflow.parentRunId"] == outer.info.run_id
    assert run.info.status == "FINISHED"
    assert client.get_run(outer.info.run_id).info.status == "FINISHED"


def test_tracked_cells_nest_inside_a_tracked_cell(run_cell, client):
    cell = run_cell(
        "%%track --name outer-cell\n"
        "for i in range(2):\n"
        "    get_ipython().run_cell_magic('track', f'--nested --name inner-{i}', 'y = 1')\n"
    )
    assert cell.result.success, cell.out + cell.err
    parent = client.get_run(cell.run_id)
    children = client.search_runs(
        [parent.info.experiment_id], f"tags.mlflow.parentRunId = '{cell.run_id}'"
    )
    assert sorted(run.info.run_name for run in children) == ["inner-0", "inner-1"]
    assert all(run.info.status == "FINISHED" for run in children)


def test_without_nested_an_active_run_is_refused_and_no_run_starts(run_cell, client):
    mlflow.start_run(run_name="still-open")
    try:
        before = _count_runs(client)
        cell = run_cell("%%track\nx = 3\n")
        assert not cell.result.success
        assert "already active" in cell.err + cell.out
        assert _count_runs(client) == before
    finally:
        mlflow.end_run()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--bogus", "unrecognized arguments: --bogus"),
        ("--tag novalue", "--tag expects KEY=VALUE"),
        ("--params 1x", "--params expects variable names"),
        ("--name ''", "--name needs a non-empty value"),
        ("--experiment", "expected one argument"),
        ("positional", "unrecognized arguments: positional"),
    ],
)
def test_bad_options_give_one_usage_line_and_start_no_run(run_cell, client, line, message):
    before = _count_runs(client)
    cell = run_cell(f"%%track {line}\nexecuted = True\n")
    assert not cell.result.success
    shown = (cell.out + cell.err).strip()
    assert message in shown
    assert len([ln for ln in shown.splitlines() if ln.strip()]) == 1, shown
    assert _count_runs(client) == before


def test_a_named_experiment_is_created_with_artifacts_in_the_home(run_cell, client, labtrack_home):
    cell = run_cell("%%track --experiment 'churn model' --name exp-run\nimport mlflow\n")
    run = client.get_run(cell.run_id)
    experiment = client.get_experiment(run.info.experiment_id)
    assert experiment.name == "churn model"
    assert experiment.artifact_location.startswith(
        (str(labtrack_home / "artifacts"), f"file://{labtrack_home}/artifacts")
    )


def test_logged_models_land_in_the_tracked_run(run_cell, client):
    cell = run_cell(
        "%%track --name model-run\n"
        "import mlflow, numpy as np\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([0, 0, 1, 1])\n"
        "model = LogisticRegression().fit(X, y)\n"
        "info = mlflow.sklearn.log_model(model, name='model')\n"
    )
    assert cell.result.success, cell.out + cell.err
    loaded = mlflow.sklearn.load_model(f"runs:/{cell.run_id}/model")
    assert list(loaded.predict([[0.0], [3.0]])) == [0, 1]


def test_autolog_is_on_for_the_cell_only(run_cell, client):
    cell = run_cell(
        "%%track --autolog --name autologged\n"
        "import numpy as np\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "LogisticRegression(C=0.5).fit(np.array([[0.0], [1.0]]), np.array([0, 1]))\n"
    )
    assert cell.result.success, cell.out + cell.err
    run = client.get_run(cell.run_id)
    assert run.data.params.get("C") == "0.5"
    before = _count_runs(client)
    after_cell = run_cell(
        "import numpy as np\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "LogisticRegression().fit(np.array([[0.0], [1.0]]), np.array([0, 1]))\n"
    )
    assert after_cell.result.success
    assert _count_runs(client) == before


def test_missing_param_variables_are_warned_about_not_fatal(run_cell, client):
    cell = run_cell("%%track --params present,absent\npresent = 'yes'\n")
    assert cell.result.success
    assert "no variable named absent" in cell.err
    assert client.get_run(cell.run_id).data.params == {"present": "yes"}


def test_status_command_names_the_backend(run_cell, labtrack_home):
    cell = run_cell("%track status")
    assert "embedded" in cell.out
    assert str(labtrack_home / "mlflow.db") in cell.out


def test_unknown_track_command_is_a_usage_error(run_cell):
    cell = run_cell("%track frobnicate")
    assert not cell.result.success
    assert "%track expects one of" in cell.out + cell.err


def test_help_lists_every_option():
    doc = TrackMagics.track.__doc__
    options = (
        "--experiment",
        "--name",
        "--tag",
        "--params",
        "--nested",
        "--autolog",
        "--steps",
        "--no-live",
    )
    for option in options:
        assert option in doc


def test_a_trailing_semicolon_still_hides_the_cell_value(run_cell):
    shown = run_cell("%%track\n41 + 1\n")
    hidden = run_cell("%%track\n41 + 1;\n")
    assert re.search(r"Out\[\d+\]: 42", shown.out)
    assert "Out[" not in hidden.out


def test_a_syntax_error_is_shown_and_starts_no_run(run_cell, client):
    before = _count_runs(client)
    cell = run_cell("%%track --name typo\nfor i in range(3)\n    pass\n")
    assert not cell.result.success
    assert isinstance(cell.result.error_in_exec, SyntaxError)
    assert "SyntaxError" in cell.out + cell.err
    assert _count_runs(client) == before


def test_shell_escapes_and_line_magics_work_inside_a_tracked_cell(run_cell, client):
    cell = run_cell("%%track --name escapes\nlisting = !echo tracked-shell\n%time y = 2\n")
    assert cell.result.success, cell.out + cell.err
    assert "Wall time" in cell.out
    assert client.get_run(cell.run_id).info.status == "FINISHED"


def test_tracebacks_point_at_the_notebook_line(run_cell):
    cell = run_cell("%%track\na = 1\nb = 2\nraise KeyError('third line of code')\n")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", cell.out)  # drop terminal colours
    assert "----> 4 raise KeyError('third line of code')" in plain


def test_a_run_card_is_shown_under_the_cell_unless_no_live(run_cell):
    shown = run_cell("%%track --name with-card\nx = 1\n")
    hidden = run_cell("%%track --name without-card --no-live\nx = 1\n")
    # The card is shown as the cell starts, before its run exists (it starts lazily).
    assert "labtrack run with-card () RUNNING" in shown.out
    assert "labtrack run without-card" not in hidden.out
    assert hidden.result.success


@pytest.mark.parametrize("section", ["LabtrackConfig", "TrackMagics"])
def test_an_explicit_tracking_uri_in_ipython_config_wins(shell, tmp_path, monkeypatch, section):
    """``c.LabtrackConfig.tracking_uri``, and the older ``c.TrackMagics.tracking_uri``."""
    from traitlets.config import Config

    from labtrack import config as labtrack_config
    from labtrack.backend import LocationSource

    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:1")
    config = Config()
    config[section].tracking_uri = f"sqlite:///{tmp_path}/explicit.db"
    config[section].approvals_required = 2
    magics = TrackMagics(shell, config=config)
    try:
        assert magics.location.source is LocationSource.EXPLICIT
        assert magics.location.tracking_uri == f"sqlite:///{tmp_path}/explicit.db"
        # The notebook API reads the same settings, not the magics' own.
        assert labtrack_config.current() is magics.settings
        from labtrack.api.registry import configured_policy

        assert configured_policy().required == 2
    finally:
        shell.events.unregister("pre_run_cell", magics._remember_cell)
        labtrack_config.use(labtrack_config.LabtrackConfig())
