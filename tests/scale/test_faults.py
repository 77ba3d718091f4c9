"""Issue 9's faults, for real: a tracking server, its database and a kernel that fail
mid-run, and every metric point still in the server's store exactly once.

Each test has its own ``mlflow server`` (on the session's PostgreSQL cluster, in a
database of its own, artifacts in the session's S3) so it can kill and restart it,
and drives a real kernel running a ``%%track`` cell. The cell pauses where the
test injects a fault: it makes every point logged so far stored or journaled
(``labtrack.flush``), leaves a marker file holding its run id, and waits for the
test's go file. Each assertion is the exact count of points in PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from faulty_proxy import FaultyProxy
from mlflow_server import MlflowServer
from postgres_cluster import PostgresCluster
from real_kernels import RealKernel, Reply, kernel_env

from labtrack.metrics.journal import PENDING_DIRNAME, PendingPoints
from labtrack.offline.spool import SPOOL_RUN_TAG, SYNCED_RUN_TAG, spool_for

STEPS = 100
ARTIFACT_PREFIX = "mlflow-artifacts-faults"
MARKER_TIMEOUT = 240
RUN_LINE = re.compile(r"labtrack: run (\S+) \(([0-9a-f]{32})\) in experiment '([^']+)' (\w+)")
OFFLINE_NOTICE = "the tracking backend stopped taking metric points"
ONLINE_NOTICE = "the tracking backend answers again"

# Run (untracked) before the tracked cell: where it pauses for the test.
PAUSE_HELPER = """
import pathlib, time
import labtrack, mlflow

signals = pathlib.Path({signals!r})

def pause(name):
    # Every point logged so far is stored, or journaled while the server is away.
    assert labtrack.flush(120), "logged points were neither stored nor journaled"
    (signals / f"at-{{name}}").write_text(mlflow.active_run().info.run_id)
    while not (signals / f"go-{{name}}").exists():
        time.sleep(0.02)
"""


def tracked_loop(name: str, pauses: tuple[int, ...], end_pause: bool = False) -> str:
    """A ``%%track`` cell logging ``loss`` at steps 0..STEPS-1, pausing before each
    step in ``pauses`` (and after the last one with ``end_pause``)."""
    return (
        f"%%track --experiment faults --name {name} --no-live\n"
        f"for step in range({STEPS}):\n"
        f"    if step in {pauses!r}:\n"
        "        pause(step)\n"
        "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
        + ("pause('end')\n" if end_pause else "")
    )


class InBackground:
    """``action()`` on a thread: a server starting while a kernel starts."""

    def __init__(self, action) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(action,), daemon=True)
        self._thread.start()

    def _run(self, action) -> None:
        try:
            action()
        except BaseException as error:
            self._error = error

    def wait(self, timeout: float = MARKER_TIMEOUT) -> None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), f"not done within {timeout}s"
        if self._error is not None:
            raise self._error


@dataclass
class FaultServer:
    """A restartable ``mlflow server`` on its own PostgreSQL database."""

    url: str
    database: str
    postgres: PostgresCluster
    mlflow: MlflowServer
    starting: InBackground

    def wait_ready(self) -> None:
        self.starting.wait()

    def points(self, run_id: str, key: str = "loss") -> tuple[int, int]:
        """(points, distinct steps) of ``key`` stored for the run."""
        ((count, steps),) = self.postgres.query(
            "SELECT count(*), count(DISTINCT step) FROM metrics WHERE run_uuid = %s AND key = %s",
            run_id,
            key,
            database=self.database,
        )
        return count, steps

    def status(self, run_id: str) -> str | None:
        rows = self.postgres.query(
            "SELECT status FROM runs WHERE run_uuid = %s", run_id, database=self.database
        )
        return rows[0][0] if rows else None

    def ended_status(self, run_id: str) -> str | None:
        """The run's status once it is no longer RUNNING."""
        status = self.status(run_id)
        return None if status == "RUNNING" else status

    def runs_copied_from(self, offline_run_id: str) -> list[tuple[str, str]]:
        """(run id, status) of the server's copies of a spooled run."""
        return self.postgres.query(
            "SELECT r.run_uuid, r.status FROM runs r JOIN tags t ON t.run_uuid = r.run_uuid "
            "WHERE t.key = %s AND t.value = %s",
            SPOOL_RUN_TAG,
            offline_run_id,
            database=self.database,
        )


