"""A server that cannot be stalled: artifacts that are not files, an artifact store that
never answers, huge folders, and the inputs that used to be server errors."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from mlflow import MlflowClient
from tornado.httpclient import HTTPClientError

from labtrack.backend import prepare_backend, resolve_backend

ARTIFACT_TIMEOUT = 3.0


class SilentStore:
    """A TCP server that accepts every connection and never answers a byte."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(32)
        self.port = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self._held.append(connection)

    def close(self) -> None:
        self._listener.close()
        for connection in self._held:
            connection.close()


@pytest.fixture
def silent_store():
    store = SilentStore()
    yield store
    store.close()


@pytest.fixture
def server_env():
    # MLflow's own HTTP retries would keep a worker thread past the test; labtrack's
    # bound is what answers the route.
    return {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_TIMEOUT": "30"}


@pytest.fixture
def jp_server_config(jp_server_config):
    return {**jp_server_config, "LabtrackConfig": {"artifact_timeout": ARTIFACT_TIMEOUT}}


@pytest.fixture
def client(labtrack_home, jp_server_config):
    location = resolve_backend(environ={"LABTRACK_HOME": str(labtrack_home)})
    prepare_backend(location)
    return MlflowClient(tracking_uri=location.tracking_uri)


@pytest.fixture
def run_folder(client):
    """A run with one real artifact; its local artifact folder."""
    run = client.create_run("0")
    client.log_text(run.info.run_id, "fine", "ok.txt")
    return run.info.run_id, Path(client.get_run(run.info.run_id).info.artifact_uri)


async def fetch(jp_fetch, *path, params=None, method="GET", body=None):
    pairs = [
        (key, item)
        for key, value in (params or {}).items()
        for item in (value if isinstance(value, list) else [value])
    ]
    try:
        response = await jp_fetch("labtrack", "api", *path, params=pairs, method=method, body=body)
    except HTTPClientError as error:
        response = error.response
    return response


async def status_answers_meanwhile(jp_fetch, pending) -> list[float]:
    """Times of /status answers taken while ``pending`` runs (at least one)."""
    task = asyncio.ensure_future(pending)
    times = []
    while not task.done() or not times:
        started = time.monotonic()
        response = await fetch(jp_fetch, "status")
        assert response.code == 200
        times.append(time.monotonic() - started)
        await asyncio.sleep(0.2)
    return times, await task


async def test_a_fifo_artifact_is_refused_at_once_and_the_server_keeps_answering(
    jp_fetch, run_folder
):
    run_id, folder = run_folder
    os.mkfifo(folder / "pipe")
    # When the pipe is downloaded (no writer will ever come), status is asked meanwhile
    download = fetch(jp_fetch, "runs", run_id, "artifacts", "file", params={"path": "pipe"})
    times, response = await status_answers_meanwhile(jp_fetch, download)
    # Then the download is a 400 with the reason, and status never waited a second
    assert response.code == 400
    assert "not a regular file" in json.loads(response.body)["message"]
    assert max(times) < 1.0, times
    # And the listing shows the pipe without a size, the real file with one
    listing = json.loads((await fetch(jp_fetch, "runs", run_id, "artifacts")).body)
    sizes = {e["name"]: e["size"] for e in listing["entries"]}
    assert sizes == {"ok.txt": 4, "pipe": None}


async def test_devices_sockets_and_symlink_loops_are_400_not_500(jp_fetch, run_folder):
    run_id, folder = run_folder
    os.symlink("/dev/zero", folder / "zero")  # leads out of the artifacts: refused anyway
    os.symlink(folder / "loop-b", folder / "loop-a")
    os.symlink(folder / "loop-a", folder / "loop-b")
    server = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    os.chdir(folder)  # a socket's path is limited to ~100 bytes; the artifact folder's is longer
    try:
        server.bind("sock")
    finally:
        os.chdir(here)
    try:
        for name in ("zero", "loop-a", "sock"):
            params = {"path": name}
            response = await fetch(jp_fetch, "runs", run_id, "artifacts", "file", params=params)
            assert response.code == 400, (name, response.body)
        listing = await fetch(jp_fetch, "runs", run_id, "artifacts")
        assert listing.code == 200
        names = {e["name"] for e in json.loads(listing.body)["entries"]}
        assert names == {"ok.txt", "sock"}
        looped = await fetch(jp_fetch, "runs", run_id, "artifacts", params={"path": "loop-a"})
        assert looped.code == 400 and b"symlink loop" in looped.body
    finally:
        server.close()


async def test_an_artifact_store_that_never_answers_is_a_504_while_other_routes_answer(
    jp_fetch, client, silent_store
):
    # Given a run whose artifacts live on a store that accepts and never answers
    location = f"http://127.0.0.1:{silent_store.port}/api/2.0/mlflow-artifacts/artifacts/x"
    experiment = client.create_experiment("silent-store", artifact_location=location)
    run_id = client.create_run(experiment).info.run_id
    # When five listings and a download wait on it (more than the artifact threads)
    started = time.monotonic()
    calls = [fetch(jp_fetch, "runs", run_id, "artifacts") for _ in range(5)]
    calls.append(fetch(jp_fetch, "runs", run_id, "artifacts", "file", params={"path": "m.txt"}))
    times, answers = await status_answers_meanwhile(jp_fetch, asyncio.gather(*calls))
    elapsed = time.monotonic() - started
    # Then each answers 504 (it ran and timed out) or 503 (no artifact thread came free)
    codes = sorted(response.code for response in answers)
    assert set(codes) <= {503, 504} and 504 in codes, codes
    messages = {json.loads(r.body)["message"] for r in answers}
    assert any(f"did not answer within {ARTIFACT_TIMEOUT:g} s" in m for m in messages)
    assert elapsed < 4 * ARTIFACT_TIMEOUT + 10, elapsed
    # And status and run reads kept answering the whole time
    assert max(times) < 1.0, times
    assert (await fetch(jp_fetch, "runs", run_id)).code == 200


async def test_a_folder_of_60000_files_is_listed_in_pages(jp_fetch, run_folder):
    run_id, folder = run_folder
    big = folder / "many"
    big.mkdir()
    for index in range(60_000):
        (big / f"f{index:05d}.txt").touch()
    first = await fetch(jp_fetch, "runs", run_id, "artifacts", params={"path": "many"})
    assert first.code == 200 and len(first.body) < 200_000
    page = json.loads(first.body)
    assert len(page["entries"]) == 500 and page["next_page_token"]
    seen, token = [], None
    while True:
        params = {"path": "many", "page_size": "5000", **({"page_token": token} if token else {})}
        page = json.loads((await fetch(jp_fetch, "runs", run_id, "artifacts", params=params)).body)
        seen += [e["name"] for e in page["entries"]]
        token = page["next_page_token"]
        if not token:
            break
    assert len(seen) == 60_000 and len(set(seen)) == 60_000 and seen == sorted(seen)
    bad = await fetch(jp_fetch, "runs", run_id, "artifacts", params={"page_token": "%%%"})
    assert bad.code == 400


HOSTILE_QUERIES = [
    ({"filter": "attributes.start_time > 9223372036854775808"}, "outside the 64-bit range"),
    ({"filter": "attributes.end_time < -9223372036854775809"}, "outside the 64-bit range"),
    ({"experiment_ids": "9999999999999999999"}, "larger than any experiment id"),
    ({"order_by": ["metrics.m DESC", "metrics.m ASC"]}, "twice"),
    ({"order_by": ["start_time", "attributes.start_time DESC"]}, "twice"),
    (
        {"filter": " and ".join(f"params.p{i} = '1'" for i in range(64))},
        "at most 50 are allowed",
    ),
]


@pytest.mark.parametrize(("params", "message"), HOSTILE_QUERIES)
async def test_run_searches_that_used_to_be_500_are_400(jp_fetch, run_folder, params, message):
    query = {"experiment_ids": "0", **params}
    for path in (("runs",), ("runs", "columns")):
        if path[-1] == "columns" and "experiment_ids" not in params:
            continue
        response = await fetch(jp_fetch, *path, params=query)
        assert response.code == 400, (path, response.body)
        assert message in json.loads(response.body)["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"run_ids": ["\xff\xfe"]}', "not valid UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 32"),
        (b'{"a":' * 50 + b"1" + b"}" * 50, "nested deeper than 32"),
    ],
    ids=["non-utf8", "deep-list", "deep-object"],
)
async def test_bodies_that_used_to_be_500_are_400(jp_fetch, body, message):
    for path in (("compare",), ("models", "m", "versions"), ("models", "m", "rollback")):
        response = await fetch(jp_fetch, *path, method="POST", body=body)
        assert response.code == 400, (path, response.body)
        assert message in json.loads(response.body)["message"]
