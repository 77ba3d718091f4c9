"""What a run still owes the tracking backend, kept on disk until it is taken.

When the backend stops answering during a tracked cell, the cell's metric points go
to ``LABTRACK_HOME/pending/<run_id>.jsonl`` as they are logged (the live plot keeps
going), and so do the params, tags and artifacts the cell logs meanwhile (an
artifact's file is copied to ``<run_id>.files/`` beside the journal, which names the
copy) and the run's end-of-cell writes (params, texts, error, final status) if it is
still gone when the cell ends. The file is one header line naming the
tracking URI, then one JSON object per line: a metric point (``MetricPoint`` as a
dict; NaN and ±inf as Python's ``json`` writes them) or an operation (``{"op": …}``).

Durability: each batch is appended with one ``write`` and flushed to the operating
system before it counts as taken, so a kernel killed with SIGKILL loses nothing it
acknowledged; a last line cut short by a crash mid-``write`` is ignored on reading.

Ownership: the writing process holds an exclusive ``flock`` on the file while it
appends and replays; the operating system releases it when that process dies. Any
other process (the next cell's replay, another kernel, the Jupyter server, ``%track
sync``) only replays a file whose lock it can take, so it never deletes points
appended after it read the file.

Replaying twice is harmless: MLflow's SQL stores skip a point identical to a stored
one (its primary key is the whole point), params may be logged again with the same
value, and tags, texts and the final status are overwritten with the same content.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from ..limits import batched
from .points import MetricPoint
from .writers import MetricWriter, PointsRejected

PENDING_DIRNAME = "pending"
REJECTED_DIRNAME = "rejected"
_HEADER_KEY = "labtrack_pending_points"


class RunOperations(Protocol):
    """Applies a journal's non-metric entries to the backend (an MLflow client does)."""

    def apply(self, operation: dict) -> None: ...


@dataclass(frozen=True)
class JournalContents:
    tracking_uri: str
    points: int
    operations: int
    run_ids: frozenset[str]


@dataclass(frozen=True)
class PendingPoints:
    """The pending folder for one tracking URI."""

    folder: Path
    tracking_uri: str

    def path_of(self, run_id: str) -> Path:
        return self.folder / f"{run_id}.jsonl"

    def save(self, run_id: str, points: Sequence[MetricPoint]) -> Path:
        """Append ``points`` to the run's file (created if new); return its path."""
        with self.open(run_id) as journal:
            journal.append_points(points)
        return self.path_of(run_id)

    def open(self, run_id: str) -> RunJournal:
        """The run's journal, locked by this process until closed."""
        return RunJournal(self, run_id)

    def rejected(self) -> PendingPoints:
        """Where points the backend refused are kept: never replayed, kept for the user."""
        return PendingPoints(self.folder / REJECTED_DIRNAME, self.tracking_uri)

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.jsonl"))

    def contents(self, path: Path) -> JournalContents | None:
        """What a file holds, without locking it; None for another backend's file."""
        try:
            entries = _read(path)
        except (OSError, ValueError):
            return None
        if entries is None or entries[0] != self.tracking_uri:
            return None
        points = [e for e in entries[1] if isinstance(e, MetricPoint)]
        operations = [e for e in entries[1] if isinstance(e, dict)]
        run_ids = {p.run_id for p in points} | {o.get("run_id", "") for o in operations}
        return JournalContents(self.tracking_uri, len(points), len(operations), frozenset(run_ids))

    def replay(
        self,
        writer: MetricWriter,
        operations: RunOperations | None = None,
        *,
        skip: Callable[[Path], bool] | None = None,
    ) -> list[str]:
        """Write every pending file of this tracking URI that no live process holds;
        return what happened, in words."""
        notes: list[str] = []
        for path in self.files():
            if skip is not None and skip(path):
                continue
            with _locked_if_free(path) as handle:
                if handle is None:
                    continue  # its run is still being tracked; its owner replays it
                try:
                    entries = _read(path)
                    if entries is None or entries[0] != self.tracking_uri:
                        continue  # another backend's file
                    count = _apply(entries[1], writer, operations)
                    _delete(path)
                except PointsRejected as rejection:
                    kept = self.rejected().folder / path.name
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    path.replace(kept)
                    notes.append(
                        f"the backend rejected unsaved points ({rejection}); kept in {kept}"
                    )
                    continue
                except Exception as error:
                    notes.append(f"could not replay unsaved points from {path}: {error}")
                    break  # the backend is still failing; try again later
            notes.append(f"wrote {count} unsaved point(s) from {path} to the store")
        return notes


