"""A run's end kept on disk while its tracking server does not answer.

MLflow's client would retry each end-of-cell write (params, the notebook snapshot, the
error, the status) for minutes; instead they join the run's journal and are sent with
its points when the server answers again (``labtrack.offline``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .. import tags as T
from ..runtime.liveness import now_ms
from .outcome import RunStatus, error_line, format_user_traceback


def journal_run_end(
    pending,
    run_id: str,
    status: RunStatus,
    error: BaseException | None,
    params: Mapping[str, object] | None,
    texts: Mapping[str, str] | None,
) -> Path:
    """Append the run's end to its journal in ``pending``; the journal's path."""
    with pending.open(run_id) as journal:
        if params:
            values = {k: str(v)[: T.MAX_PARAM_VALUE] for k, v in params.items()}
            journal.append_operation("params", params=values)
        for artifact_file, text in (texts or {}).items():
            journal.append_operation("text", artifact_file=artifact_file, text=text)
        if status is not RunStatus.FINISHED and error is not None:
            journal.append_operation("tags", tags={T.ERROR: error_line(error)})
            journal.append_operation(
                "text", artifact_file=T.TRACEBACK_ARTIFACT, text=format_user_traceback(error)
            )
        journal.append_operation("end", status=status.value, end_time=now_ms())
    return journal.path


def forget_active_runs(outer_run_id: str | None) -> None:
    """Take the cell's runs off MLflow's active-run stack without asking the server
    (``mlflow.end_run`` would): their end is journaled."""
    from mlflow.tracking import fluent

    stack = fluent._active_run_stack.get()
    while stack and stack[-1].info.run_id != outer_run_id:
        stack.pop()
