"""The live plot under a tracked cell: shown as the cell starts, fed while it runs.

A cell may not have a run when it starts (its code opens its own runs, or the cell's
run starts at the first logging call), so the plot starts as the cell's card and takes
its header from the run that stands for the cell once one exists; every top-level run
the cell opens is a trace of its own, labelled with its name, as child runs are.
"""

from __future__ import annotations

import sys
import time

from ..tracking.cell_runs import CellRun
from ..tracking.session import TrackedCell


def show_live_plot(cell: TrackedCell, steps: int | None, experiment_name: str = ""):
    """Display the cell's live plot and start feeding it; tracking goes on without it if
    widgets cannot load."""
    try:
        import mlflow

        from ..live.feed import LiveFeed
        from ..live.history import RunState, open_reader
        from ..live.newest_images import NewestImages
        from ..widgets.live_plot import LivePlot

        widget = LivePlot(
            run_id="",
            run_name=cell.request.run_name or "",
            experiment_name=experiment_name,
            status="RUNNING",
            start_time_ms=cell.start_time_ms,
            steps_total=steps,
        )
        widget.show()  # with a display id: show_final replaces it in place

        def roots() -> list[str]:
            return [run.run_id for run in cell.runs.top_level()]

        def run_states() -> dict[str, RunState]:
            return {
                run.run_id: RunState(
                    run.run_id, run.name, run.status, run.parent_id, run.end_time_ms
                )
                for run in cell.runs.all()
            }

        def primary() -> str | None:
            run = cell.primary_run()
            return run.run_id if run is not None else None

        reader = open_reader(
            mlflow.get_tracking_uri(), roots, sink=cell.metric_sink, run_states=run_states
        )
        cell.runs.on_created(lambda run: _take_header(widget, cell, run))
        images = NewestImages()
        cell.on_upload(images.uploaded)
        feed = LiveFeed(
            widget, reader, follow_tqdm_since=time.time() - 1, primary=primary, images=images
        )
        return feed.start()
    except Exception as error:
        print(f"labtrack: warning: cannot show the live plot: {error}", file=sys.stderr)
        return None


def _take_header(widget, cell: TrackedCell, run: CellRun) -> None:
    """The card names the run that stands for the cell (its own run, else the first
    one its code opened)."""
    if not run.top_level or cell.primary_run() is not run:
        return
    try:
        widget.run_id = run.run_id
        widget.run_name = run.name
        widget.start_time_ms = run.start_time_ms or widget.start_time_ms
        name = _experiment_name(run.experiment_id)
        if name:
            widget.experiment_name = name
    except Exception as error:  # a closed front end must not stop the user's code
        print(f"labtrack: warning: cannot update the live plot: {error}", file=sys.stderr)


def _experiment_name(experiment_id: str) -> str:
    try:
        import mlflow

        experiment = mlflow.MlflowClient().get_experiment(experiment_id)
        return experiment.name if experiment is not None else ""
    except Exception:
        return ""


def finish_live_plot(feed, summary) -> None:
    """After the runs ended (their points flushed): last points, final header and status,
    and the output replaced in place by its final, static-bearing form."""
    try:
        primary = summary.primary
        if primary is not None:
            widget = feed.widget
            widget.run_id = primary.run_id
            widget.run_name = primary.run_name
            widget.experiment_name = primary.experiment_name
        feed.finish(summary.status.value, int(time.time() * 1000))
        feed.widget.show_final()
    except Exception as error:  # a closed front end must not hide the cell's outcome
        print(f"labtrack: warning: cannot update the live plot: {error}", file=sys.stderr)
