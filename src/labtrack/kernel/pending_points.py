"""Points the backend would not take, kept on disk until it will.

When the flush at the end of a tracked cell cannot reach the backend in time, the
unsaved points are written to ``LABTRACK_HOME/pending/<run_id>.jsonl``: a header
line naming the tracking URI, then one JSON object per point (NaN and ±inf kept
as Python's ``json`` writes them). The next tracked cell on the same tracking URI
replays every pending file in the background and deletes it once written. Replaying
twice is harmless: the SQL store skips a point identical to a stored one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..metrics import MetricPoint
from .metric_writers import MetricWriter, PointsRejected, in_chunks

PENDING_DIRNAME = "pending"
REJECTED_DIRNAME = "rejected"
_HEADER_KEY = "labtrack_pending_points"


@dataclass(frozen=True)
class PendingPoints:
    """The pending-points folder for one tracking URI."""

    folder: Path
    tracking_uri: str

    def save(self, run_id: str, points: Sequence[MetricPoint]) -> Path:
        """Append ``points`` to the run's pending file; return its path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{run_id}.jsonl"
        lines = [json.dumps({_HEADER_KEY: 1, "tracking_uri": self.tracking_uri})]
        if target.exists():
            lines = target.read_text().splitlines()  # an earlier failure of the same run
        lines.extend(json.dumps(point._asdict()) for point in points)
        # Write then rename, so a replay in another kernel never reads half a file.
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text("\n".join(lines) + "\n")
        partial.replace(target)
        return target

    def rejected(self) -> PendingPoints:
        """Where points the backend refused are kept: never replayed, kept for the user."""
        return PendingPoints(self.folder / REJECTED_DIRNAME, self.tracking_uri)

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.jsonl"))

    def replay(self, writer: MetricWriter) -> list[str]:
        """Write every pending file of this tracking URI; return what happened, in words."""
        notes: list[str] = []
        for path in self.files():
            try:
                points = self._read(path)
                if points is None:
                    continue  # another backend's points
                for chunk in in_chunks(points, writer.max_points_per_write):
                    writer.write(chunk)
                path.unlink(missing_ok=True)
            except PointsRejected as rejection:
                kept = self.rejected().folder / path.name
                kept.parent.mkdir(parents=True, exist_ok=True)
                path.replace(kept)
                notes.append(f"the backend rejected unsaved points ({rejection}); kept in {kept}")
                continue
            except Exception as error:
                notes.append(f"could not replay unsaved points from {path}: {error}")
                break  # the backend is still failing; try again with the next cell
            notes.append(f"wrote {len(points)} unsaved point(s) from {path} to the store")
        return notes

    def _read(self, path: Path) -> list[MetricPoint] | None:
        lines = path.read_text().splitlines()
        if not lines:
            return []
        header = json.loads(lines[0])
        if header.get(_HEADER_KEY) != 1 or header.get("tracking_uri") != self.tracking_uri:
            return None
        return [MetricPoint(**json.loads(line)) for line in lines[1:] if line.strip()]