class RunJournal:
    """One run's pending file, held (``flock``) by this process while open."""

    def __init__(self, pending: PendingPoints, run_id: str) -> None:
        self.pending = pending
        self.run_id = run_id
        self.path = pending.path_of(run_id)
        self._handle: IO[str] | None = None

    def __enter__(self) -> RunJournal:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def append_points(self, points: Sequence[MetricPoint]) -> None:
        self._append([json.dumps(point._asdict()) for point in points])

    def append_operation(self, op: str, **fields) -> None:
        self._append([json.dumps({"op": op, "run_id": self.run_id, **fields})])

    def keep_files(self, source: str | os.PathLike) -> Path:
        """Copy a file or folder the run logs as an artifact next to the journal (it may
        be a temporary file, gone by the time the server answers); returns the copy."""
        source_path = Path(source)
        target = (
            _files_folder(self.path) / uuid.uuid4().hex / (source_path.resolve().name or "files")
        )
        target.parent.mkdir(parents=True)
        if source_path.is_dir():
            shutil.copytree(source_path, target)
        else:
            shutil.copy2(source_path, target)
        return target

    def replay(self, writer: MetricWriter, operations: RunOperations | None = None) -> int:
        """Write the whole file to the backend, then delete it; raises if the backend
        fails (the file stays). Returns how many points were written."""
        if not self.path.exists():
            return 0
        self._lock()
        entries = _read(self.path)
        count = 0 if entries is None else _apply(entries[1], writer, operations)
        _delete(self.path)
        self.close()  # the next append starts a new file
        return count

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()  # releases the lock
            self._handle = None

    def _append(self, lines: list[str]) -> None:
        if not lines:
            return
        handle = self._lock()
        handle.write("\n".join(lines) + "\n")
        handle.flush()  # in the operating system's hands: survives the process
        os.fsync(handle.fileno())

    def _lock(self) -> IO[str]:
        if self._handle is not None:
            return self._handle
        self.pending.folder.mkdir(parents=True, exist_ok=True)
        while True:
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 -- held while open
            fcntl.flock(handle, fcntl.LOCK_EX)
            if _same_file(handle, self.path):
                break
            handle.close()  # a replayer deleted it meanwhile: lock the new one
        if handle.tell() == 0:
            header = {_HEADER_KEY: 1, "tracking_uri": self.pending.tracking_uri}
            handle.write(json.dumps(header) + "\n")
        elif not _ends_with_newline(self.path):
            handle.write("\n")  # a line cut short by a crash stays on its own, ignored
        self._handle = handle
        return handle


def _files_folder(journal: Path) -> Path:
    return journal.with_suffix(".files")


def _delete(journal: Path) -> None:
    """A replayed journal, and the artifact copies it named."""
    journal.unlink(missing_ok=True)
    shutil.rmtree(_files_folder(journal), ignore_errors=True)


@contextlib.contextmanager
def _locked_if_free(path: Path) -> Iterator[IO[str] | None]:
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115
    except FileNotFoundError:
        yield None
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        yield handle if _same_file(handle, path) else None
    finally:
        handle.close()


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as raw:
        raw.seek(-1, os.SEEK_END)
        return raw.read(1) == b"\n"


def _read(path: Path) -> tuple[str, list[MetricPoint | dict]] | None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines:
        return None
    header = json.loads(lines[0])
    if header.get(_HEADER_KEY) != 1:
        return None
    entries: list[MetricPoint | dict] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # cut short by a crash while it was written: never acknowledged
        entries.append(entry if "op" in entry else MetricPoint(**entry))
    return header.get("tracking_uri", ""), entries


def _apply(
    entries: list[MetricPoint | dict], writer: MetricWriter, operations: RunOperations | None
) -> int:
    """Points in batches, operations in between, all in the order they were journaled."""
    points: list[MetricPoint] = []
    written = 0

    def write_points() -> None:
        nonlocal written
        for chunk in batched(points, writer.max_points_per_write):
            writer.write(chunk)
        written += len(points)
        points.clear()

    for entry in entries:
        if isinstance(entry, MetricPoint):
            points.append(entry)
            continue
        write_points()
        if operations is None:
            raise RuntimeError(f"no way to apply the journaled '{entry.get('op')}' here")
        operations.apply(entry)
    write_points()
    return written
