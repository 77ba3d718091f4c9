"""The life of one tracked cell: the runs its code opens, its own run if it needs one,
and a truthful end for each.

No IPython here: the magic hands over the cell's origin and outcome, this module talks
to MLflow. The rule (docs/your-mlflow-code.md): whatever runs the cell's code would make
without ``%%track`` it makes with it, in the experiments it chose, with the names,
nesting and values it gave; labtrack adds its context, buffered points and a truthful
status to each of them. The cell's own run exists only when the code logs outside any
run it opened, asks for a parent (``start_run(nested=True)``), or opens no run at all.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping

from .. import tags as T
from ..metrics.capture import MetricCapture, start_capture
from ..metrics.sink import Announcement, MetricSink
from ..runtime.liveness import Heartbeat, ProcessIdentity, now_ms
from .active_experiment import ActiveExperiment
from .cell_runs import CellRun, CellRuns
from .context import RunContext
from .fluent_hooks import EndedRun, FluentHooks
from .journaled_end import forget_active_runs
from .outcome import RunStatus, deferred_interrupts, outcome_of
from .request import OwnRunRefused, RunRequest, TrackingError
from .run_end import CellEnd, finish_runs
from .server_link import ServerLink
from .summary import CellSummary, summarize
from .system_metrics import CellSystemMetrics

__all__ = ["OwnRunRefused", "RunRequest", "TrackedCell", "TrackingError"]


class TrackedCell:
    """One tracked cell's runs, from the cell's start to its end."""

    def __init__(self, request: RunRequest, identity: ProcessIdentity, heartbeat: Heartbeat):
        self.request = request
        self._identity = identity
        self._heartbeat = heartbeat
        self.cell_id = uuid.uuid4().hex
        self.runs = CellRuns({}, self._top_level_tags)
        self._outer_run_id: str | None = None
        self._started_at = 0.0
        self.start_time_ms = 0
        self._capture: MetricCapture | None = None
        self._system: CellSystemMetrics | None = None
        self._hooks: FluentHooks | None = None
        self._active_experiment: ActiveExperiment | None = None
        self._context = RunContext()
        self._server = ServerLink("")
        self._sink_report = None
        # Names of the experiments the cell's runs went to, read while the server answered.
        self._experiment_names: dict[str, str] = {}
        # What the user should hear as the cell starts (the caller prints them).
        self.notices: list[str] = []
        # Told (once each way) when the server stops / starts taking points mid-run.
        self.on_offline: Announcement | None = None
        self.on_online: Announcement | None = None

    @property
    def metric_sink(self) -> MetricSink | None:
        """The buffer the cell's metric points go through (``add_listener`` sees each
        stored batch), while the cell runs."""
        return self._capture.sink if self._capture is not None else None

    def on_upload(self, listener) -> None:
        """Tell ``listener(run_id, local_path, artifact_path)`` of each artifact the cell's
        runs upload (``log_image`` included), while the cell runs."""
        if self._capture is not None:
            self._capture.upload_listeners.append(listener)

    def primary_run(self) -> CellRun | None:
        """The run that stands for the cell: its own run if it has one, else the first
        run its code opened."""
        own = self.runs.own()
        if own:
            return own[-1]
        top = self.runs.top_level()
        return top[0] if top else None

    # -- start ---------------------------------------------------------------------

    def start(self, context: RunContext) -> None:
        from ..backend.errors import backend_problem

        try:
            self._start(context)
        except TrackingError:
            self._undo_start()
            raise
        except BaseException as error:
            self._undo_start()
            # No credentials, wrong ones, or no server: one line saying so, not a traceback.
            problem = backend_problem(error) if isinstance(error, Exception) else None
            if problem is None:
                raise
            raise TrackingError(_cannot_start(problem)) from None

    def _start(self, context: RunContext) -> None:
        import mlflow

        outer = mlflow.active_run()
        if outer is not None and not self.request.nested:
            raise TrackingError(
                f"run {outer.info.run_id} is already active (started outside %%track); "
                "end it with mlflow.end_run() or track this cell with --nested"
            )
        if outer is None and self.request.nested:
            raise TrackingError("--nested needs an active run to nest under")
        self._outer_run_id = outer.info.run_id if outer is not None else None
        self._context = context
        self.runs = CellRuns(context.tags, self._top_level_tags)
        self._server = ServerLink(mlflow.get_tracking_uri())
        if outer is None and self.request.offline_fallback:
            notice = self._server.spool_if_unreachable()
            if notice is not None:
                self.notices.append(notice)
        experiment_id = self._experiment_id(mlflow, outer)
        if experiment_id is not None:
            self._active_experiment = ActiveExperiment(experiment_id)
        self._started_at = time.monotonic()
        self.start_time_ms = now_ms()
        self._capture = start_capture(
            self.cell_id,
            watcher=self.runs,
            flush_interval=self.request.flush_interval,
            on_offline=self._tell_offline,
            on_online=self._tell_online,
        )
        self.runs.on_created(self._adopt)
        if self.request.system_metrics_interval:
            interval, uri = self.request.system_metrics_interval, mlflow.get_tracking_uri()
            self._system = CellSystemMetrics(interval, self._open_top_level, uri).start()
        self._hooks = FluentHooks(self._start_own_run, self._ended_by_code).install()
        if self.request.autolog:
            # --autolog autologs into the cell's own run (as before the runs of the code
            # became its own): it is started now, where autologging will find it.
            self._start_own_run()
            mlflow.autolog(silent=True)

    def _undo_start(self) -> None:
        self._stop_system_metrics()
        if self._hooks is not None:
            self._hooks.uninstall()
            self._hooks = None
        if self._capture is not None:
            self._capture.stop()
            self._capture = None
        if self._active_experiment is not None:
            self._active_experiment.restore()
            self._active_experiment = None
        self._server.leave()

    def _experiment_id(self, mlflow, outer) -> str | None:
        """The experiment active while the cell runs: ``--experiment``, else the outer
        run's (a child stays with its parent), else whatever is active already."""
        name = self.request.experiment
        if name is None:
            return outer.info.experiment_id if outer is not None else None
        from ..backend.experiments import experiment_named

        experiment = experiment_named(mlflow.MlflowClient(), name)
        if experiment.lifecycle_stage == "deleted":
            raise TrackingError(
                f"experiment '{name}' is deleted; restore it or choose another name"
            )
        return experiment.experiment_id

    def _top_level_tags(self) -> dict[str, str]:
        return {**self._identity.tags(), **dict(self.request.tags), **self._server.tags()}

    def _open_top_level(self) -> list[str]:
        return [run.run_id for run in self.runs.top_level() if run.status == "RUNNING"]

    def _stop_system_metrics(self) -> None:
        """The last sample goes to the runs still open, so this comes before they end."""
        if self._system is not None:
            system, self._system = self._system, None
            system.finish()

    def _tell_offline(self, message: str) -> None:
        if self.on_offline is not None:
            self.on_offline(message)

    def _tell_online(self, message: str) -> None:
        if self.on_online is not None:
            self.on_online(message)

    # -- the cell's runs as they come ----------------------------------------------

    def _start_own_run(self):
        """Start the cell's own run (its code logged outside any run it opened, asked
        for a parent, or opened none) and put it on MLflow's active-run stack."""
        from ..backend.errors import backend_problem

        assert self._hooks is not None
        self.runs.creating_own = True
        try:
            return self._hooks.original_start(
                run_name=self.request.run_name,
                nested=self._outer_run_id is not None,
                tags=dict(self.request.tags),
            )
        except Exception as error:
            # As at the cell's start: one line for a refusing or absent server.
            problem = backend_problem(error)
            if problem is None:
                raise
            raise OwnRunRefused(_cannot_start(problem)) from None
        finally:
            self.runs.creating_own = False

    def _adopt(self, run: CellRun) -> None:
        """A top-level run is the cell's: its context artifacts and datasets, a heartbeat."""
        if not run.top_level:
            return
        self._heartbeat.watch(run.run_id)
        import mlflow

        client = mlflow.MlflowClient()
        if run.experiment_id not in self._experiment_names:
            experiment = client.get_experiment(run.experiment_id)
            self._experiment_names[run.experiment_id] = experiment.name
        sink = self.metric_sink
        if sink is not None and self.primary_run() is run:
            sink.name_journal(run.run_id)  # %track sync and the Runs panel name it so
        for artifact_file, text in self._context.artifacts.items():
            client.log_text(run.run_id, text, artifact_file)
        for record in self._context.datasets:
            from ..lineage.recording import record_dataset

            record_dataset(client, run.run_id, record, context="training")

    def _ended_by_code(self, ended: EndedRun) -> None:
        self.runs.ended_by_code(ended.run_id, ended.in_flight)

    # -- end -----------------------------------------------------------------------

    def end(
        self,
        error: BaseException | None,
        params: Mapping[str, object] | None = None,
        texts: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> CellSummary:
        """End every run of the cell with the status it earned; never raises for
        bookkeeping. ``params`` go to the cell's own run (else to every run its code
        opened), ``texts`` (path → text artifacts, such as the notebook snapshot) and
        ``tags`` to every top-level run."""
        import mlflow

        status = outcome_of(error)
        warnings: list[str] = []
        kept_offline = None
        with deferred_interrupts() as interrupts:
            self._stop_system_metrics()
            opened_none = self._hooks is not None and not self.runs.all()
            refused = isinstance(error, OwnRunRefused)  # asking again is refused again
            if opened_none and not refused and (self.request.wants_own_run or error is not None):
                self._start_own_run_after_the_fact(mlflow, warnings)
            failing = [
                run
                for run in self.runs.all()
                if run.status == "RUNNING" or (error is not None and run.ended_during is error)
            ]
            gone = self._server.gone_meanwhile()
            self._end_runs_left_open(mlflow, status, gone, warnings)
            if self._hooks is not None:
                self._hooks.uninstall()
            warnings.extend(self._store_metrics(gone_already=gone))
            gone = gone or self._server.journal_in_use(self._sink_report)
            end = CellEnd(status, error, failing, params or {}, texts or {}, tags or {})
            if gone:
                kept_offline = self._server.journal_the_end(self.runs, end)
            else:
                warnings.extend(finish_runs(mlflow.MlflowClient(), self.runs, end))
            if self.request.autolog:
                _quietly(warnings, "disable autolog", mlflow.autolog, disable=True, silent=True)
            kept_offline = self._server.leave() or kept_offline
            self._restore_experiment()
            for run in self.runs.top_level():
                self._heartbeat.forget(run.run_id)
            self._remember_last_run()
        return summarize(
            self.runs,
            status,
            error,
            seconds=time.monotonic() - self._started_at,
            warnings=warnings,
            interrupted_while_saving=bool(interrupts),
            kept_offline=kept_offline,
            experiment_names=self._experiment_names,
        )

    def _start_own_run_after_the_fact(self, mlflow, warnings: list[str]) -> None:
        """A cell that opened no run, but whose options describe its run or which failed,
        is recorded as one run spanning the cell (a failure keeps its traceback)."""
        from mlflow.tracking.context.registry import resolve_tags
        from mlflow.tracking.fluent import _get_experiment_id

        tags = dict(self.request.tags)
        if self._outer_run_id is not None:
            tags[T.PARENT_RUN_ID] = self._outer_run_id
        if self.request.run_name:
            tags[T.RUN_NAME] = self.request.run_name
        self.runs.creating_own = True
        try:
            mlflow.MlflowClient().create_run(
                experiment_id=_get_experiment_id(),
                start_time=self.start_time_ms,
                tags=resolve_tags(tags),
                run_name=self.request.run_name,
            )
        except Exception as error:
            warnings.append(f"could not record the cell's run: {type(error).__name__}: {error}")
        finally:
            self.runs.creating_own = False

    def _end_runs_left_open(self, mlflow, status: RunStatus, gone: bool, warnings) -> None:
        """Runs the code opened and left on MLflow's stack end with the cell's status
        (their points are stored first: ending a run flushes its buffer)."""
        if gone:
            forget_active_runs(self._outer_run_id)
            return
        from mlflow.tracking import fluent

        stack = fluent._active_run_stack.get()
        end = self._hooks.original_end if self._hooks is not None else mlflow.end_run
        for _ in range(len(stack)):
            if not stack or stack[-1].info.run_id == self._outer_run_id:
                break
            _quietly(warnings, "end a run the cell left open", end, status.value)

    def _store_metrics(self, gone_already: bool) -> list[str]:
        if self._capture is None:
            return []
        capture, self._capture = self._capture, None
        try:
            self._sink_report = capture.stop()
        except Exception as error:
            return [f"could not store the cell's metrics: {type(error).__name__}: {error}"]
        # A server gone for good is said once, with the runs' end (see ``end``).
        gone = gone_already or self._server.journal_in_use(self._sink_report)
        return self._sink_report.warnings(pending=not gone)

    def _restore_experiment(self) -> None:
        """``--experiment`` held for the cell only; an experiment the code chose itself
        (``mlflow.set_experiment``) stays chosen, as it would without ``%%track``."""
        if self._active_experiment is not None:
            self._active_experiment.restore_unless_changed()
            self._active_experiment = None

    def _remember_last_run(self) -> None:
        """``mlflow.last_active_run()`` after the cell: the cell's own run, which MLflow
        would have left active, else the run the code ended last."""
        own = self.runs.own()
        if own:
            from mlflow.tracking import fluent

            fluent._last_active_run_id.set(own[-1].run_id)


def _cannot_start(problem: Exception) -> str:
    import mlflow

    from ..backend.location import redact_credentials

    return f"cannot start a run on {redact_credentials(mlflow.get_tracking_uri())}: {problem}"


def _quietly(warnings: list[str], what: str, action, *args, **kwargs) -> None:
    try:
        action(*args, **kwargs)
    except Exception as error:
        warnings.append(f"could not {what}: {type(error).__name__}: {error}")
