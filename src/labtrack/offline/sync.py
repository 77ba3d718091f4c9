"""Sending what was tracked offline to the tracking server, exactly once.

Two kinds of debt, both settled here:

- **offline runs**: runs a tracked cell kept in the server's spool (``spool.py``)
  because the server was unreachable when the cell started. Each is copied (params,
  tags, every metric point, artifacts, logged models (``model_copies.py``), status
  and times; children after their parent, re-parented to the parent's server copy)
  and then marked synced.
- **journals**: what runs that exist on the server still owe it because it went
  away mid-run (``journal.py``).

Exactly once, whatever is interrupted where: a run's server copy is looked up by its
``labtrack.offline.run_id`` tag before one is created, so a sync cut short after the
create resumes into the same run; every later write is idempotent (MLflow's SQL store
skips a metric point identical to a stored one, params are logged again with the same
value, artifacts and the status are overwritten with the same content). One sync per
spool runs at a time (a file lock): a kernel's automatic retry and the sidebar's
"Sync now" never interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import tags as T
from ..backend.experiments import experiment_named
from ..backend.location import BackendKind, kind_of, redact_credentials
from ..limits import MAX_METRICS_PER_BATCH, MAX_PARAMS_PER_BATCH, MAX_TAGS_PER_BATCH, batched
from ..metrics.journal import PENDING_DIRNAME, PendingPoints
from ..metrics.operations import ClientRunOperations
from ..metrics.points import LARGEST_DOUBLE, MetricPoint
from .model_copies import copy_logged_models
from .spool import SPOOL_RUN_TAG, SYNCED_RUN_TAG, OfflineSpool

TERMINAL = ("FINISHED", "FAILED", "KILLED")
# Tags MLflow sets itself from create_run's arguments, or that only mean something
# in the spool.
_NOT_COPIED = {SYNCED_RUN_TAG, T.PARENT_RUN_ID}


@dataclass(frozen=True)
class OfflineRun:
    """A run waiting in a spool: not on the server (yet), so it has no details there.
    ``run_id`` is the spool's own id (the server gives its copy another one when it is
    sent); ``points`` counts the metric points the run logged."""

    run_id: str
    run_name: str
    experiment_name: str
    status: str
    start_time: int | None
    end_time: int | None
    parent_id: str | None
    points: int


@dataclass(frozen=True)
class SyncedRun:
    """One offline run sent by a sync: its spool id and the id of its server copy;
    ``models`` counts the logged models (MLflow 3's ``log_model``) copied with it."""

    offline_run_id: str
    server_run_id: str
    run_name: str
    experiment_name: str
    status: str
    points: int
    artifacts: int
    models: int = 0


@dataclass
class SyncReport:
    server: str
    reachable: bool = True
    synced: list[SyncedRun] = field(default_factory=list)
    journal_notes: list[str] = field(default_factory=list)
    still_running: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.reachable:
            return [f"{self.server} is unreachable ({self.problems[0]}); nothing was sent"]
        lines = [
            f"sent run {run.run_name} ({run.offline_run_id}) to {self.server} as "
            f"{run.server_run_id}: {run.status}, {run.points} metric point(s), "
            f"{run.artifacts} artifact file(s)" + (f", {run.models} model(s)" if run.models else "")
            for run in self.synced
        ]
        lines += self.journal_notes
        lines += [
            f"run {run_id} is still running in this or another kernel; it is sent after it ends"
            for run_id in self.still_running
        ]
        lines += self.problems
        return lines or [f"nothing to send to {self.server}: every run is there"]


def unsynced_runs(spool: OfflineSpool) -> list[OfflineRun]:
    """The spool's runs not yet on the server, parents before their children."""
    if not spool.exists:
        return []
    database = spool.location.database_path
    assert database is not None
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        rows = connection.execute(
            """
            SELECT r.run_uuid, r.name, e.name, r.status, r.start_time, r.end_time,
                   (SELECT value FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = ?),
                   (SELECT count(*) FROM metrics m WHERE m.run_uuid = r.run_uuid)
            FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id
            WHERE r.lifecycle_stage = 'active'
              AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = ?)
            ORDER BY r.start_time, r.run_uuid
            """,
            (T.PARENT_RUN_ID, SYNCED_RUN_TAG),
        ).fetchall()
    finally:
        connection.close()
    runs = [OfflineRun(*row) for row in rows]
    return _parents_first(runs)


def _parents_first(runs: list[OfflineRun]) -> list[OfflineRun]:
    by_id = {run.run_id: run for run in runs}

    def depth(run: OfflineRun) -> int:
        level, parent = 0, run.parent_id
        while parent in by_id and level < 100:
            level, parent = level + 1, by_id[parent].parent_id
        return level

    return sorted(runs, key=depth)


def pending_journals(pending: PendingPoints) -> list[Path]:
    return [path for path in pending.files() if pending.contents(path) is not None]


def sync_server(
    server_uri: str,
    spool: OfflineSpool,
    pending: PendingPoints,
    *,
    owner_alive: Callable[[dict[str, str]], bool],
    probe: Callable[[], str | None],
) -> SyncReport:
    """Send the spool's runs and the journals of ``server_uri``. ``probe`` returns why
    the server is unreachable, or None; ``owner_alive`` tells a RUNNING run's tags
    whether its kernel still lives (then it is left for later)."""
    report = SyncReport(server=redact_credentials(server_uri))
    unreachable = probe()
    if unreachable is not None:
        report.reachable = False
        report.problems.append(unreachable)
        return report
    import mlflow

    server = mlflow.MlflowClient(tracking_uri=server_uri, registry_uri=server_uri)
    with _one_sync_at_a_time(spool.sync_lock) as acquired:
        if not acquired:
            report.problems.append("another sync to this server is under way")
            return report
        if spool.exists:
            _sync_spool(spool, server, server_uri, report, owner_alive)
        report.journal_notes.extend(
            pending.replay(_writer_for(server_uri), ClientRunOperations(server))
        )
    return report


@contextlib.contextmanager
def _one_sync_at_a_time(lock_path: Path) -> Iterator[bool]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _writer_for(tracking_uri: str):
    from mlflow.tracking._tracking_service import utils

    from ..metrics.writers import writer_for

    return writer_for(utils._get_store(tracking_uri))


def _sync_spool(
    spool: OfflineSpool,
    server,
    server_uri: str,
    report: SyncReport,
    owner_alive: Callable[[dict[str, str]], bool],
) -> None:
    import mlflow

    local = mlflow.MlflowClient(tracking_uri=spool.tracking_uri)
    writer = _writer_for(server_uri)
    server_ids: dict[str, str] = {}
    for waiting in unsynced_runs(spool):
        try:
            run = local.get_run(waiting.run_id)
            status = run.info.status
            if status not in TERMINAL:
                if owner_alive(run.data.tags):
                    report.still_running.append(waiting.run_id)
                    continue
                status = "KILLED"  # its kernel died while the server was away
                local.set_terminated(waiting.run_id, status="KILLED")
            synced = _sync_run(
                spool, local, server, writer, run, status, waiting.experiment_name, server_ids
            )
        except Exception as error:
            report.problems.append(
                f"could not send run {waiting.run_name} ({waiting.run_id}): "
                f"{type(error).__name__}: {error}"[:500]
            )
            continue
        server_ids[waiting.run_id] = synced.server_run_id
        report.synced.append(synced)


def _sync_run(spool, local, server, writer, run, status, experiment_name, server_ids) -> SyncedRun:
    from mlflow.entities import Param, RunTag

    info, data = run.info, run.data
    experiment_id = _server_experiment(server, experiment_name)
    parent = data.tags.get(T.PARENT_RUN_ID)
    if parent is not None and parent not in server_ids:
        server_ids[parent] = _synced_id_of(local, parent) or parent
    server_run_id = _existing_copy(server, experiment_id, info.run_id)
    if server_run_id is None:
        tags = {k: v for k, v in data.tags.items() if k not in _NOT_COPIED}
        tags[SPOOL_RUN_TAG] = info.run_id
        if parent is not None:
            tags[T.PARENT_RUN_ID] = server_ids[parent]
        created = server.create_run(
            experiment_id, start_time=info.start_time, tags=tags, run_name=info.run_name
        )
        server_run_id = created.info.run_id
    params = [Param(key, value) for key, value in data.params.items()]
    for chunk in batched(params, MAX_PARAMS_PER_BATCH):
        server.log_batch(server_run_id, params=list(chunk))
    late_tags = [RunTag(k, v) for k, v in data.tags.items() if k not in _NOT_COPIED]
    for chunk in batched(late_tags, MAX_TAGS_PER_BATCH):  # tags set after the run started
        server.log_batch(server_run_id, tags=list(chunk))
    points = _metric_points(spool, info.run_id, server_run_id)
    for chunk in batched(points, MAX_METRICS_PER_BATCH):
        writer.write(chunk)
    artifacts = _copy_artifacts(local, server, info.run_id, server_run_id)
    models = copy_logged_models(local, server, run, experiment_id, server_run_id)
    server.set_terminated(server_run_id, status=status, end_time=info.end_time)
    local.set_tag(info.run_id, SYNCED_RUN_TAG, server_run_id)
    return SyncedRun(
        info.run_id,
        server_run_id,
        info.run_name,
        experiment_name,
        status,
        len(points),
        artifacts,
        models,
    )


def _server_experiment(server, name: str) -> str:
    experiment = experiment_named(server, name)
    if experiment.lifecycle_stage == "deleted":
        server.restore_experiment(experiment.experiment_id)
    return experiment.experiment_id


def _existing_copy(server, experiment_id: str, offline_run_id: str) -> str | None:
    from mlflow.entities import ViewType

    found = server.search_runs(
        [experiment_id],
        f"tags.`{SPOOL_RUN_TAG}` = '{offline_run_id}'",
        run_view_type=ViewType.ALL,
        max_results=1,
    )
    return found[0].info.run_id if found else None


def _synced_id_of(local, run_id: str) -> str | None:
    from mlflow.exceptions import MlflowException

    try:
        return local.get_run(run_id).data.tags.get(SYNCED_RUN_TAG)
    except MlflowException:  # no such run in the spool (any more)
        return None


def _metric_points(spool: OfflineSpool, offline_run_id: str, server_run_id: str):
    database = spool.location.database_path
    assert database is not None
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        rows = connection.execute(
            "SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? "
            "ORDER BY timestamp, step",
            (offline_run_id,),
        ).fetchall()
    finally:
        connection.close()
    return [
        MetricPoint(server_run_id, key, _value(value, is_nan), timestamp, step)
        for key, value, timestamp, step, is_nan in rows
    ]


def _value(stored: float, is_nan: bool) -> float:
    if is_nan:
        return math.nan
    if stored >= LARGEST_DOUBLE:  # MLflow's SQL store keeps ±inf as ±max double
        return math.inf
    if stored <= -LARGEST_DOUBLE:
        return -math.inf
    return float(stored)


def _copy_artifacts(local, server, offline_run_id: str, server_run_id: str) -> int:
    from mlflow.artifacts import download_artifacts

    if not local.list_artifacts(offline_run_id):
        return 0
    folder = Path(download_artifacts(run_id=offline_run_id, tracking_uri=local.tracking_uri))
    files = [path for path in folder.rglob("*") if path.is_file()]
    server.log_artifacts(server_run_id, str(folder))
    return len(files)


def pending_for_server(home: Path, server_uri: str) -> PendingPoints:
    return PendingPoints(home / PENDING_DIRNAME, server_uri)


def is_server(tracking_uri: str) -> bool:
    """Only a tracking server can be away while this machine works on: a local store
    is the machine's own disk."""
    return kind_of(tracking_uri) is BackendKind.REST
