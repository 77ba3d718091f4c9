"""Every way of logging a metric inside %%track goes through the buffer, once."""

from __future__ import annotations

import math
import re
import sqlite3

import mlflow
import pytest
from mlflow.exceptions import MlflowException
from mlflow.tracking._tracking_service import utils as tracking_utils
from mlflow.tracking._tracking_service.client import TrackingServiceClient

from labtrack.metrics.capture import capture_for

ARTIFACT_UPLOADS = ("log_artifact", "log_artifacts")


def _history(client, run_id: str, key: str) -> list[tuple[int, float]]:
    return sorted((m.step, m.value) for m in client.get_metric_history(run_id, key))


def _stored_rows(labtrack_home, run_id: str) -> int:
    with sqlite3.connect(labtrack_home / "mlflow.db") as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM metrics WHERE run_uuid = ?", (run_id,)
        ).fetchone()
    return count


def test_points_logged_through_every_api_land_exactly_once(run_cell, client):
    cell = run_cell(
        "%%track --name every-api --no-live\n"
        "import mlflow, labtrack\n"
        "from mlflow.entities import Metric\n"
        "run_id = mlflow.active_run().info.run_id\n"
        "c = mlflow.MlflowClient()\n"
        "for step in range(3):\n"
        "    mlflow.log_metric('fluent', step * 1.0, step=step)\n"
        "    mlflow.log_metrics({'fluent_many': step * 2.0}, step=step)\n"
        "    c.log_metric(run_id, 'client', step * 3.0, step=step)\n"
        "    c.log_batch(run_id, metrics=[Metric('batch', step * 4.0, 1, step)])\n"
        "    mlflow.log_metric('fluent_async', step * 5.0, step=step, synchronous=False)\n"
        "    c.log_batch(run_id, [Metric('batch_async', step * 6.0, 1, step)],\n"
        "                synchronous=False).wait()\n"
        "    labtrack.log_metric('labtrack', step * 7.0, step=step)\n"
        "    labtrack.log_metrics({'labtrack_many': step * 8}, step=step)\n"
    )
    assert cell.result.success, cell.out + cell.err
    keys = ["fluent", "fluent_many", "client", "batch"]
    keys += ["fluent_async", "batch_async", "labtrack", "labtrack_many"]
    for factor, key in enumerate(keys, start=1):
        expected = [(step, step * float(factor)) for step in range(3)]
        assert _history(client, cell.run_id, key) == expected, key


@pytest.fixture
def slow_flush_interval(shell):
    """A flush interval no test waits out, so a point that is in the database early
    was written because the sink chose to, not because an interval happened to end."""
    settings = next(c for c in shell.configurables if type(c).__name__ == "LabtrackConfig")
    saved = settings.flush_interval
    settings.flush_interval = 600.0
    yield
    settings.flush_interval = saved


def test_points_are_buffered_not_written_at_the_call(run_cell, labtrack_home, slow_flush_interval):
    cell = run_cell(
        "%%track --name buffered --no-live\n"
        "import mlflow, sqlite3, os, time\n"
        "db = os.path.join(os.environ['LABTRACK_HOME'], 'mlflow.db')\n"
        "run_id = mlflow.active_run().info.run_id\n"
        "def stored():\n"
        "    with sqlite3.connect(db) as c:\n"
        "        return c.execute('SELECT count(*) FROM metrics WHERE run_uuid = ?',\n"
        "                         (run_id,)).fetchone()[0]\n"
        "mlflow.log_metric('loss', 1.0, step=0)\n"
        "deadline = time.monotonic() + 60\n"
        "while stored() == 0 and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "first_point_rows = stored()\n"
        "mlflow.log_metric('loss', 0.5, step=1)\n"
        "mlflow.log_metric('loss', 0.25, step=2)\n"
        "rows_after_later_calls = stored()\n"
    )
    assert cell.result.success, cell.out + cell.err
    from IPython import get_ipython

    namespace = get_ipython().user_ns
    # A run's first point is written at once (the live plot starts drawing), later
    # points wait in the buffer for the interval; the cell's end stores them.
    assert namespace["first_point_rows"] == 1
    assert namespace["rows_after_later_calls"] == 1
    assert _stored_rows(labtrack_home, cell.run_id) == 3


