"""What a tracked cell asks for (its ``%%track`` options as settled by the magic), and
the errors that stop a cell's tracking with a message meant for the user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..metrics.sink import DEFAULT_FLUSH_INTERVAL
from .system_metrics import DEFAULT_INTERVAL_S


class TrackingError(Exception):
    """labtrack could not do what was asked; the message is meant for the user."""


class OwnRunRefused(TrackingError):
    """The backend refused the cell's own run when its code first logged (no
    credentials, no permission on the experiment, no server): nothing was recorded."""


@dataclass(frozen=True)
class RunRequest:
    experiment: str | None = None
    run_name: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    nested: bool = False
    autolog: bool = False
    # Seconds between writes of buffered metric points to the backend.
    flush_interval: float = DEFAULT_FLUSH_INTERVAL
    # A tracking server that cannot be reached as the cell starts: run in its local
    # spool (False: fail, as MLflow would).
    offline_fallback: bool = True
    # The options describe the cell's own run (--experiment, --name, --tag, --params,
    # --dataset): a
    # cell whose code opens no run still gets one.
    wants_own_run: bool = False
    # Seconds between samples of the machine (system/… metrics of the cell's top-level
    # runs, tracking/system_metrics.py); None: no system metrics.
    system_metrics_interval: float | None = DEFAULT_INTERVAL_S
