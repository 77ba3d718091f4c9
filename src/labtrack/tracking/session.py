"""The life of one tracked run: start it, let the cell log into it, end it truthfully.

No IPython here: the magic hands over the cell's origin and outcome, this module
talks to MLflow. The run is started through MLflow's fluent API so that plain
``mlflow.log_*`` calls inside the cell land in it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import tags as T
from ..metrics.capture import MetricCapture, start_capture
from ..metrics.sink import DEFAULT_FLUSH_INTERVAL, Announcement, MetricSink, SinkReport
from ..offline.redirect import OfflineRedirect, server_unreachable
from ..offline.spool import SERVER_TAG, OfflineSpool, spool_for
from ..offline.sync import is_server
from ..runtime.liveness import Heartbeat, ProcessIdentity, end_running_descendants
from .active_experiment import ActiveExperiment
from .context import RunContext
from .journaled_end import forget_active_runs, journal_run_end
from .outcome import RunStatus, deferred_interrupts, error_line, format_user_traceback, outcome_of


class TrackingError(Exception):
    """labtrack could not do what was asked; the message is meant for the user."""


@dataclass(frozen=True)
class RunRequest:
    experiment: str | None = None
    run_name: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    nested: bool = False
    autolog: bool = False
    # Seconds between writes of buffered metric points to the backend.
    flush_interval: float = DEFAULT_FLUSH_INTERVAL
    # A tracking server that cannot be reached as the cell starts: run in its local
    # spool (False: fail, as MLflow would).
    offline_fallback: bool = True


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    run_name: str
    experiment_id: str
    experiment_name: str
    status: RunStatus
    seconds: float
    error: str | None = None
    warnings: tuple[str, ...] = ()
    # Ctrl-C arrived while the run's end was being written; the caller re-raises it.
    interrupted_while_saving: bool = False
    # Set when the run (or part of it) waits on this machine for the server to answer.
    kept_offline: str | None = None

    def line(self) -> str:
        text = (
            f"labtrack: run {self.run_name} ({self.run_id}) in experiment "
            f"'{self.experiment_name}' {self.status.value} after {self.seconds:.1f}s"
        )
        if self.error:
            text = f"{text}: {self.error}"
        return f"{text}; {self.kept_offline}" if self.kept_offline else text


class RunSession:
    """One tracked cell's run."""

    def __init__(self, request: RunRequest, identity: ProcessIdentity, heartbeat: Heartbeat):
        self.request = request
        self._identity = identity
        self._heartbeat = heartbeat
        self._outer_run_id: str | None = None
        self._started_at = 0.0
        self.run_id = ""
        self.run_name = ""
        self.start_time_ms: int | None = None
        self.experiment_id = ""
        self.experiment_name = ""
        self._metrics: MetricCapture | None = None
        self._active_experiment: ActiveExperiment | None = None
        self._start_warnings: list[str] = []
        # What the user should hear as the cell starts (the caller prints them).
        self.notices: list[str] = []
        self._redirect: OfflineRedirect | None = None
        self._sink_report: SinkReport | None = None
        self._server_uri: str | None = None
        # Told (once each way) when the server stops / starts taking points mid-run.
        self.on_offline: Announcement | None = None
        self.on_online: Announcement | None = None

    @property
    def offline_spool(self) -> OfflineSpool | None:
        """The spool this run is kept in, when its server was away as it started."""
        return self._redirect.spool if self._redirect is not None else None

    @property
    def metric_sink(self) -> MetricSink | None:
        """The buffer the cell's metric points go through (``add_listener`` sees each
        stored batch), while the run is being tracked."""
        return self._metrics.sink if self._metrics is not None else None

    # -- start -------------------------------------------------------------------

    def start(self, context: RunContext) -> str:
        from ..backend.errors import backend_problem

        try:
            return self._start(context)
        except TrackingError:
            raise
        except Exception as error:
            # No credentials, wrong ones, or no server: one line saying so, not a traceback.
            problem = backend_problem(error)
            if problem is None:
                raise
            import mlflow

            from ..backend.location import redact_credentials

            server = redact_credentials(mlflow.get_tracking_uri())
            raise TrackingError(f"cannot start a run on {server}: {problem}") from None

    def _start(self, context: RunContext) -> str:
        import mlflow

        outer = mlflow.active_run()
        if outer is not None and not self.request.nested:
            raise TrackingError(
                f"run {outer.info.run_id} is already active (started outside %%track); "
                "end it with mlflow.end_run() or track this cell with --nested"
            )
        self._outer_run_id = outer.info.run_id if outer is not None else None
        tracking_uri = mlflow.get_tracking_uri()
        if is_server(tracking_uri):
            self._server_uri = tracking_uri
            if outer is None and self.request.offline_fallback:
                self._go_offline_if_unreachable(tracking_uri)
        try:
            return self._start_run(mlflow, outer, context)
        except BaseException:
            self._leave_spool()
            raise

    def _go_offline_if_unreachable(self, server_uri: str) -> None:
        why = server_unreachable(server_uri)
        if why is None:
            return
        spool = spool_for(server_uri)
        self._redirect = OfflineRedirect(spool).enter()
        self.notices.append(
            f"the tracking server {spool.server_display_uri} is unreachable ({why}); "
            f"this run is kept offline in {spool.folder} and sent when the server answers "
            "again (%track sync sends it now)"
        )

    def _leave_spool(self) -> None:
        if self._redirect is not None:
            self._redirect.leave()

    def _start_run(self, mlflow, outer, context: RunContext) -> str:
        experiment_id = self._experiment_id(mlflow, outer)
        tags = {**context.tags, **self._identity.tags(), **dict(self.request.tags)}
        if self._redirect is not None:
            tags[SERVER_TAG] = self._redirect.spool.server_display_uri
        run = mlflow.start_run(
            experiment_id=experiment_id,
            run_name=self.request.run_name,
            nested=outer is not None,
            tags=tags,
        )
        # Before autologging, whose first points may come as soon as it is enabled.
        self._metrics = self._capture_metrics(run.info.run_id)
        if self.request.autolog:
            mlflow.autolog(silent=True)
        self._started_at = time.monotonic()
        self.run_id = run.info.run_id
        self.run_name = run.info.run_name
        self.start_time_ms = run.info.start_time
        self.experiment_id = run.info.experiment_id
        self._active_experiment = ActiveExperiment(self.experiment_id)
        self._heartbeat.watch(self.run_id)
        try:
            client = mlflow.MlflowClient()
            self.experiment_name = client.get_experiment(self.experiment_id).name
            for artifact_file, text in context.artifacts.items():
                client.log_text(self.run_id, text, artifact_file)
        except Exception as error:
            # The cell will not run: leave no half-started run behind.
            self.end(error)
            raise TrackingError(f"could not record the run's context: {error}") from error
        return self.run_id

    def _capture_metrics(self, run_id: str) -> MetricCapture | None:
        try:
            return start_capture(
                run_id,
                flush_interval=self.request.flush_interval,
                on_offline=self._tell_offline,
                on_online=self._tell_online,
            )
        except Exception as error:  # tracking goes on, unbuffered: MLflow writes each point
            self._start_warnings.append(
                f"metrics are written unbuffered: {type(error).__name__}: {error}"
            )
            return None

    def _tell_offline(self, message: str) -> None:
        if self.on_offline is not None:
            self.on_offline(message)

    def _tell_online(self, message: str) -> None:
        if self.on_online is not None:
            self.on_online(message)

    def _experiment_id(self, mlflow, outer) -> str | None:
        name = self.request.experiment
        if name is None:
            # A child stays with its parent unless told otherwise.
            return outer.info.experiment_id if outer is not None else None
        client = mlflow.MlflowClient()
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            try:
                return client.create_experiment(name)
            except Exception:
                # Another kernel created it between the lookup and the create (four
                # kernels starting on a new experiment at once do): use theirs.
                experiment = client.get_experiment_by_name(name)
                if experiment is None:
                    raise
        if experiment.lifecycle_stage == "deleted":
            raise TrackingError(
                f"experiment '{name}' is deleted; restore it or choose another name"
            )
        return experiment.experiment_id

    # -- end ---------------------------------------------------------------------

    def end(
        self,
        error: BaseException | None,
        params: Mapping[str, object] | None = None,
        texts: Mapping[str, str] | None = None,
    ) -> RunSummary:
        """End the run with the status the cell earned; never raises for bookkeeping.

        ``texts`` are artifacts (path → text) stored before the run's status changes,
        such as the notebook snapshot."""
        import mlflow

        status = outcome_of(error)
        warnings: list[str] = []
        client = mlflow.MlflowClient()
        kept_offline = None
        with deferred_interrupts() as interrupts:
            # Every point the cell logged is stored (or saved to disk) before the
            # run's status says it ended.
            warnings.extend(self._store_metrics())
            if self._server_gone_meanwhile():
                kept_offline = self._journal_the_end(mlflow, status, error, params, texts)
            else:
                self._end_on_backend(mlflow, client, status, error, params, texts, warnings)
            if self._redirect is not None:
                spool = self._redirect.spool
                kept_offline = (
                    f"kept offline in {spool.folder}: sent to {spool.server_display_uri} "
                    "when it answers (%track sync sends it now)"
                )
            self._leave_spool()
            if self._active_experiment is not None:
                self._active_experiment.restore()
                self._active_experiment = None
            self._heartbeat.forget(self.run_id)
        summary = RunSummary(
            run_id=self.run_id,
            run_name=self.run_name,
            experiment_id=self.experiment_id,
            experiment_name=self.experiment_name,
            status=status,
            seconds=time.monotonic() - self._started_at,
            error=error_line(error) if status is not RunStatus.FINISHED and error else None,
            warnings=tuple(self._start_warnings + warnings),
            interrupted_while_saving=bool(interrupts),
            kept_offline=kept_offline,
        )
        return summary

    def _server_gone_meanwhile(self) -> bool:
        """The run is on a server that stopped answering during the cell: its end must
        wait on disk (MLflow's client would retry each write for minutes)."""
        if self._server_uri is None or self._redirect is not None:
            return False
        report = self._sink_report
        if report is not None and report.pending_file is not None:
            return True
        return server_unreachable(self._server_uri) is not None

    def _journal_the_end(self, mlflow, status, error, params, texts) -> str:
        from ..metrics.capture import pending_for

        assert self._server_uri is not None
        path = journal_run_end(
            pending_for(self._server_uri), self.run_id, status, error, params, texts
        )
        forget_active_runs(self._outer_run_id)
        if self.request.autolog:
            with contextlib.suppress(Exception):
                mlflow.autolog(disable=True, silent=True)
        return (
            f"the tracking server stopped answering: the run's end is kept in {path} "
            "and sent when it answers again (%track sync sends it now)"
        )

    def _end_on_backend(self, mlflow, client, status, error, params, texts, warnings) -> None:
        if params:
            warnings.extend(_log_params(client, self.run_id, params))
        for artifact_file, text in (texts or {}).items():
            _attempt(
                warnings,
                f"store {artifact_file}",
                client.log_text,
                self.run_id,
                text,
                artifact_file,
            )
        if status is not RunStatus.FINISHED and error is not None:
            warnings.extend(self._record_error(client, error, error_line(error)))
        if self.request.autolog:
            _attempt(warnings, "disable autolog", mlflow.autolog, disable=True, silent=True)
        _attempt(warnings, "end the run", self._close_runs, mlflow, client, status)

    def _store_metrics(self) -> list[str]:
        if self._metrics is None:
            return []
        capture, self._metrics = self._metrics, None
        try:
            self._sink_report = capture.stop()
            # A server gone for good is said once, with the run's end (see ``end``).
            gone = self._server_uri is not None and self._sink_report.pending_file is not None
            return self._sink_report.warnings(pending=not gone)
        except Exception as error:
            return [f"could not store the cell's metrics: {type(error).__name__}: {error}"]

    def _record_error(self, client, error: BaseException, error_line: str) -> list[str]:
        warnings: list[str] = []
        _attempt(warnings, "record the error", client.set_tag, self.run_id, T.ERROR, error_line)
        _attempt(
            warnings,
            "store the traceback",
            client.log_text,
            self.run_id,
            format_user_traceback(error),
            T.TRACEBACK_ARTIFACT,
        )
        return warnings

    def _close_runs(self, mlflow, client, status: RunStatus) -> None:
        # Runs the cell opened and left open sit above ours on MLflow's stack.
        while (active := mlflow.active_run()) is not None:
            if active.info.run_id == self._outer_run_id:
                break
            mlflow.end_run(status.value)
        # Ours may have been ended by the cell itself, or by another thread;
        # the cell's outcome is what the run's status must say.
        run = client.get_run(self.run_id)
        if run.info.status != status.value:
            client.set_terminated(self.run_id, status=status.value)
        end_running_descendants(client, self.run_id, self.experiment_id, status.value)


def _attempt(warnings: list[str], what: str, action, *args, **kwargs) -> None:
    try:
        action(*args, **kwargs)
    except Exception as error:
        warnings.append(f"could not {what}: {type(error).__name__}: {error}")


def _log_params(client, run_id: str, params: Mapping[str, object]) -> list[str]:
    from mlflow.entities import Param

    warnings: list[str] = []
    items = [Param(key, str(value)[: T.MAX_PARAM_VALUE]) for key, value in params.items()]
    for start in range(0, len(items), 100):
        try:
            client.log_batch(run_id, params=items[start : start + 100])
        except Exception as error:
            warnings.append(f"could not log params: {error}")
    return warnings