@pytest.fixture(scope="session")
def migrated_database(postgres):
    """A database with MLflow's schema, copied (``CREATE DATABASE … TEMPLATE``) for each
    test: a server on it starts without running MLflow's migrations again."""
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    name = "faults_template"
    postgres.create_database(name)
    store = SqlAlchemyStore(postgres.sqlalchemy_uri_of(name), "mlflow-artifacts:/")
    store.engine.dispose()  # a template must have no open connection
    return name


@contextlib.contextmanager
def started_fault_server(postgres, s3, folder: Path, template: str | None = None):
    database = f"faults_{uuid.uuid4().hex[:12]}"
    postgres.create_database(database, template=template)
    server = MlflowServer(
        folder,
        backend_store_uri=postgres.sqlalchemy_uri_of(database),
        artifacts_destination=f"s3://{s3.bucket}/{ARTIFACT_PREFIX}/{database}",
        # No job runner (a huey consumer with two workers): these tests run no jobs, and
        # it would double the CPU every (re)start costs on a small machine.
        extra_env={**s3.client_env(), "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
        workers=1,
        start=False,  # started while the test starts its kernel
    )
    starting = InBackground(server.restart)
    try:
        yield FaultServer(server.url, database, postgres, server, starting)
    finally:
        with contextlib.suppress(Exception):
            starting.wait()
        if not postgres.running:
            postgres.start()  # a test failed while the database was down
        with contextlib.suppress(AttributeError):  # AttributeError: it never started
            server.kill()  # a throwaway server: no need to wait for a clean shutdown
        with contextlib.suppress(Exception):
            postgres.psql(f"DROP DATABASE IF EXISTS {database}")


@pytest.fixture
def fault_server(postgres, s3, migrated_database, tmp_path):
    with started_fault_server(postgres, s3, tmp_path / "server", migrated_database) as server:
        yield server


@pytest.fixture
def server_on_own_postgres(s3, tmp_path):
    """A fault server on a PostgreSQL cluster of its own, for a test that restarts the
    database: the session's servers keep pooled connections to the session's cluster
    (MLflow's engine does not ping them), which a restart would break under them."""
    cluster = PostgresCluster()
    try:
        with started_fault_server(cluster, s3, tmp_path / "server") as server:
            yield server
    finally:
        cluster.stop()


@pytest.fixture
def signals(tmp_path) -> Path:
    folder = tmp_path / "signals"
    folder.mkdir()
    return folder


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def kernels(tmp_path):
    """Starts real kernels (``%load_ext labtrack`` done); shuts them all down after."""
    started: list[RealKernel] = []

    def start(home: Path, url: str, signals: Path | None = None, server_up=None) -> RealKernel:
        """A kernel tracking to ``url``; ``server_up`` waits for the server (started
        meanwhile) before labtrack loads."""
        kernel = RealKernel(tmp_path, kernel_env(home, MLFLOW_TRACKING_URI=url))
        started.append(kernel)
        if server_up is not None:
            server_up()
        loaded = kernel.execute("%load_ext labtrack", timeout=180)
        assert loaded.status == "ok", loaded.stdout + loaded.stderr
        if signals is not None:
            helper = kernel.execute(PAUSE_HELPER.format(signals=str(signals)))
            assert helper.status == "ok", helper.stdout + helper.stderr
        return kernel

    yield start
    for kernel in started:
        with contextlib.suppress(Exception):
            kernel.shutdown()


class CellInBackground:
    """``kernel.execute(code)`` on a thread, so the test can act while the cell runs."""

    def __init__(self, kernel: RealKernel, code: str, timeout: float = 600) -> None:
        self.reply: Reply | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(kernel, code, timeout))
        self._thread.daemon = True
        self._thread.start()

    def _run(self, kernel: RealKernel, code: str, timeout: float) -> None:
        try:
            self.reply = kernel.execute(code, timeout=timeout)
        except BaseException as error:
            self.error = error

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self, timeout: float = MARKER_TIMEOUT) -> Reply:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), f"the cell did not end within {timeout}s"
        if self.error is not None:
            raise self.error
        assert self.reply is not None
        return self.reply


def reached(signals: Path, name: object, cell: CellInBackground | None = None) -> str:
    """Wait until the cell pauses at ``name``; returns its run id."""
    marker = signals / f"at-{name}"
    deadline = time.monotonic() + MARKER_TIMEOUT
    while not marker.exists():
        if cell is not None and cell.done:
            reply = cell.result()
            raise AssertionError(f"the cell ended before {name}:\n{reply.stdout}\n{reply.stderr}")
        assert time.monotonic() < deadline, f"the cell did not reach {name}"
        time.sleep(0.05)
    return marker.read_text()


