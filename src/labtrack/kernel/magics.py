"""``%%track`` and ``%track``: the notebook's way into labtrack."""

from __future__ import annotations

import os
import sys
import time

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .. import config
from .. import tags as T
from ..backend import BackendLocation, activate, resolve_backend
from ..lineage.seeds import seed_tags
from ..offline.work import OfflineWork
from ..runtime.liveness import Heartbeat, ProcessIdentity, reap_dead_runs
from ..tracking.context import CellOrigin, capture_context, notebook_path_from
from ..tracking.job import job_parameters, job_tags
from ..tracking.session import RunRequest, RunSession, TrackingError
from .cell_runner import compile_body, run_compiled
from .lineage_cell import check_dataset_paths, notebook_snapshot, record_cell_datasets
from .options import parse_param_names, parse_tags


@magics_class
class TrackMagics(Magics):
    def __init__(self, shell, **kwargs) -> None:
        super().__init__(shell, **kwargs)
        # The one place labtrack's settings are read (``c.LabtrackConfig.*``).
        self.settings = config.use(config.LabtrackConfig(parent=self))
        if self.settings not in shell.configurables:
            shell.configurables.append(self.settings)  # %config LabtrackConfig
        self.location: BackendLocation = resolve_backend(self.settings.tracking_uri)
        self.identity = ProcessIdentity.current(_kernel_id())
        self.heartbeat = Heartbeat(_new_client)
        self.last_run_id: str | None = None
        # The latest live plots shown (for tests and for users who want the widget object).
        self.last_live_plot = None
        self.last_watch = None
        self.last_compare = None
        self.last_runs = None
        self.last_registry_widget = None
        self._cell_id: str | None = None
        self.offline_work = OfflineWork(self.location.tracking_uri, self.identity)
        self.auto_sync = self.offline_work.auto_sync(_tell_sync_report)
        shell.events.register("pre_run_cell", self._remember_cell)

    def activate(self) -> None:
        """Point this kernel's MLflow at the backend (creating the embedded store)."""
        activate(self.location)

    def reap(self) -> list[str]:
        """Mark KILLED the runs of kernels that died; return their ids."""
        return reap_dead_runs(_new_client(), self.identity)

    def _remember_cell(self, info) -> None:
        self._cell_id = getattr(info, "cell_id", None)

    # -- %%track -----------------------------------------------------------------

    @magic_arguments()
    @argument("--experiment", "-e", metavar="NAME", help="experiment to log into (created if new)")
    @argument("--name", "-n", metavar="RUN_NAME", help="name of the run")
    @argument(
        "--tag",
        "-t",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="tag the run (repeatable)",
    )
    @argument(
        "--params",
        "-p",
        metavar="NAME[,NAME...]",
        help="log these notebook variables' values as params when the cell ends",
    )
    @argument(
        "--nested",
        action="store_true",
        help="start the run as a child of the active run (e.g. an enclosing tracked cell)",
    )
    @argument("--autolog", action="store_true", help="enable mlflow.autolog() for this cell only")
    @argument(
        "--dataset",
        "-d",
        action="append",
        default=[],
        metavar="PATH",
        help="record this file or folder (DVC-compatible md5, sha256, size, rows) as a "
        "dataset input of the run (repeatable)",
    )
    @argument(
        "--steps",
        type=int,
        metavar="N",
        help="the loop logs steps 0..N-1: the live plot shows a progress bar with an ETA",
    )
    @argument(
        "--no-live",
        dest="live",
        action="store_false",
        help="do not show the live plot (run card, a chart per metric, progress) under the cell",
    )
    @cell_magic
    def track(self, line: str, cell: str):
        """Run the cell inside an MLflow run that ends FINISHED, FAILED or KILLED.

        The plain MLflow API (mlflow.log_metric, log_param, log_artifact,
        start_run(nested=True), mlflow.<flavor>.log_model) logs into the run.
        The cell's source, notebook path, git state, environment and hardware are
        recorded with it. Under the cell a live plot shows the run's status and a chart
        per metric (child runs as traces of their own) while it runs.
        """
        __tracebackhide__ = True  # noqa: F841
        args = parse_argstring(self.track, line)
        request = RunRequest(
            experiment=_non_empty(args.experiment, "--experiment"),
            run_name=_non_empty(args.name, "--name"),
            tags=parse_tags(args.tag),
            nested=args.nested,
            autolog=args.autolog,
            flush_interval=self.settings.flush_interval,
            offline_fallback=self.settings.offline_fallback,
        )
        param_names = parse_param_names(args.params)
        if args.steps is not None and args.steps <= 0:
            raise UsageError("--steps needs a positive number of steps")
        datasets = check_dataset_paths(args.dataset)
        # A typo should not leave a FAILED run behind: compile before starting one.
        compiled = compile_body(self.shell, f"track {line}".rstrip(), cell)
        session = RunSession(request, self.identity, self.heartbeat)
        origin = CellOrigin(
            source=cell,
            magic_line=f"%%track {line}".rstrip(),
            notebook_path=notebook_path_from(self.shell.user_ns, os.environ),
            cell_id=self._cell_id,
            execution_count=self.shell.execution_count,
            working_directory=os.getcwd(),
        )
        context = capture_context(origin)
        context.tags.update(seed_tags())
        context.tags.update(job_tags(os.environ))  # labtrack run: its parameters and id
        session.on_offline = _tell_user
        session.on_online = _tell_user
        try:
            session.start(context)
        except TrackingError as error:
            raise UsageError(f"labtrack: {error}") from None
        for notice in session.notices:
            _tell_user(notice)
        self.last_run_id = session.run_id
        feed = show_live_plot(session, args.steps) if args.live else None
        self.last_live_plot = feed.widget if feed is not None else None

        error: BaseException | None = None
        try:
            # Inside the run's try: Ctrl-C while a big dataset is hashed ends it KILLED.
            for warning in record_cell_datasets(_new_client(), session.run_id, datasets):
                print(f"labtrack: warning: {warning}", file=sys.stderr)
            return run_compiled(self.shell, compiled)
        except BaseException as raised:
            error = raised
            raise
        finally:
            # The notebook file as last saved (JupyterLab saves on Ctrl-S and autosave).
            snapshot, why_not = notebook_snapshot(context.tags.get(T.NOTEBOOK_PATH))
            summary = session.end(
                error,
                {**job_parameters(os.environ), **_read_params(self.shell.user_ns, param_names)},
                texts={T.NOTEBOOK_ARTIFACT: snapshot} if snapshot is not None else None,
            )
            if why_not:
                print(f"labtrack: warning: {why_not}", file=sys.stderr)
            if feed is not None:
                finish_live_plot(feed, summary.status.value)
            for warning in summary.warnings:
                print(f"labtrack: warning: {warning}", file=sys.stderr)
            print(summary.line(), flush=True)
            if summary.kept_offline:
                self.auto_sync.kick()
            if summary.interrupted_while_saving and error is None:
                raise KeyboardInterrupt  # the user asked to stop while the run was saved

    # -- %track ------------------------------------------------------------------

    @line_magic("track")
    def track_command(self, line: str):
        """labtrack commands: ``%track COMMAND …``; see ``labtrack.kernel.line_commands``.

        ``%track status`` shows the tracking backend in use.
        ``%track watch RUN_ID [--steps N]`` shows a live plot of a run that another
        process (a script, another kernel, a remote job) is writing, until it ends.
        ``%track compare RUN_ID … | --last N | --filter "…" | --children RUN_ID
        [--experiment NAME]`` compares runs inline (``_.selected``: the brushed runs).
        """
        from .line_commands import run_line_command

        return run_line_command(self, line)