def test_a_cell_that_logs_ten_thousand_points_then_raises_keeps_them_all(run_cell, client):
    cell = run_cell(
        "%%track --name raises-after-logging --no-live\n"
        "import mlflow\n"
        "for step in range(10_000):\n"
        "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
        "raise RuntimeError('diverged')\n"
    )
    assert not cell.result.success
    run = client.get_run(cell.run_id)
    assert run.info.status == "FAILED"
    history = client.get_metric_history(cell.run_id, "loss")
    assert sorted(m.step for m in history) == list(range(10_000))


def _without_timestamp(message: str) -> str:
    return re.sub(r"timestamp=\d+", "timestamp=…", message)


def test_invalid_points_raise_mlflows_error_at_the_call_and_the_rest_land(run_cell, client):
    expected = {}
    with mlflow.start_run() as plain:  # what MLflow says without labtrack
        for name, key, value in (("key", "bad key!", 1.0), ("value", "loss", "abc")):
            with pytest.raises(MlflowException) as raised:
                mlflow.log_metric(key, value, step=1)
            expected[name] = _without_timestamp(str(raised.value))
    client.delete_run(plain.info.run_id)

    cell = run_cell(
        "%%track --name invalid-points --no-live\n"
        "import mlflow, labtrack\n"
        "from mlflow.exceptions import MlflowException\n"
        "errors = {}\n"
        "mlflow.log_metric('loss', 0.5, step=0)\n"
        "for name, key, value in (('key', 'bad key!', 1.0), ('value', 'loss', 'abc')):\n"
        "    try:\n"
        "        mlflow.log_metric(key, value, step=1)\n"
        "    except MlflowException as error:\n"
        "        errors[name] = str(error)\n"
        "    try:\n"
        "        labtrack.log_metric(key, value, step=1)\n"
        "    except MlflowException as error:\n"
        "        errors['labtrack_' + name] = str(error)\n"
        "mlflow.log_metric('loss', 0.25, step=2)\n"
    )
    assert cell.result.success, cell.out + cell.err
    from IPython import get_ipython

    errors = {k: _without_timestamp(v) for k, v in get_ipython().user_ns["errors"].items()}
    assert errors["key"] == expected["key"] == errors["labtrack_key"]
    assert errors["value"] == expected["value"] == errors["labtrack_value"]
    assert _history(client, cell.run_id, "loss") == [(0, 0.5), (2, 0.25)]
    assert "bad key!" not in client.get_run(cell.run_id).data.metrics


SPECIAL_POINTS = [
    # (key, value, timestamp, step): out-of-order steps, equal steps with different
    # timestamps and values, NaN and ±inf, an exact duplicate.
    ("loss", 0.9, 1000, 5),
    ("loss", 0.8, 1001, 2),
    ("loss", 0.7, 999, 5),
    ("loss", 0.95, 1000, 5),
    ("loss", 0.9, 1000, 5),
    ("nan", float("nan"), 1000, 1),
    ("nan", 3.0, 1000, 1),
    ("inf", float("inf"), 1000, 0),
    ("inf", float("-inf"), 1001, 0),
    ("tie", 2.0, 1000, 3),
    ("tie", float("nan"), 1000, 3),
]


def _comparable(value: float) -> object:
    return "nan" if math.isnan(value) else value