def go_on(signals: Path, name: object) -> None:
    (signals / f"go-{name}").touch()


def wait_until(condition, what: str, timeout: float = MARKER_TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what}: not within {timeout}s"
        time.sleep(0.25)


def store_answers(url: str) -> bool:
    """The server answers a request that needs its database (each failure also lets
    its pool drop a connection the database restart cut)."""
    try:
        search = f"{url}/api/2.0/mlflow/experiments/search"
        return requests.get(search, params={"max_results": 1}, timeout=30).status_code == 200
    except requests.RequestException:
        return False


def journaled_points(home: Path, url: str, run_id: str) -> int:
    pending = PendingPoints(home / PENDING_DIRNAME, url)
    contents = pending.contents(pending.path_of(run_id))
    return 0 if contents is None else contents.points


def synced_id(spool, offline_run_id: str) -> str | None:
    """The server's id of a spooled run, once its sync is complete."""
    database = spool.location.database_path
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        rows = connection.execute(
            "SELECT value FROM tags WHERE run_uuid = ? AND key = ?",
            (offline_run_id, SYNCED_RUN_TAG),
        ).fetchall()
    finally:
        connection.close()
    return rows[0][0] if rows else None


def kill_kernel(kernel: RealKernel) -> None:
    """SIGKILL, as the out-of-memory killer does; reaped, so its pid is gone."""
    process = kernel.manager.provisioner.process
    os.kill(kernel.pid, signal.SIGKILL)
    process.wait(timeout=30)


def notices(reply: Reply, text: str) -> list[str]:
    return [line for line in reply.stderr.splitlines() if text in line]


def finished_run(reply: Reply) -> str:
    found = RUN_LINE.search(reply.stdout)
    assert reply.status == "ok" and found, f"{reply.stdout}\n{reply.stderr}"
    assert found.group(4) == "FINISHED", reply.stdout
    return found.group(2)


def test_a_server_killed_mid_run_and_restarted_gets_every_point_exactly_once(
    fault_server, kernels, home, signals
):
    kernel = kernels(home, fault_server.url, signals, fault_server.wait_ready)
    cell = CellInBackground(kernel, tracked_loop("killed-server", (50, 80)))

    run_id = reached(signals, 50, cell)
    assert fault_server.points(run_id) == (50, 50)
    fault_server.mlflow.kill()
    go_on(signals, 50)

    reached(signals, 80, cell)
    assert fault_server.points(run_id) == (50, 50)  # the database is up: nothing arrived
    assert journaled_points(home, fault_server.url, run_id) == 30
    fault_server.mlflow.restart()
    go_on(signals, 80)

    reply = cell.result()
    assert finished_run(reply) == run_id
    assert fault_server.points(run_id) == (STEPS, STEPS)
    assert fault_server.status(run_id) == "FINISHED"
    assert len(notices(reply, OFFLINE_NOTICE)) == 1, reply.stderr
    assert len(notices(reply, ONLINE_NOTICE)) == 1, reply.stderr
    assert journaled_points(home, fault_server.url, run_id) == 0


def test_a_server_answering_5xx_after_committing_gets_no_duplicate_points(
    fault_server, kernels, home
):
    failures = 3
    proxy = FaultyProxy(fault_server.url, fail_first=failures)
    try:
        kernel = kernels(home, proxy.url, server_up=fault_server.wait_ready)
        reply = kernel.execute(
            "%%track --experiment faults --name lied-to --no-live\n"
            "import time, mlflow\n"
            f"for step in range({STEPS}):\n"
            "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
            "    time.sleep(0.03)\n",  # several flushes, some while the proxy lies
            timeout=300,
        )
        run_id = finished_run(reply)
        output = f"{reply.stdout}\n{reply.stderr}"
        assert len(notices(reply, OFFLINE_NOTICE)) == 1, output
        # The sink took the points back from its journal before the cell ended, or (on a
        # slow machine, when the last retry at the cell's end was refused too) the
        # kernel's automatic retry sends them and the run's end soon after.
        journal = PendingPoints(home / PENDING_DIRNAME, proxy.url).path_of(run_id)
        wait_until(lambda: not journal.exists(), f"the journal replayed\n{output}")
    finally:
        proxy.stop()
    assert proxy.failed == failures, output
    # The server stored the refused batches, and their retries again: points went twice.
    assert proxy.metric_batches > failures, output
    assert proxy.points_forwarded > STEPS, output
    assert fault_server.points(run_id) == (STEPS, STEPS)
    assert fault_server.status(run_id) == "FINISHED"


