"""How a tracked cell ended, and writing that end without being cut short.

The status a run earns from the cell's outcome (an exception is FAILED, an interrupt
KILLED, ``sys.exit(0)`` FINISHED), the one-line error and the traceback as the user
reads it (labtrack's own frames left out), and holding back Ctrl-C while the end is
being written.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import traceback
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

from .. import tags as T

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


class RunStatus(StrEnum):
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"


def outcome_of(error: BaseException | None) -> RunStatus:
    if error is None:
        return RunStatus.FINISHED
    if isinstance(error, KeyboardInterrupt):
        return RunStatus.KILLED
    if isinstance(error, SystemExit) and error.code in (None, 0):
        return RunStatus.FINISHED
    return RunStatus.FAILED


def error_line(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    text = f"{type(error).__name__}: {error}".strip()
    return text[: T.MAX_TAG_VALUE]


def format_user_traceback(error: BaseException) -> str:
    """The traceback as the user would read it: labtrack's own frames left out."""
    summary = traceback.TracebackException.from_exception(error)
    _drop_own_frames(summary)
    return "".join(summary.format())


def _drop_own_frames(summary: traceback.TracebackException) -> None:
    kept = [frame for frame in summary.stack if not frame.filename.startswith(_PACKAGE_DIR)]
    summary.stack = traceback.StackSummary.from_list(kept)
    for linked in (summary.__cause__, summary.__context__):
        if linked is not None:
            _drop_own_frames(linked)


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[list[int]]:
    """Hold back Ctrl-C / kernel interrupts while the run's end is being written.

    An interrupt landing half-way through would leave a run RUNNING or points
    unsaved; it is remembered and the caller re-raises it afterwards.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = signal.getsignal(signal.SIGINT)

    def remember(signum, _frame):
        received.append(signum)

    signal.signal(signal.SIGINT, remember)
    try:
        yield received
    finally:
        signal.signal(signal.SIGINT, previous)
