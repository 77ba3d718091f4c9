"""Given a run owned by this kernel, when time passes, then its heartbeat tag moves on."""

import time

import mlflow

from labtrack import tags as T
from labtrack.runtime.liveness import Heartbeat, ProcessIdentity, reap_dead_runs


def test_heartbeat_refreshes_the_tag_of_watched_runs_only(shell):
    client = mlflow.MlflowClient()
    watched = client.create_run("0", tags={T.HEARTBEAT: "1"})
    forgotten = client.create_run("0", tags={T.HEARTBEAT: "1"})
    heartbeat = Heartbeat(mlflow.MlflowClient, interval=0.1)
    heartbeat.watch(watched.info.run_id)
    heartbeat.watch(forgotten.info.run_id)
    heartbeat.forget(forgotten.info.run_id)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if client.get_run(watched.info.run_id).data.tags[T.HEARTBEAT] != "1":
            break
        time.sleep(0.05)
    assert int(client.get_run(watched.info.run_id).data.tags[T.HEARTBEAT]) > 1
    assert client.get_run(forgotten.info.run_id).data.tags[T.HEARTBEAT] == "1"


def test_reaping_ends_running_children_of_a_dead_kernel_run(shell):
    client = mlflow.MlflowClient()
    me = ProcessIdentity.current()
    dead = ProcessIdentity(host=me.host, pid=me.pid, started=me.started - 999, kernel_id="gone")
    parent = client.create_run("0", tags=dead.tags())
    child = client.create_run("0", tags={T.PARENT_RUN_ID: parent.info.run_id})
    reaped = reap_dead_runs(client, me)
    assert parent.info.run_id in reaped and child.info.run_id in reaped
    assert client.get_run(parent.info.run_id).info.status == "KILLED"
    assert client.get_run(child.info.run_id).info.status == "KILLED"
