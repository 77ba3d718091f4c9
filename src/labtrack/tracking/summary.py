"""What a tracked cell prints when it ends: one line per run it opened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .cell_runs import CellRuns
from .outcome import RunStatus, error_line


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    run_name: str
    experiment_id: str
    experiment_name: str
    status: str
    seconds: float
    error: str | None = None
    own: bool = False

    def line(self) -> str:
        text = (
            f"labtrack: run {self.run_name} ({self.run_id}) in experiment "
            f"'{self.experiment_name}' {self.status} after {self.seconds:.1f}s"
        )
        return f"{text}: {self.error}" if self.error else text


@dataclass(frozen=True)
class CellSummary:
    status: RunStatus
    # The cell's top-level runs: those its code opened, in order, then its own run.
    runs: tuple[RunSummary, ...]
    seconds: float
    warnings: tuple[str, ...] = ()
    # Ctrl-C arrived while the runs' end was being written; the caller re-raises it.
    interrupted_while_saving: bool = False
    # Set when the runs (or part of them) wait on this machine for the server to answer.
    kept_offline: str | None = None

    @property
    def primary(self) -> RunSummary | None:
        """The run that stands for the cell (its own run, else the first one opened)."""
        own = [run for run in self.runs if run.own]
        if own:
            return own[-1]
        return self.runs[0] if self.runs else None

    def lines(self) -> list[str]:
        lines = [run.line() for run in self.runs]
        if self.kept_offline and lines:
            lines[-1] = f"{lines[-1]}; {self.kept_offline}"
        return lines


def summarize(
    runs: CellRuns,
    status: RunStatus,
    error: BaseException | None,
    *,
    seconds: float,
    warnings: Sequence[str] = (),
    interrupted_while_saving: bool = False,
    kept_offline: str | None = None,
    experiment_names: dict[str, str] | None = None,
) -> CellSummary:
    names = dict(experiment_names or {})
    top = sorted(runs.top_level(), key=lambda run: run.own)  # the code's runs, then own
    for run in top:
        if run.experiment_id not in names:
            names[run.experiment_id] = _experiment_name(run.experiment_id)
    summaries = tuple(
        RunSummary(
            run_id=run.run_id,
            run_name=run.name,
            experiment_id=run.experiment_id,
            experiment_name=names[run.experiment_id],
            status=run.status,
            seconds=_seconds(run.start_time_ms, run.end_time_ms, seconds),
            error=error_line(error) if error is not None and run.status != "FINISHED" else None,
            own=run.own,
        )
        for run in top
    )
    return CellSummary(
        status=status,
        runs=summaries,
        seconds=seconds,
        warnings=tuple(warnings),
        interrupted_while_saving=interrupted_while_saving,
        kept_offline=kept_offline,
    )


def _seconds(start_ms: int, end_ms: int | None, fallback: float) -> float:
    if not start_ms or not end_ms or end_ms < start_ms:
        return fallback
    return (end_ms - start_ms) / 1000


def _experiment_name(experiment_id: str) -> str:
    try:
        import mlflow

        experiment = mlflow.MlflowClient().get_experiment(experiment_id)
        return experiment.name if experiment is not None else experiment_id
    except Exception:  # the server went away: the id still names it
        return experiment_id
