"""Four kernels logging to the same backend at once: every point lands exactly once.

Run against the embedded SQLite store (one file shared by four writers) and against the
team server (PostgreSQL behind ``mlflow server``). No user sees "database is locked".
"""

from __future__ import annotations

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from real_kernels import RealKernel, Reply, kernel_env

KERNELS = 4
STEPS = 500
KEYS = ("loss", "accuracy")
RUN_LINE = re.compile(r"labtrack: run (\S+) \(([0-9a-f]{32})\) in experiment '[^']+' (\w+)")

CELL = (
    "%%track --experiment concurrent --name {name} --no-live\n"
    "import mlflow, time\n"
    f"for step in range({STEPS}):\n"
    "    mlflow.log_metric('loss', 1.0 / (step + 1), step=step)\n"
    "    mlflow.log_metric('accuracy', step / {steps}, step=step)\n"
    "    time.sleep(0.004)  # a training step: the four loops overlap for seconds\n"
)


def _run_four_at_once(folder, env: dict[str, str]) -> list[Reply]:
    kernels: list[RealKernel] = []
    try:
        for index in range(KERNELS):
            cwd = folder / f"kernel-{index}"
            cwd.mkdir()
            kernels.append(RealKernel(cwd, env))
        for kernel in kernels:
            assert kernel.execute("%load_ext labtrack").status == "ok"
        # Every kernel is started and idle: the four cells now run at the same time.
        with ThreadPoolExecutor(KERNELS) as pool:
            futures = [
                pool.submit(
                    kernel.execute,
                    CELL.format(name=f"worker-{index}", steps=STEPS),
                    timeout=300,
                )
                for index, kernel in enumerate(kernels)
            ]
            return [future.result() for future in futures]
    finally:
        for kernel in kernels:
            kernel.shutdown()


def _run_ids(replies: list[Reply]) -> list[str]:
    ids = []
    for reply in replies:
        found = RUN_LINE.search(reply.stdout)
        shown = f"{reply.stdout}\n{reply.stderr}\n{_tracebacks(reply)}"
        assert reply.status == "ok" and found, shown
        assert found.group(3) == "FINISHED", reply.stdout
        ids.append(found.group(2))
    assert len(set(ids)) == KERNELS
    return ids


def _tracebacks(reply: Reply) -> str:
    lines = [line for out in reply.outputs for line in out.get("traceback", [])]
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(lines))


def _everything_printed(replies: list[Reply]) -> str:
    return "\n".join(f"{r.stdout}\n{r.stderr}\n{r.outputs}" for r in replies)


@pytest.fixture(scope="module")
def embedded_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrent-embedded")
    home = folder / "home"  # one embedded store, created by whichever kernel comes first
    replies = _run_four_at_once(folder, kernel_env(home))

    def counts(run_id: str, key: str) -> tuple[int, int]:
        with sqlite3.connect(f"file:{home}/mlflow.db?mode=ro", uri=True) as connection:
            return connection.execute(
                "SELECT count(*), count(DISTINCT step) FROM metrics WHERE run_uuid = ? AND key = ?",
                (run_id, key),
            ).fetchone()

    return replies, counts


@pytest.fixture(scope="module")
def server_runs(team_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrent-server")
    env = kernel_env(folder / "home", MLFLOW_TRACKING_URI=team_server.url)
    replies = _run_four_at_once(folder, env)

    def counts(run_id: str, key: str) -> tuple[int, int]:
        ((count, steps),) = team_server.postgres.query(
            "SELECT count(*), count(DISTINCT step) FROM metrics WHERE run_uuid = %s AND key = %s",
            run_id,
            key,
        )
        return count, steps

    return replies, counts


@pytest.fixture(params=["embedded", "server"])
def concurrent_runs(request):
    return request.getfixturevalue(f"{request.param}_runs")


def test_four_concurrent_kernels_each_finish_their_run(concurrent_runs):
    replies, _ = concurrent_runs
    assert len(_run_ids(replies)) == KERNELS


def test_four_concurrent_kernels_store_every_point_exactly_once(concurrent_runs):
    replies, counts = concurrent_runs
    for run_id in _run_ids(replies):
        for key in KEYS:
            assert counts(run_id, key) == (STEPS, STEPS), (run_id, key)


def test_four_concurrent_kernels_never_show_database_is_locked(concurrent_runs):
    replies, _ = concurrent_runs
    printed = _everything_printed(replies).lower()
    assert "database is locked" not in printed
    assert "operationalerror" not in printed
