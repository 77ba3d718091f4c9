"""What ``%%track`` adds for lineage: the cell's datasets and the notebook snapshot."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from IPython.core.error import UsageError

from ..lineage.datasets import DatasetError, DatasetRecord, describe_path

# A notebook bigger than this is mostly embedded output; storing it with every run
# would fill the artifact store.
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


def check_dataset_paths(paths: list[str]) -> list[str]:
    """The ``--dataset`` paths, refused before any run starts when one is missing."""
    cleaned = [path.strip().strip("'\"") for path in paths]
    missing = [path for path in cleaned if not path or not Path(path).expanduser().exists()]
    if missing:
        raise UsageError(f"--dataset: no such file or folder: {', '.join(missing)}")
    return cleaned


def describe_cell_datasets(paths: list[str]) -> tuple[list[DatasetRecord], list[str]]:
    """Digest each ``--dataset`` once (recorded on every run the cell opens); problems
    become warnings."""
    records: list[DatasetRecord] = []
    warnings: list[str] = []
    for path in paths:
        try:
            record = describe_path(path)
        except DatasetError as error:
            warnings.append(f"dataset not recorded: {error}")
            continue
        except Exception as error:
            warnings.append(f"dataset {path} not recorded: {type(error).__name__}: {error}")
            continue
        records.append(record)
        if record.dvc_matches is False:
            warnings.append(
                f"{path} differs from its DVC pointer ({record.dvc_md5}); "
                "run `dvc checkout` or `dvc add` to bring them together"
            )
    return records, warnings


@dataclass(frozen=True)
class NotebookSnapshot:
    """The saved notebook to store with the runs, and what the user should know."""

    text: str | None = None
    note: str | None = None
    # None: no snapshot; False: it holds the cell as it ran; True: it is older.
    older_than_cell: bool | None = None


def notebook_snapshot(path: str | None, cell_source: str = "") -> NotebookSnapshot:
    """The saved notebook's text (or why there is none), and whether it is older than
    the tracked cell (it does not hold the cell as it ran: unsaved edits)."""
    if not path:
        return NotebookSnapshot()
    notebook = Path(path)
    try:
        if not notebook.is_file():
            return NotebookSnapshot()  # not saved yet (or a console): nothing to attach
        if notebook.stat().st_size > MAX_NOTEBOOK_BYTES:
            return NotebookSnapshot(
                note=f"notebook snapshot skipped: {notebook.name} is over 20 MB"
            )
        text = notebook.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return NotebookSnapshot(note=f"notebook snapshot skipped: {error}")
    older = bool(cell_source) and not _holds_cell(text, cell_source)
    return NotebookSnapshot(text=text, older_than_cell=older)


def _holds_cell(notebook_text: str, cell_source: str) -> bool:
    try:
        cells = json.loads(notebook_text).get("cells", [])
    except (ValueError, AttributeError):
        return False
    wanted = cell_source.strip()
    for cell in cells:
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        if isinstance(source, list):
            source = "".join(source)
        if isinstance(source, str) and source.strip() == wanted:
            return True
    return False
