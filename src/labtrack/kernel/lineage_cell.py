"""What ``%%track`` adds for lineage: the cell's datasets and the notebook snapshot."""

from __future__ import annotations

from pathlib import Path

from IPython.core.error import UsageError

from ..lineage.datasets import DatasetError, describe_path
from ..lineage.recording import record_dataset

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


def record_cell_datasets(client, run_id: str, paths: list[str]) -> list[str]:
    """Digest and record each dataset on the run; problems become warnings."""
    warnings: list[str] = []
    for path in paths:
        try:
            record = describe_path(path)
            record_dataset(client, run_id, record, context="training")
        except DatasetError as error:
            warnings.append(f"dataset not recorded: {error}")
        except Exception as error:
            warnings.append(f"dataset {path} not recorded: {type(error).__name__}: {error}")
            continue
        if record.dvc_matches is False:
            warnings.append(
                f"{path} differs from its DVC pointer ({record.dvc_md5}); "
                "run `dvc checkout` or `dvc add` to bring them together"
            )
    return warnings


def notebook_snapshot(path: str | None) -> tuple[str | None, str | None]:
    """The saved notebook's text, or (None, why not) when there is nothing to attach."""
    if not path:
        return None, None
    notebook = Path(path)
    try:
        if not notebook.is_file():
            return None, None  # not saved yet (or a console): nothing to attach
        if notebook.stat().st_size > MAX_NOTEBOOK_BYTES:
            return None, f"notebook snapshot skipped: {notebook.name} is over 20 MB"
        return notebook.read_text(encoding="utf-8"), None
    except (OSError, UnicodeDecodeError) as error:
        return None, f"notebook snapshot skipped: {error}"
