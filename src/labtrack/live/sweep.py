"""The sweep panel of a live plot: the finished child runs (trials) of the tracked run,
as the columns the parallel-coordinates builder draws.

A trial is shown once it has ended (its params are all logged and its metric buffer
was flushed when it ended), so each one appears with its final values. The panel is
re-read when a new trial ends: a sweep ends a trial every second or so, and a read of
a few hundred trials through the façade's SQL path costs milliseconds.
"""

from __future__ import annotations

from .history import Roots, RunState

# More trials than this are shown as the newest ones (parcoords stays fast, the trait small).
MAX_TRIALS = 2000


class SweepPanel:
    def __init__(self, roots: Roots, facade_source) -> None:
        self._roots = roots
        self._facade_source = facade_source  # () -> TrackingFacade
        self._shown: tuple[str, ...] = ()

    def trials(self, runs: dict[str, RunState]) -> list[str]:
        """Ended direct children of the sweep's parent, in the order they appeared. The
        parent is the root run with the most ended children (a cell may open several
        runs; the one holding the trials is the sweep)."""
        by_parent: dict[str, list[str]] = {}
        for run in runs.values():
            if run.ended and run.parent_id is not None:
                by_parent.setdefault(run.parent_id, []).append(run.run_id)
        candidates = [by_parent[root] for root in self._roots() if root in by_parent]
        if not candidates:
            return []
        return max(candidates, key=len)[-MAX_TRIALS:]

    def update(self, runs: dict[str, RunState]) -> dict | None:
        """The panel's new content when another trial ended, else None."""
        trials = tuple(self.trials(runs))
        if not trials or trials == self._shown:
            return None
        matrix = self._facade_source().compare(list(trials))
        self._shown = trials
        return {
            "runs": [
                {"run_id": r.run_id, "run_name": r.run_name, "status": r.status}
                for r in matrix.runs
            ],
            "params": [{"key": c.key, "values": c.values} for c in matrix.params],
            "metrics": [{"key": c.key, "values": c.values} for c in matrix.metrics],
        }