def test_stored_points_and_latest_values_match_plain_mlflow(run_cell, client, shell):
    shell.user_ns["SPECIAL_POINTS"] = SPECIAL_POINTS
    with mlflow.start_run() as plain:
        for key, value, timestamp, step in SPECIAL_POINTS:
            client.log_metric(plain.info.run_id, key, value, timestamp=timestamp, step=step)
    cell = run_cell(
        "%%track --name special-values --no-live\n"
        "import mlflow\n"
        "c = mlflow.MlflowClient()\n"
        "for key, value, timestamp, step in SPECIAL_POINTS:\n"
        "    c.log_metric(mlflow.active_run().info.run_id, key, value,\n"
        "                 timestamp=timestamp, step=step)\n"
    )
    assert cell.result.success, cell.out + cell.err
    expected = client.get_run(plain.info.run_id).data.metrics
    stored = client.get_run(cell.run_id).data.metrics
    # The machine's figures (a cell over a second long gets a sample) are not the point here.
    stored = {k: v for k, v in stored.items() if not k.startswith("system/")}
    assert {k: _comparable(v) for k, v in stored.items()} == {
        k: _comparable(v) for k, v in expected.items()
    }
    assert stored["nan"] == 3.0 and stored["inf"] == -1.7976931348623157e308
    assert stored["tie"] == 2.0  # NaN ranks as the 0 MLflow stores for it
    for key in ("loss", "nan", "inf", "tie"):

        def points(run_id, key=key):
            history = client.get_metric_history(run_id, key)
            return sorted((m.step, m.timestamp, repr(m.value)) for m in history)

        assert points(cell.run_id) == points(plain.info.run_id), key


def test_points_of_child_runs_are_buffered_and_other_runs_pass_through(
    run_cell, client, labtrack_home
):
    experiment = client.create_experiment("unrelated-runs")
    other = client.create_run(experiment)
    cell = run_cell(
        "%%track --name sweep --no-live\n"
        "import mlflow, sqlite3, os\n"
        "from labtrack.metrics.capture import capture_for\n"
        f"other_id = {other.info.run_id!r}\n"
        "db = os.path.join(os.environ['LABTRACK_HOME'], 'mlflow.db')\n"
        "count = lambda run: sqlite3.connect(db).execute(\n"
        "    'SELECT count(*) FROM metrics WHERE run_uuid = ?', (run,)).fetchone()[0]\n"
        "children = []\n"
        "for lr in (0.1, 0.01):\n"
        "    with mlflow.start_run(nested=True) as child:\n"
        "        children.append(child.info.run_id)\n"
        "        for step in range(5):\n"
        "            mlflow.log_metric('loss', lr * step, step=step)\n"
        "        child_buffered = capture_for(child.info.run_id) is not None\n"
        "mlflow.MlflowClient().log_metric(other_id, 'loss', 1.0)\n"
        "other_rows_at_call = count(other_id)\n"
    )
    assert cell.result.success, cell.out + cell.err
    from IPython import get_ipython

    namespace = get_ipython().user_ns
    assert namespace["child_buffered"] is True
    assert namespace["other_rows_at_call"] == 1  # written by MLflow itself, at the call
    for child_id, lr in zip(namespace["children"], (0.1, 0.01), strict=True):
        assert _history(client, child_id, "loss") == [(s, lr * s) for s in range(5)]
        assert client.get_run(child_id).data.tags["mlflow.parentRunId"] == cell.run_id
    assert _stored_rows(labtrack_home, other.info.run_id) == 1


def test_a_cell_reads_back_what_it_just_logged(run_cell):
    cell = run_cell(
        "%%track --name read-back --no-live\n"
        "import mlflow\n"
        "for step in range(100):\n"
        "    mlflow.log_metric('loss', step, step=step)\n"
        "c = mlflow.MlflowClient()\n"
        "read_back = len(c.get_metric_history(mlflow.active_run().info.run_id, 'loss'))\n"
    )
    assert cell.result.success, cell.out + cell.err
    from IPython import get_ipython

    assert get_ipython().user_ns["read_back"] == 100


def test_autologged_metrics_land_once(run_cell, client):
    cell = run_cell(
        "%%track --name autologged --autolog --no-live\n"
        "from sklearn.linear_model import LinearRegression\n"
        "LinearRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 2.1, 2.9])\n"
    )
    assert cell.result.success, cell.out + cell.err
    metrics = client.get_run(cell.run_id).data.metrics
    assert "training_score" in metrics
    for key in metrics:
        assert len(client.get_metric_history(cell.run_id, key)) == 1, key


