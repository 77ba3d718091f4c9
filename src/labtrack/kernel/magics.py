"""``%%track`` and ``%track``: the notebook's way into labtrack."""

from __future__ import annotations

import os
import sys

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
from ..tracking.session import OwnRunRefused, RunRequest, TrackedCell, TrackingError
from ..tracking.system_metrics import MIN_INTERVAL_S
from .cell_runner import compile_body, run_compiled
from .history import input_history
from .lineage_cell import check_dataset_paths, describe_cell_datasets, notebook_snapshot
from .live_display import finish_live_plot, show_live_plot
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
        self._execution_count: int | None = None
        # Top-level runs tracked in this kernel, oldest first (%track compare --last N).
        self.tracked_runs: list[str] = []
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
        # IPython counts the cell before it runs: the number the user sees on it is one
        # less than the shell's counter while it runs (when it is kept in the history).
        count = self.shell.execution_count
        self._execution_count = count - 1 if getattr(info, "store_history", True) else count

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
    @argument(
        "--no-system-metrics",
        dest="system_metrics",
        action="store_false",
        default=None,
        help="do not record system metrics (CPU, memory, disk, network, GPU) for this cell",
    )
    @argument(
        "--system-metrics-interval",
        type=float,
        metavar="S",
        help="seconds between two samples of the system metrics (default 5)",
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
            system_metrics_interval=_system_metrics_interval(args, self.settings),
            wants_own_run=bool(
                args.experiment or args.name or args.tag or args.params or args.dataset
            ),
        )
        param_names = parse_param_names(args.params)
        if args.steps is not None and args.steps <= 0:
            raise UsageError("--steps needs a positive number of steps")
        datasets = check_dataset_paths(args.dataset)
        # A typo should not leave a FAILED run behind: compile before starting one.
        compiled = compile_body(self.shell, f"track {line}".rstrip(), cell)
        cell_run = TrackedCell(request, self.identity, self.heartbeat)
        origin = CellOrigin(
            source=cell,
            magic_line=f"%%track {line}".rstrip(),
            notebook_path=notebook_path_from(self.shell.user_ns, os.environ),
            cell_id=self._cell_id,
            execution_count=self._execution_count,
            working_directory=os.getcwd(),
        )
        context = capture_context(origin, input_history(self.shell))
        context.tags.update(seed_tags())
        context.tags.update(job_tags(os.environ))  # labtrack run: its parameters and id
        cell_run.on_offline = _tell_user
        cell_run.on_online = _tell_user
        try:
            cell_run.start(context)
        except TrackingError as error:
            raise UsageError(f"labtrack: {error}") from None
        for notice in cell_run.notices:
            _tell_user(notice)
        feed = show_live_plot(cell_run, args.steps, request.experiment or "") if args.live else None
        self.last_live_plot = feed.widget if feed is not None else None

        error: BaseException | None = None
        try:
            # Inside the cell's try: Ctrl-C while a big dataset is hashed ends it KILLED.
            records, warnings = describe_cell_datasets(datasets)
            context.datasets.extend(records)
            for warning in warnings:
                print(f"labtrack: warning: {warning}", file=sys.stderr)
            return run_compiled(self.shell, compiled)
        except OwnRunRefused as refused:
            error = refused
            raise UsageError(f"labtrack: {refused}") from None
        except BaseException as raised:
            error = raised
            raise
        finally:
            self._end_cell(cell_run, context, feed, error, param_names, bool(args.name))

    def _end_cell(self, cell_run, context, feed, error, param_names, named: bool) -> None:
        # The notebook file as last saved (JupyterLab saves on Ctrl-S and autosave).
        snapshot = notebook_snapshot(context.tags.get(T.NOTEBOOK_PATH), context.cell_source)
        texts = {T.NOTEBOOK_ARTIFACT: snapshot.text} if snapshot.text is not None else {}
        tags = {}
        if snapshot.older_than_cell is not None:
            tags[T.NOTEBOOK_OLDER_THAN_CELL] = "true" if snapshot.older_than_cell else "false"
        # labtrack run's -p values are params of the cell's runs, beside --params.
        params = {**job_parameters(os.environ), **_read_params(self.shell.user_ns, param_names)}
        summary = cell_run.end(error, params, texts, tags)
        if snapshot.note:
            print(f"labtrack: warning: {snapshot.note}", file=sys.stderr)
        if feed is not None:
            finish_live_plot(feed, summary)
        for warning in summary.warnings:
            print(f"labtrack: warning: {warning}", file=sys.stderr)
        if named and summary.runs and not any(run.own for run in summary.runs):
            print(
                "labtrack: --name names the cell's own run; this cell's code opened its own "
                "runs, which keep the names it gave them",
                file=sys.stderr,
            )
        for line in summary.lines():
            print(line, flush=True)
        if not summary.runs and not isinstance(error, OwnRunRefused):
            print(
                "labtrack: this cell opened no MLflow run and logged nothing, so nothing was "
                "recorded (give it --name to keep a run for it anyway)",
                flush=True,
            )
        primary = summary.primary
        if primary is not None:
            self.last_run_id = primary.run_id
        self.tracked_runs.extend(run.run_id for run in summary.runs)
        if summary.kept_offline:
            self.auto_sync.kick()
        if summary.interrupted_while_saving and error is None:
            raise KeyboardInterrupt  # the user asked to stop while the runs were saved

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


def _system_metrics_interval(args, settings) -> float | None:
    """Seconds between system samples for this cell; None: none recorded."""
    interval = args.system_metrics_interval
    if interval is not None and not interval >= MIN_INTERVAL_S:
        raise UsageError(f"--system-metrics-interval needs at least {MIN_INTERVAL_S} seconds")
    if args.system_metrics is False:
        if interval is not None:
            raise UsageError("--no-system-metrics and --system-metrics-interval contradict")
        return None
    if not settings.system_metrics and interval is None:
        return None
    return (
        interval if interval is not None else max(MIN_INTERVAL_S, settings.system_metrics_interval)
    )


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
    except (ImportError, RuntimeError, AttributeError):  # not in a kernel (a plain shell)
        return None
    return name.removeprefix("kernel-").removesuffix(".json") or None
