"""How a metric sink ended, in the words the user reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SinkReport:
    """How a sink ended: what it wrote and, if the backend failed, where the rest went."""

    written: int = 0
    # Points that went to the journal while the backend was away, and how many of
    # them were written from it once it was back.
    journaled: int = 0
    replayed: int = 0
    pending_file: Path | None = None
    pending_count: int = 0
    last_error: str | None = None
    rejected_file: Path | None = None
    rejected_count: int = 0
    rejection: str | None = None
    notes: list[str] = field(default_factory=list)

    def warnings(self, *, pending: bool = True) -> list[str]:
        """What the user should read; ``pending=False`` leaves out the points kept on
        disk (when the caller says so in its own words)."""
        lines = list(self.notes)
        if pending and self.pending_file is not None:
            lines.append(
                f"the backend did not take {self.pending_count} metric point(s) "
                f"({self.last_error}); kept them in {self.pending_file}: they are "
                "sent when it answers again (%track sync sends them now)"
            )
        if self.rejected_file is not None:
            lines.append(
                f"the backend rejected {self.rejected_count} metric point(s) "
                f"({self.rejection}); kept them in {self.rejected_file}"
            )
        return lines

    def keep_rejected(self, pending, name: str, rejected: list) -> None:
        """Set the points the backend refused aside in ``pending/rejected/``."""
        self.rejected_count = len(rejected)
        try:
            if pending is None:
                raise OSError("no pending folder")
            self.rejected_file = pending.rejected().save(name, rejected)
        except OSError as error:
            self.notes.append(
                f"lost {len(rejected)} metric point(s) the backend rejected "
                f"({self.rejection}); keeping them failed ({error})"
            )