@pytest.mark.parametrize("ending", ["x = 1", "raise ValueError('bad')", "raise KeyboardInterrupt"])
def test_the_store_is_restored_however_the_cell_ends(run_cell, ending):
    store = tracking_utils._get_store()
    uploads = {name: vars(TrackingServiceClient)[name] for name in ARTIFACT_UPLOADS}
    cell = run_cell(f"%%track --no-live\nimport mlflow\nmlflow.log_metric('m', 1.0)\n{ending}\n")
    intercepted = ("log_metric", "log_batch", "log_batch_async", "log_param", "set_tag")
    assert not any(name in vars(store) for name in intercepted)
    assert {name: vars(TrackingServiceClient)[name] for name in ARTIFACT_UPLOADS} == uploads
    assert capture_for(cell.run_id) is None


def test_params_tags_and_artifacts_of_a_tracked_run_go_to_the_store_at_the_call(
    run_cell, client, tmp_path
):
    # Online, the capture only looks at them: each lands at once, as plain MLflow's would.
    source = tmp_path / "report.txt"
    source.write_text("report")
    cell = run_cell(
        "%%track --name side-writes --no-live\n"
        "import mlflow\n"
        "run_id = mlflow.active_run().info.run_id\n"
        "c = mlflow.MlflowClient()\n"
        "mlflow.log_param('p', 1)\n"
        "mlflow.set_tag('t', 'x')\n"
        "mlflow.log_params({'q': 2})\n"
        f"mlflow.log_artifact({str(source)!r}, 'docs')\n"
        "assert c.get_run(run_id).data.params['q'] == '2'\n"
        "assert [a.path for a in c.list_artifacts(run_id, 'docs')] == ['docs/report.txt']\n"
        "try:\n"
        "    mlflow.log_param('p', 3)\n"
        "except mlflow.exceptions.MlflowException as error:\n"
        "    print('refused', error.error_code)\n"
        "try:\n"
        "    mlflow.set_tag('', 'no key')\n"
        "except mlflow.exceptions.MlflowException as error:\n"
        "    print('refused', error.error_code)\n"
    )
    assert cell.result.success, cell.out + cell.err
    assert cell.out.count("refused INVALID_PARAMETER_VALUE") == 2, cell.out
    run = client.get_run(cell.run_id)
    assert run.data.params["p"] == "1" and run.data.params["q"] == "2"
    assert run.data.tags["t"] == "x"


def test_numpy_numbers_are_stored_like_python_numbers(run_cell, client):
    cell = run_cell(
        "%%track --name numpy-numbers --no-live\n"
        "import mlflow, labtrack, numpy as np\n"
        "for step in np.arange(3):\n"
        "    mlflow.log_metric('fluent', np.float32(step) / 2, step=step)\n"
        "    labtrack.log_metric('labtrack', np.int64(step), step=step)\n"
    )
    assert cell.result.success, cell.out + cell.err
    assert "warning" not in cell.err
    assert _history(client, cell.run_id, "fluent") == [(0, 0.0), (1, 0.5), (2, 1.0)]
    assert _history(client, cell.run_id, "labtrack") == [(0, 0.0), (1, 1.0), (2, 2.0)]


def test_labtrack_log_metric_outside_a_tracked_cell_is_mlflow_log_metric(shell, client):
    import labtrack

    with mlflow.start_run() as plain:
        labtrack.log_metric("loss", 0.5, step=2)
        labtrack.log_metrics({"acc": 0.9, "f1": 0.8}, step=2)
        assert _history(client, plain.info.run_id, "loss") == [(2, 0.5)]  # written at the call
    assert client.get_run(plain.info.run_id).data.metrics == {"loss": 0.5, "acc": 0.9, "f1": 0.8}
