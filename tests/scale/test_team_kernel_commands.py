"""The kernel side against the team's ``mlflow server`` (PostgreSQL, S3 through the proxy):
the live plot under ``%%track``, ``%track watch``, ``%track compare`` and the registry
commands, each in one real kernel told only ``MLFLOW_TRACKING_URI``.

Widgets are read back from the kernel (a probe cell prints their state as JSON), as the
browser-less kernel tests do with the shell's objects.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import uuid

import pytest
from mlflow import MlflowClient
from real_kernels import RealKernel, kernel_env

TAG = uuid.uuid4().hex[:6]
EXPERIMENT = f"team-kernel-{TAG}"
RUN_LINE = re.compile(r"labtrack: run (\S+) \(([0-9a-f]{32})\) in experiment '([^']+)' (\w+)")
LIVE_STEPS = 60

WIDGET_STATE = textwrap.dedent(
    """
    import json as _json
    _w = get_ipython().magics_manager.registry['TrackMagics'].{attribute}
    print('STATE ' + _json.dumps({{
        'run_id': _w.run_id,
        'status': _w.status,
        'mode': _w.mode,
        'points': _w.channel.point_count(_w.run_id, 'loss'),
        'last': _w.channel.last_point(_w.run_id, 'loss'),
        'sent': sum(t['n'] for m in _w.recent_messages for t in m.content['traces']
                    if (t['run'], t['key']) == (_w.run_id, 'loss')),
        'seqs': [m.content['seq'] for m in _w.recent_messages],
        'progress': [_w.steps_done, _w.steps_total],
    }}))
    """
)


def _state(kernel: RealKernel, attribute: str) -> dict:
    reply = kernel.execute(WIDGET_STATE.format(attribute=attribute))
    assert reply.status == "ok", reply.stderr
    (line,) = [ln for ln in reply.stdout.splitlines() if ln.startswith("STATE ")]
    return json.loads(line[len("STATE ") :])


def _tracked_run_id(reply) -> str:
    found = RUN_LINE.findall(reply.stdout)
    assert reply.status == "ok" and found, f"{reply.stdout}\n{reply.stderr}"
    return found[-1][1]


@pytest.fixture(scope="module")
def client(team_server) -> MlflowClient:
    return MlflowClient(tracking_uri=team_server.url, registry_uri=team_server.url)


@pytest.fixture(scope="module")
def kernel(team_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("team-kernel")
    kernel = RealKernel(folder, kernel_env(folder / "home", MLFLOW_TRACKING_URI=team_server.url))
    try:
        assert kernel.execute("%load_ext labtrack").status == "ok"
        yield kernel
    finally:
        kernel.shutdown()


def test_the_live_plot_receives_every_point_while_tracking_against_the_server(kernel, client):
    # Given a tracked cell that logs for a while against the team server
    reply = kernel.execute(
        f"%%track --experiment {EXPERIMENT} --name live --steps {LIVE_STEPS}\n"
        "import time, mlflow\n"
        f"for step in range({LIVE_STEPS}):\n"
        "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
        "    time.sleep(0.02)\n",
        timeout=300,
    )
    run_id = _tracked_run_id(reply)
    # Then the kernel's live plot got every stored point, sent once, in numbered updates
    state = _state(kernel, "last_live_plot")
    history = client.get_metric_history(run_id, "loss")
    assert len(history) == LIVE_STEPS
    assert (state["run_id"], state["status"], state["mode"]) == (run_id, "FINISHED", "track")
    assert state["points"] == state["sent"] == LIVE_STEPS
    assert state["last"][2] == pytest.approx(1.0 / LIVE_STEPS)
    assert len(state["seqs"]) > 1, "the points came in one message, not live"
    assert state["seqs"] == list(range(1, len(state["seqs"]) + 1))
    assert state["progress"] == [LIVE_STEPS, LIVE_STEPS]


WRITER = textwrap.dedent(
    """
    import sys, time, mlflow
    mlflow.set_experiment(sys.argv[1])
    with mlflow.start_run(run_name="script-run") as run:
        print(run.info.run_id, flush=True)
        sys.stdin.readline()  # wait until the notebook watches
        for step in range(30):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
            time.sleep(0.05)
    """
)

WAIT_FOR_FEED = textwrap.dedent(
    """
    import time as _time
    _feed = get_ipython().magics_manager.registry['TrackMagics'].last_watch.feed
    _deadline = _time.monotonic() + 60
    while _feed.running and _time.monotonic() < _deadline:
        _time.sleep(0.05)
    print('FEED', 'running' if _feed.running else 'stopped', _feed.errors)
    """
)


def test_track_watch_follows_a_run_another_process_writes_to_the_server(
    kernel, client, team_server
):
    # Given a script logging to the team server with plain MLflow
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, EXPERIMENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")},
            "MLFLOW_TRACKING_URI": team_server.url,
            "MLFLOW_DISABLE_TELEMETRY": "true",
        },
    )
    try:
        run_id = writer.stdout.readline().strip()
        assert re.fullmatch(r"[0-9a-f]{32}", run_id), run_id
        # When the notebook watches it, then lets it log
        watched = kernel.execute(f"%track watch {run_id} --steps 30")
        assert watched.status == "ok", watched.stderr
        writer.stdin.write("go\n")
        writer.stdin.flush()
        assert writer.wait(timeout=120) == 0
        waited = kernel.execute(WAIT_FOR_FEED, timeout=120)
    finally:
        writer.kill()
    # Then the plot followed the run and stopped by itself with its final state
    assert "FEED stopped []" in waited.stdout, waited.stdout + waited.stderr
    state = _state(kernel, "last_watch")
    assert (state["run_id"], state["status"], state["mode"]) == (run_id, "FINISHED", "watch")
    assert state["points"] == state["sent"] == len(client.get_metric_history(run_id, "loss")) == 30
    assert len(state["seqs"]) > 1
    assert state["progress"] == [30, 30]


COMPARE_STATE = textwrap.dedent(
    """
    import json as _json
    _c = get_ipython().run_line_magic('track', 'compare --last 3 --experiment {experiment}')
    print('COMPARE ' + _json.dumps({{'runs': list(_c.run_ids), 'metrics': list(_c.metric_keys),
                                     'params': [p['key'] for p in _c.params]}}))
    """
)


def test_track_compare_reads_the_servers_runs(kernel, client):
    # Given three tracked runs with a parameter and a metric, in their own experiment
    experiment = f"team-compare-{TAG}"
    run_ids = []
    for lr in (0.1, 0.01, 0.001):
        reply = kernel.execute(
            f"%%track --experiment {experiment} --no-live\n"
            "import mlflow\n"
            f"mlflow.log_param('lr', {lr})\n"
            f"mlflow.log_metric('auc', {1 - lr})\n"
        )
        run_ids.append(_tracked_run_id(reply))
    # When the notebook compares the last three
    reply = kernel.execute(COMPARE_STATE.format(experiment=experiment))
    assert reply.status == "ok", reply.stderr
    (line,) = [ln for ln in reply.stdout.splitlines() if ln.startswith("COMPARE ")]
    compared = json.loads(line[len("COMPARE ") :])
    # Then the widget holds those runs with their parameter and metric
    assert sorted(compared["runs"]) == sorted(run_ids)
    assert compared["metrics"] == ["auc"] and "lr" in compared["params"]


TRAIN = (
    "%%track --experiment {experiment} --name registry-train --no-live\n"
    "import mlflow, numpy as np\n"
    "from sklearn.linear_model import LinearRegression\n"
    "x = np.arange(10.0).reshape(-1, 1)\n"
    "mlflow.sklearn.log_model(LinearRegression().fit(x, {scale} * x.ravel()), name='model',\n"
    "                         pip_requirements=['scikit-learn'])\n"
)


def test_register_promote_and_rollback_from_the_kernel(kernel, client, team_server):
    model = f"team-model-{TAG}"
    # Given two tracked runs that logged models (uploaded through the server's proxy)
    runs = [
        _tracked_run_id(
            kernel.execute(TRAIN.format(experiment=EXPERIMENT, scale=scale), timeout=300)
        )
        for scale in (2, 3)
    ]
    info = client.get_run(runs[0]).info
    keys = team_server.s3_keys_of_run(info.experiment_id, info.run_id)
    assert any(key.endswith("/MLmodel") for key in keys) or client.search_logged_models(
        experiment_ids=[info.experiment_id], filter_string=f"source_run_id = '{runs[0]}'"
    )

    def line(code: str) -> str:
        reply = kernel.execute(code)
        assert reply.status == "ok", f"{code}: {reply.stdout}{reply.stderr}"
        return reply.stdout

    # When the notebook registers, promotes and rolls back with %track commands
    out = line(f"%track register {runs[0]} --name {model} --alias candidate --tag team=ml")
    assert f"registered {model} version 1 as @candidate (run {runs[0]})" in out
    out = line("%track register --name " + model)  # defaults to the last tracked run
    assert f"registered {model} version 2 (run {runs[1]})" in out
    out = line(f"%track promote {model} 1 --alias champion --stage Production")
    assert f"{model} version 1 is now @champion Production" in out
    line(f"%track promote {model} 2 --alias champion --stage Production --archive-existing")
    out = line(f"%track rollback {model} --alias champion")
    assert f"{model} @champion rolled back to version 1" in out
    history = line(f"%track history {model}")
    # Then the server holds the outcome and labtrack's audit trail of every step
    assert client.get_model_version_by_alias(model, "champion").version == "1"
    assert client.get_model_version_by_alias(model, "candidate").run_id == runs[0]
    assert client.get_model_version(model, "1").tags["team"] == "ml"
    assert client.get_model_version(model, "2").current_stage == "Production"
    assert client.get_model_version(model, "1").current_stage == "Archived"
    assert "rolled back @champion 2 → 1" in history
    assert history.count("registered version") == 2
    # And loading the champion reads the model back through the proxy
    loaded = line(
        "import numpy as np, labtrack\n"
        f"_champion = labtrack.load_model('{model}@champion')\n"
        "print('PRED', round(float(_champion.predict(np.array([[4.0]]))[0]), 6))"
    )
    assert "PRED 8.0" in loaded
