"""Every run a tracked cell opened, as the tracking store saw it being created and ended.

The metric capture (``labtrack.metrics.capture``) shows each ``create_run`` and
``update_run_info`` of the store to ``CellRuns`` while the cell runs, whichever way the
run was made: the user's ``mlflow.start_run``, an ``MlflowClient().create_run``,
autologging's runs, Optuna's trials, the cell's own run. A run whose parent is not one
of the cell's runs is *top-level* (a run the code opened itself, or the cell's own);
the others are its descendants.

Before a run is created, ``tags_for`` adds labtrack's context to it, in the same write
(the notebook, cell, git and environment tags on every run; the kernel's ownership tags,
which let a dead kernel's runs be found, on top-level runs). The user's own tags win
where both name the same key, except MLflow's source tags, which labtrack knows better
inside a notebook.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .. import tags as T

TERMINAL = frozenset({"FINISHED", "FAILED", "KILLED"})
# Tags labtrack sets even over what MLflow resolved: inside a notebook MLflow names the
# kernel's launcher script as the source.
_LABTRACK_KNOWS_BETTER = frozenset({T.SOURCE_NAME, T.SOURCE_TYPE})


@dataclass
class CellRun:
    run_id: str
    name: str
    experiment_id: str
    parent_id: str | None
    top_level: bool
    start_time_ms: int
    own: bool = False  # the cell's own run (not one the code opened)
    status: str = "RUNNING"
    end_time_ms: int | None = None
    # The exception in flight when the code ended it, if any (see FluentHooks.EndedRun).
    ended_during: BaseException | None = field(default=None, repr=False)


class CellRuns:
    """The runs of one tracked cell, in the order they were created (thread-safe)."""

    def __init__(
        self,
        context_tags: Mapping[str, str],
        top_level_tags: Callable[[], Mapping[str, str]],
    ) -> None:
        self._context_tags = dict(context_tags)
        self._top_level_tags = top_level_tags
        self._runs: dict[str, CellRun] = {}
        self._lock = threading.Lock()
        self._listeners: list[Callable[[CellRun], None]] = []
        # The next run created is the cell's own (set while the cell starts it).
        self.creating_own = False

    # -- what the store shows -----------------------------------------------------------

    def tags_for(self, tags: list, parent_id: str | None) -> list:
        """``tags`` (MLflow ``RunTag``s of a run about to be created) with labtrack's."""
        from mlflow.entities import RunTag

        given = {tag.key: tag.value for tag in tags}
        extra = dict(self._context_tags)
        if not self.is_cell_run(parent_id):
            extra.update(self._top_level_tags())
        merged = dict(given)
        for key, value in extra.items():
            if key not in given or key in _LABTRACK_KNOWS_BETTER:
                merged[key] = value
        return [RunTag(key, str(value)) for key, value in merged.items()]

    def created(self, run) -> CellRun:
        info = run.info
        parent = run.data.tags.get(T.PARENT_RUN_ID)
        with self._lock:
            record = CellRun(
                run_id=info.run_id,
                name=info.run_name or "",
                experiment_id=info.experiment_id,
                parent_id=parent,
                top_level=parent not in self._runs,
                start_time_ms=info.start_time or 0,
                own=self.creating_own,
            )
            self._runs[info.run_id] = record
            listeners = list(self._listeners)
        for listener in listeners:
            listener(record)
        return record

    def status_changed(self, run_id: str, status: str | None, end_time_ms: int | None) -> None:
        with self._lock:
            record = self._runs.get(run_id)
            if record is None or status is None:
                return
            record.status = status
            if status in TERMINAL:
                record.end_time_ms = end_time_ms
            else:  # resumed (start_run(run_id=…))
                record.end_time_ms = None

    def ended_by_code(self, run_id: str, in_flight: BaseException | None) -> None:
        with self._lock:
            record = self._runs.get(run_id)
            if record is not None:
                record.ended_during = in_flight

    # -- what the cell asks ---------------------------------------------------------------

    def on_created(self, listener: Callable[[CellRun], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def is_cell_run(self, run_id: str | None) -> bool:
        with self._lock:
            return run_id is not None and run_id in self._runs

    def all(self) -> list[CellRun]:
        with self._lock:
            return list(self._runs.values())

    def top_level(self) -> list[CellRun]:
        return [run for run in self.all() if run.top_level]

    def own(self) -> list[CellRun]:
        return [run for run in self.all() if run.own]

    def get(self, run_id: str) -> CellRun | None:
        with self._lock:
            return self._runs.get(run_id)
