"""Seeing the runs a tracked cell's own MLflow code opens, without changing what it does.

While a tracked cell runs, MLflow's fluent entry points are wrapped (``start_run``,
``end_run``, ``active_run``, and ``_get_or_start_run``, which every ``mlflow.log_*`` call
uses to find its run): the user's ``with mlflow.start_run(run_name=…)`` still makes the
run it makes without labtrack, in the experiment the code chose, and labtrack hears of
its end; autologging sees MLflow's stack as it is.

The cell's *own* run is lazy: nothing exists until something needs it.
- A logging call outside any run the code opened starts it (MLflow would start a run
  there too; this one carries the cell's name and tags).
- ``start_run(nested=True)`` with no run open starts it as the parent (``nested=True``
  asks for one; the tracked cell is it).
- ``mlflow.active_run()`` returns a stand-in (``CellRunPlaceholder``) while no run is
  open, as users of ``%%track`` have always found (and as ``log_model`` finds it: a
  model logged outside any run lands in the cell's run); reading its ``info`` or
  ``data`` starts the run. Only autologging is told the truth, so that a fit outside
  any run gets autologging's own run, as without ``%%track``.
So a cell whose code opens its own runs leaves exactly those runs, and no empty wrapper
beside them.

Only the cell's own thread is steered; other threads see MLflow unchanged. The wrapped
functions are restored when the cell ends (and nest: a tracked cell run from inside
another restores the outer cell's wrappers).
"""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EndedRun:
    """A run the cell's code ended with ``mlflow.end_run`` (or a ``with`` block's exit)."""

    run_id: str
    status: str
    # The exception being handled when it ended (a ``with`` block left by an exception,
    # or autologging's ``except`` clause), if any: it tells which runs the cell's own
    # error ended.
    in_flight: BaseException | None


def _placeholder_class():
    from mlflow.tracking.fluent import ActiveRun

    class CellRunPlaceholder(ActiveRun):
        """The tracked cell's run before it exists; becomes it when looked at."""

        def __init__(self, materialize: Callable[[], object]) -> None:  # noqa: D107
            # No Run.__init__: there is no run yet, and there may never be one.
            self._materialize = materialize

        @property
        def info(self):
            return self._materialize().info

        @property
        def data(self):
            return self._materialize().data

        @property
        def inputs(self):
            return self._materialize().inputs

        @property
        def outputs(self):
            return self._materialize().outputs

        def __repr__(self) -> str:
            return "<labtrack: the tracked cell's run, not started yet>"

    return CellRunPlaceholder


def _called_by_autologging() -> bool:
    """Whether the caller of the wrapped function (two frames up) is MLflow's autologging,
    which starts a run of its own for each fit when none is open."""
    caller = sys._getframe(2)
    return str(caller.f_globals.get("__name__", "")).startswith(_AUTOLOGGING)


_AUTOLOGGING = "mlflow.utils.autologging_utils"


class FluentHooks:
    """MLflow's fluent run functions, wrapped for the duration of one tracked cell."""

    def __init__(
        self,
        start_own_run: Callable[[], object],
        on_ended: Callable[[EndedRun], None],
    ) -> None:
        import mlflow
        from mlflow.tracking import fluent

        self._mlflow = mlflow
        self._fluent = fluent
        self._start_own = start_own_run
        self._on_ended = on_ended
        self._thread = threading.current_thread()
        self._saved: dict[tuple[object, str], object] = {}
        self.original_start = fluent.start_run
        self.original_end = fluent.end_run
        self._original_active = fluent.active_run
        self._original_get_or_start = fluent._get_or_start_run
        self._start_signature = inspect.signature(self.original_start)
        self._placeholder = None
        self._lock = threading.RLock()
        self._installed = False

    # -- installing ----------------------------------------------------------------

    def install(self) -> FluentHooks:
        fluent, mlflow = self._fluent, self._mlflow
        for owner, name, replacement in (
            (fluent, "start_run", self._start_run),
            (mlflow, "start_run", self._start_run),
            (fluent, "end_run", self._end_run),
            (mlflow, "end_run", self._end_run),
            (fluent, "active_run", self._active_run),
            (mlflow, "active_run", self._active_run),
            (fluent, "_get_or_start_run", self._get_or_start_run),
        ):
            self._saved[(owner, name)] = getattr(owner, name)
            setattr(owner, name, replacement)
        self._installed = True
        return self

    def uninstall(self) -> None:
        """Restore MLflow's functions as they were before the cell."""
        if not self._installed:
            return
        self._installed = False
        for (owner, name), previous in self._saved.items():
            setattr(owner, name, previous)
        self._saved.clear()

    def _stack(self) -> list:
        return self._fluent._active_run_stack.get()

    def _on_cell_thread(self) -> bool:
        return self._installed and threading.current_thread() is self._thread

    # -- the cell's own run ----------------------------------------------------------

    def _own_run(self):
        """The cell's own run, started now (and put on MLflow's stack) if no run is open."""
        with self._lock:
            stack = self._stack()
            if stack:
                return stack[-1]
            return self._start_own()

    def _placeholder_for_user(self):
        with self._lock:
            if self._placeholder is None:
                self._placeholder = _placeholder_class()(self._own_run)
            return self._placeholder

    # -- the wrapped functions -----------------------------------------------------------

    def _active_run(self):
        run = self._original_active()
        if run is not None or not self._on_cell_thread() or _called_by_autologging():
            return run
        # The cell's code asks for "the run" before one is open: a stand-in that starts
        # the cell's run when it is read.
        return self._placeholder_for_user()

    def _start_run(self, *args, **kwargs):
        if self._on_cell_thread() and not self._stack():
            bound = self._start_signature.bind_partial(*args, **kwargs)
            nested = bool(bound.arguments.get("nested", False))
            if nested and not bound.arguments.get("run_id"):
                self._own_run()  # nested=True asks for a parent: the cell is it
        return self.original_start(*args, **kwargs)

    def _end_run(self, *args, **kwargs):
        stack = self._stack()
        if stack:
            status = kwargs.get("status", args[0] if args else "FINISHED")
            self._on_ended(EndedRun(stack[-1].info.run_id, str(status), sys.exc_info()[1]))
        return self.original_end(*args, **kwargs)

    def _get_or_start_run(self):
        if self._on_cell_thread():
            # Logging outside any run the code opened: the cell's own run takes it.
            return self._own_run()
        return self._original_get_or_start()
