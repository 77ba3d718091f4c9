"""The journal a metric sink keeps on disk: what the backend has not taken yet.

One per tracked cell, named after the run that stands for the cell. Points and run
operations are appended to it while the backend is away; the sink replays it when the
backend answers again, or leaves it for a later replay (the next tracked cell, the
automatic retry, ``%track sync``) and says where it is.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .journal import PendingPoints, RunJournal, RunOperations
from .points import MetricPoint
from .report import SinkReport
from .writers import MetricWriter


class SinkJournal:
    """The sink's journal file, and the folder of its kind (``pending/``), thread-safe."""

    def __init__(self, pending: PendingPoints | None, name: str) -> None:
        self.pending = pending
        self.name = name
        self._journal: RunJournal | None = pending.open(name) if pending is not None else None
        # Appends come from the writer thread, or from close() when that thread hangs;
        # held while an artifact is copied too: a replay deletes the copies.
        self._lock = threading.Lock()

    @property
    def usable(self) -> bool:
        return self._journal is not None

    @property
    def path(self) -> Path | None:
        return self._journal.path if self._journal is not None else None

    def rename(self, name: str) -> None:
        """Name it after ``name`` unless something was kept in it already."""
        with self._lock:
            if self.pending is None or self._journal is None or self._journal.exists:
                return
            if name != self.name:
                self.name = name
                self._journal = self.pending.open(name)

    def keep_operation(self, operation: dict, files: str | None) -> bool:
        """Append a run operation (``files`` copied beside it); False when it could not."""
        with self._lock:
            if self._journal is None:
                return False
            fields = dict(operation)
            try:
                if files is not None:
                    fields["local_path"] = str(self._journal.keep_files(files))
                self._journal.append_operation(fields.pop("op"), **fields)
            except OSError:
                return False
        return True

    def append_points(self, points: list[MetricPoint]) -> None:
        """Append; raises OSError when the disk fails."""
        assert self._journal is not None
        with self._lock:
            self._journal.append_points(points)

    def replay(self, writer: MetricWriter, operations: RunOperations | None) -> int:
        assert self._journal is not None
        with self._lock:
            return self._journal.replay(writer, operations)

    def abandon(self) -> None:
        """Leave the file alone from now on (the backend refused what it holds)."""
        self._journal = None

    def replay_others(self, writer: MetricWriter, operations: RunOperations | None) -> list[str]:
        """Replay the journals earlier cells left behind (not this one); the notes."""
        if self.pending is None:
            return []
        return self.pending.replay(writer, operations, skip=lambda path: path.stem == self.name)

    def save_unsaved(self, unsaved: list[MetricPoint], report: SinkReport) -> None:
        """At the end: points the backend did not take go to the journal, or are reported
        lost with the reason."""
        if self._journal is None:
            report.notes.append(
                f"lost {len(unsaved)} metric point(s): the backend failed "
                f"({report.last_error}) and there is no pending folder"
            )
            return
        try:
            self.append_points(unsaved)
            report.pending_file = self._journal.path
            report.pending_count = self._count()
        except OSError as error:
            report.notes.append(
                f"lost {len(unsaved)} metric point(s): the backend failed "
                f"({report.last_error}) and saving them failed too ({error})"
            )

    def finish(self, report: SinkReport, rejected: list[MetricPoint]) -> None:
        """At the end: refused points set aside, and the report names what waits on disk."""
        if rejected:
            report.keep_rejected(self.pending, self.name, rejected)
        if self._journal is not None:
            if self._journal.exists and report.pending_file is None:
                report.pending_file = self._journal.path
                report.pending_count = self._count()
            self._journal.close()

    def _count(self) -> int:
        assert self.pending is not None
        contents = self.pending.contents(self.pending.path_of(self.name))
        return contents.points if contents is not None else 0
