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
from .cell_runs import CellRuns
from .outcome import RunStatus, error_line, format_user_traceback
from .run_end import CellEnd, param_targets


def journal_run_end(
    pending,
    run_id: str,
    status: RunStatus | None,
    error: BaseException | None,
    params: Mapping[str, object] | None,
    texts: Mapping[str, str] | None,
    tags: Mapping[str, str] | None = None,
) -> Path:
    """Append what the run owes at the cell's end to its journal in ``pending`` (its
    status too, unless ``status`` is None: the code ended it); the journal's path."""
    with pending.open(run_id) as journal:
        if params:
            values = {k: str(v)[: T.MAX_PARAM_VALUE] for k, v in params.items()}
            journal.append_operation("params", params=values)
        if tags:
            journal.append_operation("tags", tags=dict(tags))
        for artifact_file, text in (texts or {}).items():
            journal.append_operation("text", artifact_file=artifact_file, text=text)
        if status is not None and status is not RunStatus.FINISHED and error is not None:
            journal.append_operation("tags", tags={T.ERROR: error_line(error)})
            journal.append_operation(
                "text", artifact_file=T.TRACEBACK_ARTIFACT, text=format_user_traceback(error)
            )
        if status is not None:
            journal.append_operation("end", status=status.value, end_time=now_ms())
    return journal.path


def journal_cell_end(pending, runs: CellRuns, end: CellEnd) -> list[Path]:
    """Journal what each run of the cell owes at its end; the journals written."""
    written: list[Path] = []
    targets = {run.run_id for run in param_targets(runs)}
    failing = {run.run_id for run in end.failing}
    for run in runs.all():
        needs_end = run.run_id in failing or run.status == "RUNNING"
        texts = end.texts if run.top_level else {}
        tags = end.tags if run.top_level else {}
        params = end.params if run.run_id in targets else {}
        if needs_end or texts or params or tags:
            path = journal_run_end(
                pending,
                run.run_id,
                end.status if needs_end else None,
                end.error if needs_end else None,
                params,
                texts,
                tags,
            )
            written.append(path)
            if needs_end:  # the status it will have once the server takes the journal
                runs.status_changed(run.run_id, end.status.value, now_ms())
    return written


def forget_active_runs(outer_run_id: str | None) -> None:
    """Take the cell's runs off MLflow's active-run stack without asking the server
    (``mlflow.end_run`` would): their end is journaled."""
    from mlflow.tracking import fluent

    stack = fluent._active_run_stack.get()
    while stack and stack[-1].info.run_id != outer_run_id:
        stack.pop()
