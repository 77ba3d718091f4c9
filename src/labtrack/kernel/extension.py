"""Loading labtrack into an IPython kernel."""

from __future__ import annotations

import sys
import threading

from ..backend.errors import backend_problem
from .magics import TrackMagics

# Reaping the runs of dead kernels may wait on a remote server; loading the
# extension waits this long for it before carrying on without it.
REAP_WAIT_SECONDS = 10.0

_loaded: dict[int, TrackMagics] = {}


def load(shell) -> None:
    if id(shell) in _loaded:
        return
    magics = TrackMagics(shell)
    shell.register_magics(magics)
    _loaded[id(shell)] = magics
    # `labtrack.runs(...)` right after `%load_ext labtrack`, as the README shows it, without
    # an import the user has to know about (kept out of %who, like IPython's own names).
    if "labtrack" not in shell.user_ns:
        # The package object itself, already imported (this module is in it); an import
        # statement would make the adapters depend on the package's top-level API.
        package = sys.modules[__name__.split(".", 1)[0]]
        shell.push({"labtrack": package}, interactive=False)
    location = magics.location
    try:
        magics.activate()
    except Exception as error:
        print(
            f"labtrack: could not open the tracking backend {location.display_uri()}: {error}",
            file=sys.stderr,
        )
        return
    outcome: dict[str, object] = {}

    def reap() -> None:
        try:
            outcome["reaped"] = magics.reap()
        except Exception as error:  # reported below; tracking still works
            outcome["error"] = error

    worker = threading.Thread(target=reap, name="labtrack-reap", daemon=True)
    worker.start()
    worker.join(REAP_WAIT_SECONDS)
    if "error" in outcome:
        error = outcome["error"]
        print(
            f"labtrack: could not check for runs of stopped kernels on "
            f"{location.display_uri()}: {backend_problem(error) or error}",
            file=sys.stderr,
        )
    reaped = outcome.get("reaped") or []
    if reaped:
        print(f"labtrack: marked {len(reaped)} run(s) of stopped kernels KILLED")
    print(f"labtrack: tracking to {location.kind.value} backend {location.display_uri()}")
    try:
        if magics.offline_work.has_work():
            print(
                "labtrack: runs or points wait to be sent to this backend; "
                "sending them when it answers (%track sync sends them now)"
            )
            magics.auto_sync.kick()
    except Exception as error:  # a damaged spool must not stop labtrack loading
        print(f"labtrack: could not look for offline runs: {error}", file=sys.stderr)


def loaded_magics() -> TrackMagics | None:
    """The magics of the running IPython shell, if labtrack is loaded into it."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return None if shell is None else _loaded.get(id(shell))


def unload(shell) -> None:
    magics = _loaded.pop(id(shell), None)
    if magics is not None:
        magics.auto_sync.stop()
        shell.events.unregister("pre_run_cell", magics._remember_cell)
