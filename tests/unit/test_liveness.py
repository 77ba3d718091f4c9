"""Given a RUNNING run's owner tags, when labtrack asks whether its kernel lives, then it knows."""

import subprocess
import sys

import psutil

from labtrack import tags as T
from labtrack.runtime.liveness import STALE_AFTER_SECONDS, ProcessIdentity, owner_is_dead


def _owner_tags(identity: ProcessIdentity, heartbeat_ms: int | None = None) -> dict[str, str]:
    tags = identity.tags()
    if heartbeat_ms is not None:
        tags[T.HEARTBEAT] = str(heartbeat_ms)
    return tags


def test_the_current_process_is_alive():
    me = ProcessIdentity.current()
    assert not owner_is_dead(_owner_tags(me), me)


def test_a_process_that_exited_is_dead():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    me = ProcessIdentity.current()
    gone = ProcessIdentity(host=me.host, pid=child.pid, started=me.started, kernel_id="k")
    assert owner_is_dead(_owner_tags(gone), me)


def test_a_reused_pid_with_another_start_time_is_dead():
    me = ProcessIdentity.current()
    impostor = ProcessIdentity(host=me.host, pid=me.pid, started=me.started - 3600, kernel_id="k")
    assert owner_is_dead(_owner_tags(impostor), me)


def test_a_living_process_on_this_host_is_alive():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        me = ProcessIdentity.current()
        started = int(psutil.Process(child.pid).create_time())
        other = ProcessIdentity(host=me.host, pid=child.pid, started=started, kernel_id="k")
        assert not owner_is_dead(_owner_tags(other), me)
    finally:
        child.kill()
        child.wait()


def test_a_remote_kernel_is_judged_by_its_heartbeat():
    me = ProcessIdentity.current()
    remote = ProcessIdentity(host="elsewhere", pid=1, started=1, kernel_id="k")
    now = 10_000_000
    fresh = _owner_tags(remote, heartbeat_ms=now - 1000)
    stale = _owner_tags(remote, heartbeat_ms=now - int(STALE_AFTER_SECONDS * 1000) - 1)
    assert not owner_is_dead(fresh, me, now=now)
    assert owner_is_dead(stale, me, now=now)


def test_runs_without_labtrack_owner_tags_are_left_alone():
    assert not owner_is_dead({"mlflow.runName": "x"}, ProcessIdentity.current())
