"""Ending a tracked cell's runs with the status each one earned.

A run the code ended itself keeps the status the code gave it, unless the cell's own
error ended it on the way out (a ``with mlflow.start_run()`` block left by the
exception): that run, and every run still RUNNING when the cell ends, takes the cell's
status (an interrupt is KILLED, not MLflow's FAILED) and, when the cell failed, its
error line and traceback. Params the cell asked for (``--params``) and the notebook
snapshot are stored before any status changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import tags as T
from ..metrics.operations import log_params
from ..runtime.liveness import now_ms
from .cell_runs import CellRun, CellRuns
from .outcome import RunStatus, error_line, format_user_traceback


@dataclass(frozen=True)
class CellEnd:
    status: RunStatus
    error: BaseException | None
    # The runs the cell's outcome ends (still RUNNING, or ended by the cell's error).
    failing: list[CellRun] = field(default_factory=list)
    params: Mapping[str, object] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    # Tags for every top-level run, set at the end (e.g. whether the snapshot is stale).
    tags: Mapping[str, str] = field(default_factory=dict)


def param_targets(runs: CellRuns) -> list[CellRun]:
    """``--params`` describe the cell's own run; without one, every run the code opened."""
    return runs.own() or runs.top_level()


def finish_runs(client, runs: CellRuns, end: CellEnd) -> list[str]:
    """Store params and texts, then set each run's status; the warnings, never raises."""
    warnings: list[str] = []
    if end.params:
        for run in param_targets(runs):
            warnings.extend(_log_params(client, run.run_id, end.params))
    for run in runs.top_level():
        for key, value in end.tags.items():
            _attempt(warnings, f"set {key}", client.set_tag, run.run_id, key, value)
        for artifact_file, text in end.texts.items():
            _attempt(
                warnings, f"store {artifact_file}", client.log_text, run.run_id, text, artifact_file
            )
    failing = {run.run_id for run in end.failing}
    for run in runs.all():
        if run.run_id not in failing and run.status != "RUNNING":
            continue
        if run.status != end.status.value:
            end_time = run.end_time_ms or now_ms()
            _attempt(
                warnings,
                "end a run",
                client.set_terminated,
                run.run_id,
                status=end.status.value,
                end_time=end_time,
            )
            runs.status_changed(run.run_id, end.status.value, end_time)
        if end.status is not RunStatus.FINISHED and end.error is not None:
            warnings.extend(_record_error(client, run.run_id, end.error))
    return warnings


def _record_error(client, run_id: str, error: BaseException) -> list[str]:
    warnings: list[str] = []
    _attempt(warnings, "record the error", client.set_tag, run_id, T.ERROR, error_line(error))
    _attempt(
        warnings,
        "store the traceback",
        client.log_text,
        run_id,
        format_user_traceback(error),
        T.TRACEBACK_ARTIFACT,
    )
    return warnings


def _attempt(warnings: list[str], what: str, action, *args, **kwargs) -> None:
    try:
        action(*args, **kwargs)
    except Exception as error:
        warnings.append(f"could not {what}: {type(error).__name__}: {error}")


def _log_params(client, run_id: str, params: Mapping[str, object]) -> list[str]:
    try:
        log_params(client, run_id, params)
    except Exception as error:
        return [f"could not log params: {error}"]
    return []