def show_live_plot(session: RunSession, steps: int | None):
    """Display the run's live plot and start feeding it; tracking goes on without it if
    widgets cannot load."""
    try:
        import mlflow

        from ..live.feed import LiveFeed
        from ..live.history import open_reader
        from ..widgets.live_plot import LivePlot

        widget = LivePlot(
            run_id=session.run_id,
            run_name=session.run_name,
            experiment_name=session.experiment_name,
            status="RUNNING",
            start_time_ms=session.start_time_ms,
            steps_total=steps,
        )
        widget.show()
        reader = open_reader(
            mlflow.get_tracking_uri(),
            session.run_id,
            sink=session.metric_sink,
            root_name=session.run_name,
        )
        feed = LiveFeed(widget, reader, follow_tqdm_since=time.time() - 1)
        return feed.start()
    except Exception as error:
        print(f"labtrack: warning: cannot show the live plot: {error}", file=sys.stderr)
        return None


def finish_live_plot(feed, status: str) -> None:
    """After the run ended (its points flushed): last points, final status, and the
    output replaced in place by its final, static-bearing form."""
    try:
        feed.finish(status, int(time.time() * 1000))
        feed.widget.show_final()
    except Exception as error:  # a closed front end must not hide the cell's outcome
        print(f"labtrack: warning: cannot update the live plot: {error}", file=sys.stderr)


def _tell_user(message: str) -> None:
    print(f"labtrack: {message}", file=sys.stderr, flush=True)


def _tell_sync_report(report) -> None:
    for line in report.lines():
        print(f"labtrack: {line}", flush=True)


def _non_empty(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    value = value.strip().strip("'\"")
    if not value:
        raise UsageError(f"{option} needs a non-empty value")
    return value


def _read_params(user_ns: dict, names: list[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    missing = [name for name in names if name not in user_ns]
    if missing:
        print(f"labtrack: warning: no variable named {', '.join(missing)}", file=sys.stderr)
    for name in names:
        if name in user_ns:
            values[name] = user_ns[name]
    return values


def _new_client():
    import mlflow

    return mlflow.MlflowClient()


def _kernel_id() -> str | None:
    try:
        from ipykernel.connect import get_connection_file

        name = os.path.basename(get_connection_file())
    except Exception:
        return None
    return name.removeprefix("kernel-").removesuffix(".json") or None