def test_a_run_completes_when_postgresql_restarts_under_the_server(
    server_on_own_postgres, kernels, home, signals
):
    fault_server = server_on_own_postgres
    kernel = kernels(home, fault_server.url, signals, fault_server.wait_ready)
    server_pid = fault_server.mlflow.process.pid
    cell = CellInBackground(kernel, tracked_loop("restarted-database", (50, 80)))

    run_id = reached(signals, 50, cell)
    assert fault_server.points(run_id) == (50, 50)
    fault_server.postgres.shut_down()
    go_on(signals, 50)

    reached(signals, 80, cell)
    # The server was up and answered 5xx: the points waited in the journal.
    assert journaled_points(home, fault_server.url, run_id) == 30
    fault_server.postgres.start()
    # The same server process answers again: its connection pool survived the restart.
    wait_until(lambda: store_answers(fault_server.url), "the server's store answering")
    go_on(signals, 80)

    reply = cell.result()
    assert finished_run(reply) == run_id
    assert fault_server.points(run_id) == (STEPS, STEPS)
    assert fault_server.status(run_id) == "FINISHED"
    (offline,) = notices(reply, OFFLINE_NOTICE)
    assert "connection refused" not in offline  # the server answered, with an error
    assert len(notices(reply, ONLINE_NOTICE)) == 1, reply.stderr
    # One server process all along: it came through the database restart by itself.
    assert fault_server.mlflow.process.pid == server_pid
    assert fault_server.mlflow.process.poll() is None


def test_a_kernel_killed_in_an_offline_run_leaves_every_acknowledged_point_to_sync(
    fault_server, kernels, home, signals
):
    first = kernels(home, fault_server.url, signals, fault_server.wait_ready)
    fault_server.mlflow.kill()
    first.start(tracked_loop("offline-then-killed", (), end_pause=True))
    offline_run_id = reached(signals, "end")
    kill_kernel(first)

    restarting = InBackground(fault_server.mlflow.restart)
    second = kernels(home, fault_server.url, server_up=restarting.wait)
    assert fault_server.runs_copied_from(offline_run_id) == []
    synced = second.execute("%track sync", timeout=300)
    assert synced.status == "ok", synced.stdout + synced.stderr
    # Sent by this command, or by the automatic retry that loading labtrack started.
    spool = spool_for(fault_server.url, home)
    server_run_id = wait_until(
        lambda: synced_id(spool, offline_run_id), "the spool's run marked as sent"
    )
    ((run_id, status),) = fault_server.runs_copied_from(offline_run_id)
    assert run_id == server_run_id
    assert status == "KILLED"  # its kernel died with it still running
    assert fault_server.points(run_id) == (STEPS, STEPS)
    assert "nothing to send" in second.execute("%track sync").stdout
    assert len(fault_server.runs_copied_from(offline_run_id)) == 1


def test_a_kernel_killed_with_a_journal_leaves_every_acknowledged_point_to_sync(
    fault_server, kernels, home, signals
):
    first = kernels(home, fault_server.url, signals, fault_server.wait_ready)
    first.start(tracked_loop("journaled-then-killed", (50,), end_pause=True))
    run_id = reached(signals, 50)
    assert fault_server.points(run_id) == (50, 50)
    fault_server.mlflow.kill()
    go_on(signals, 50)

    reached(signals, "end")
    assert journaled_points(home, fault_server.url, run_id) == STEPS - 50
    kill_kernel(first)

    restarting = InBackground(fault_server.mlflow.restart)
    assert fault_server.points(run_id) == (50, 50)
    second = kernels(home, fault_server.url, server_up=restarting.wait)
    synced = second.execute("%track sync", timeout=300)
    assert synced.status == "ok", synced.stdout + synced.stderr
    # Sent by this command, or by the automatic retry that loading labtrack started.
    journal = PendingPoints(home / PENDING_DIRNAME, fault_server.url).path_of(run_id)
    wait_until(lambda: not journal.exists(), "the journal replayed")
    assert fault_server.points(run_id) == (STEPS, STEPS)
    # Loading labtrack marks the runs of dead kernels KILLED (in the background when
    # the server is slow to answer).
    status = wait_until(lambda: fault_server.ended_status(run_id), "the dead kernel's run ended")
    assert status == "KILLED"
