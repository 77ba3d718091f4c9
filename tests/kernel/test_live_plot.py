"""The live plot in a real IPython shell against the embedded store: what the widget
receives under a tracked cell, and ``%track watch`` following another process's run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import mlflow
import pytest
from IPython.core.error import UsageError

import labtrack


@pytest.fixture
def magics(shell):
    return shell.magics_manager.registry["TrackMagics"]


def sent_points(widget, run_id: str, key: str) -> int:
    return sum(
        t["n"]
        for m in widget.recent_messages
        for t in m.content["traces"]
        if (t["run"], t["key"]) == (run_id, key)
    )


def test_the_live_plot_receives_every_point_of_the_cell_and_its_child_runs(
    run_cell, client, magics
):
    # Given a tracked cell that logs for a while, in itself and in a nested child run
    cell = run_cell(
        "%%track --name live-kernel --steps 40\n"
        "import time, mlflow\n"
        "for step in range(40):\n"
        "    mlflow.log_metric('loss', 1 / (step + 1), step=step)\n"
        "    time.sleep(0.01)\n"
        "with mlflow.start_run(run_name='child', nested=True) as child:\n"
        "    for step in range(5):\n"
        "        mlflow.log_metric('loss', 2.0 - step, step=step)\n"
    )
    assert cell.result.success, cell.out + cell.err
    widget = magics.last_live_plot
    # Then the widget ends FINISHED with the run's history, sent once, in numbered updates
    assert widget.run_id == cell.run_id and widget.status == "FINISHED"
    assert widget.end_time_ms >= widget.start_time_ms
    history = client.get_metric_history(cell.run_id, "loss")
    assert widget.channel.point_count(cell.run_id, "loss") == len(history) == 40
    assert sent_points(widget, cell.run_id, "loss") == 40
    assert widget.channel.last_point(cell.run_id, "loss")[2] == history[-1].value
    seqs = [m.content["seq"] for m in widget.recent_messages]
    assert seqs == list(range(1, len(seqs) + 1))
    # And the child run is a trace of its own, named
    (child_id,) = [r for r in widget.runs if r != cell.run_id]
    assert widget.runs[child_id]["name"] == "child"
    assert widget.runs[child_id]["parent"] == cell.run_id
    assert widget.channel.point_count(child_id, "loss") == 5
    # And --steps drives the progress bar
    assert (widget.steps_done, widget.steps_total) == (40, 40)


def test_a_failing_cell_leaves_a_failed_live_plot_with_the_points_logged_before(run_cell, magics):
    cell = run_cell(
        "%%track\nimport mlflow\nmlflow.log_metric('loss', 0.5, step=0)\nraise ValueError('x')\n"
    )
    assert not cell.result.success
    widget = magics.last_live_plot
    assert widget.status == "FAILED"
    assert widget.channel.point_count(cell.run_id, "loss") == 1


def test_an_interrupted_cell_leaves_a_killed_live_plot(run_cell, magics):
    cell = run_cell("%%track\nraise KeyboardInterrupt\n")
    assert not cell.result.success
    assert magics.last_live_plot.status == "KILLED"


def test_no_live_shows_no_plot(run_cell, magics):
    # Where widgets cannot render (this shell), a shown plot prints its text form:
    # "labtrack run NAME (ID) RUNNING"; the summary line says "labtrack: run".
    shown = run_cell("%%track\nimport mlflow\nmlflow.log_metric('loss', 1.0)\n")
    assert "labtrack run " in shown.out
    magics.last_live_plot = None
    cell = run_cell("%%track --no-live\nimport mlflow\nmlflow.log_metric('loss', 1.0)\n")
    assert cell.result.success
    assert magics.last_live_plot is None
    assert "labtrack run " not in cell.out


def test_steps_must_be_positive(run_cell):
    cell = run_cell("%%track --steps 0\nx = 1\n")
    assert isinstance(cell.result.error_in_exec, UsageError)


WRITER = textwrap.dedent(
    """
    import sys, time, mlflow
    mlflow.set_tracking_uri(sys.argv[1])
    with mlflow.start_run(run_name="script-run") as run:
        print(run.info.run_id, flush=True)
        sys.stdin.readline()  # wait until the test watches
        for step in range(30):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
            time.sleep(0.05)
    """
)


def test_track_watch_follows_a_run_written_by_another_process_until_it_ends(shell, magics, client):
    # Given a script logging to the same store with plain MLflow
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, mlflow.get_tracking_uri()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"},
    )
    try:
        run_id = writer.stdout.readline().strip()
        # When the notebook watches it
        shell.run_line_magic("track", f"watch {run_id} --steps 30")
        widget = magics.last_watch
        assert widget.run_id == run_id and widget.mode == "watch"
        assert widget.run_name == "script-run" and widget.status == "RUNNING"
        writer.stdin.write("go\n")
        writer.stdin.flush()
        assert writer.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while widget.feed.running and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        writer.kill()
    # Then the plot followed the run while it ran, then stopped with its final state
    assert not widget.feed.running
    assert widget.status == "FINISHED" and widget.end_time_ms
    history = client.get_metric_history(run_id, "loss")
    assert widget.channel.point_count(run_id, "loss") == len(history) == 30
    assert sent_points(widget, run_id, "loss") == 30
    assert len(widget.recent_messages) > 2  # points arrived in several updates
    assert (widget.steps_done, widget.steps_total) == (30, 30)


def test_watch_of_an_unknown_run_is_a_one_line_error(shell):
    with pytest.raises(UsageError, match="cannot watch"):
        shell.run_line_magic("track", "watch 0123456789abcdef0123456789abcdef")
    with pytest.raises(UsageError, match="usage: %track watch"):
        shell.run_line_magic("track", "watch")


def test_labtrack_watch_returns_the_plot_of_a_finished_run_whole(shell, client):
    run_id = client.create_run("0", run_name="done").info.run_id
    for step in range(3):
        client.log_metric(run_id, "acc", step / 3, step=step)
    client.set_terminated(run_id)
    widget = labtrack.watch(run_id)
    deadline = time.monotonic() + 10
    while widget.feed.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert widget.status == "FINISHED"
    assert widget.channel.point_count(run_id, "acc") == 3


def test_the_live_plot_holds_the_newest_image_of_each_key_and_its_system_figures(run_cell, magics):
    # Given a tracked cell that logs stepped images of two keys (mlflow.log_image saves on
    # MLflow's own thread, the client's log_image at the call), sampled every half second
    cell = run_cell(
        "%%track --name live-images --system-metrics-interval 0.5\n"
        "import time, mlflow, numpy as np\n"
        "for step in range(4):\n"
        "    mlflow.log_image(np.full((6, 6, 3), 60 * step, np.uint8), key='pred', step=step)\n"
        "    time.sleep(0.3)\n"
        "run_id = mlflow.active_run().info.run_id  # and one through the client (synchronous)\n"
        "mask = np.zeros((4, 4), np.uint8)\n"
        "mlflow.MlflowClient().log_image(run_id, mask, key='val/mask', step=1)\n"
    )
    assert cell.result.success, cell.out + cell.err
    widget = magics.last_live_plot
    # Then the widget holds each key's newest image, MLflow's small WebP copy
    assert {key: image["step"] for key, image in widget.images.items()} == {
        "pred": 3,
        "val/mask": 1,
    }
    assert (
        widget.images["pred"]["data"][:4] == b"RIFF" and widget.images["pred"]["run"] == cell.run_id
    )
    # And the system metrics reached its channel, for the System row
    assert widget.channel.point_count(cell.run_id, "system/cpu_utilization_percentage") >= 2
