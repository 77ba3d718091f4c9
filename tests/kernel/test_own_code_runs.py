"""Each MLflow idiom a tracked cell may use ends truthfully when the cell fails.

A cell that raises leaves the runs its error went through FAILED (with the traceback and
the error line); an interrupted one leaves them KILLED, not MLflow's FAILED; every point
the cell logged is stored, and no run stays active after the cell. Interrupts are
raised inside the code here, where the kernel's SIGINT handler raises them too; a real
kernel interrupt is tested in test_real_kernels.py.
"""

from __future__ import annotations

import mlflow
import pytest

POINTS = "for i in range(50):\n{pad}    mlflow.log_metric('loss', float(i), step=i)\n"

IDIOMS = {
    "with-start-run": (
        "mlflow.set_experiment('idioms')\n"
        "with mlflow.start_run(run_name='xgboost_v5'):\n"
        + POINTS.format(pad="    ").replace("for", "    for", 1)
        + "    boom()\n",
        ["xgboost_v5"],
    ),
    "without-with": (
        "mlflow.set_experiment('idioms')\n"
        "run = mlflow.start_run(run_name='manual')\n"
        + POINTS.format(pad="")
        + "boom()\nmlflow.end_run()\n",
        ["manual"],
    ),
    "loop-of-runs": (
        "mlflow.set_experiment('idioms')\n"
        "for lr in (1, 2):\n"
        "    with mlflow.start_run(run_name=f'lr={lr}'):\n"
        "        for i in range(50):\n"
        "            mlflow.log_metric('loss', float(i), step=i)\n"
        "        if lr == 2:\n"
        "            boom()\n",
        ["lr=2"],
    ),
    "autolog-in-a-run": (
        "from sklearn.datasets import make_classification\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "mlflow.set_experiment('idioms')\n"
        "mlflow.sklearn.autolog(log_models=False, silent=True)\n"
        "with mlflow.start_run(run_name='autologged'):\n"
        "    LogisticRegression(max_iter=200).fit(*make_classification(random_state=0))\n"
        "    for i in range(50):\n"
        "        mlflow.log_metric('loss', float(i), step=i)\n"
        "    boom()\n",
        ["autologged"],
    ),
    "optuna-trials": (
        "import optuna\n"
        "optuna.logging.set_verbosity(optuna.logging.ERROR)\n"
        "mlflow.set_experiment('idioms')\n"
        "def objective(trial):\n"
        "    with mlflow.start_run(run_name=f'trial-{trial.number}', nested=True):\n"
        "        for i in range(50):\n"
        "            mlflow.log_metric('loss', float(i), step=i)\n"
        "        if trial.number == 1:\n"
        "            boom()\n"
        "    return 1.0\n"
        "with mlflow.start_run(run_name='optuna_search'):\n"
        "    optuna.create_study().optimize(objective, n_trials=3)\n",
        ["trial-1", "optuna_search"],
    ),
    "client-run": (
        "client = mlflow.MlflowClient()\n"
        "exp = mlflow.set_experiment('idioms')\n"
        "created = client.create_run(exp.experiment_id, run_name='client-run')\n"
        "for i in range(50):\n"
        "    client.log_metric(created.info.run_id, 'loss', float(i), step=i)\n"
        "boom()\n"
        "client.set_terminated(created.info.run_id)\n",
        ["client-run"],
    ),
    "the-cells-own-run": (
        POINTS.format(pad="") + "boom()\n",
        ["seed-style"],
    ),
}

FAILURES = {
    "raises": (lambda: (_ for _ in ()).throw(ValueError("diverged")), "FAILED"),
    "interrupted": (lambda: (_ for _ in ()).throw(KeyboardInterrupt()), "KILLED"),
}


@pytest.fixture
def idioms_experiment(client):
    yield
    mlflow.sklearn.autolog(disable=True)
    mlflow.set_experiment("Default")


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("idiom", sorted(IDIOMS))
def test_an_idiom_ends_truthfully_when_the_cell_fails(
    shell, run_cell, client, idioms_experiment, idiom, failure
):
    body, failing_names = IDIOMS[idiom]
    raise_it, status = FAILURES[failure]
    shell.user_ns["boom"] = raise_it
    cell = run_cell(f"%%track --no-live --name seed-style\nimport mlflow\n{body}")

    assert not cell.result.success
    assert mlflow.active_run() is None  # nothing stays active after the cell
    experiment = client.get_experiment_by_name(
        "idioms" if idiom != "the-cells-own-run" else "Default"
    )
    for name in failing_names:
        (run,) = client.search_runs(
            [experiment.experiment_id],
            f"attributes.run_name = '{name}'",
            order_by=["attributes.start_time DESC"],
            max_results=1,
        )
        assert run.info.status == status, (name, cell.out, cell.err)
        assert run.data.tags["labtrack.error"] in ("ValueError: diverged", "interrupted")
        paths = {a.path for a in client.list_artifacts(run.info.run_id, "labtrack")}
        assert "labtrack/traceback.txt" in paths, name
        if name != "optuna_search":  # every point the failing run logged is stored
            history = client.get_metric_history(run.info.run_id, "loss")
            assert sorted(p.step for p in history) == list(range(50)), name


def test_runs_the_code_ended_itself_keep_their_own_status(shell, run_cell, client):
    shell.user_ns["boom"] = FAILURES["raises"][0]
    cell = run_cell(
        "%%track --no-live\nimport mlflow\nmlflow.set_experiment('idioms')\n"
        "with mlflow.start_run(run_name='done-before'):\n    mlflow.log_metric('x', 1.0)\n"
        "boom()\n"
    )
    mlflow.set_experiment("Default")
    assert not cell.result.success
    experiment = client.get_experiment_by_name("idioms")
    (run,) = client.search_runs(
        [experiment.experiment_id],
        "attributes.run_name = 'done-before'",
        order_by=["attributes.start_time DESC"],
        max_results=1,
    )
    assert run.info.status == "FINISHED"
    assert "labtrack.error" not in run.data.tags
