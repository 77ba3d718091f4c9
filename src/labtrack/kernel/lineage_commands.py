"""``%track reproduce``, ``%track diff`` and ``%track show``: a run's lineage in the
notebook. The domain work is in ``labtrack.lineage``; this module parses words, fetches
runs and prints."""

from __future__ import annotations

import os
from pathlib import Path

from IPython.core.error import UsageError

from .. import tags as T
from ..lineage.run_state import artifact_text
from .reproduction_cell import reproduction_cell


def reproduce(magics, words: list[str]) -> None:
    """``%track reproduce RUN_ID``: what differs now, then a new cell below holding the
    run's ``%%track`` line and cell source (the current cell is never overwritten). The
    run's record is untrusted: git runs only in a repository the user owns, with nothing it
    could be configured to run; datasets are rehashed only as regular files, bounded in size
    and time; the inserted cell is rebuilt from validated parts (``reproduction_cell``)."""
    if len(words) != 1:
        raise UsageError("usage: %track reproduce RUN_ID")
    from ..lineage.differences import compare
    from ..lineage.run_state import current_state, recorded_state
    from ..runtime.machine import requirements_text

    run = _get_run(words[0])
    recorded = recorded_state(run)
    now = current_state(recorded, run, requirements_text(), Path(os.getcwd()))
    print(compare(recorded, now).report())
    source = artifact_text(run, T.CELL_SOURCE_ARTIFACT)
    if source is None:
        print(f"labtrack: run {run.info.run_id} has no recorded cell source; no cell inserted")
        return
    cell, notes = reproduction_cell(run, source, magics.track.parser)
    for note in notes:
        print(f"labtrack: note: {note}")
    magics.shell.set_next_input(cell, replace=False)
    print("labtrack: the run's cell is inserted below (not run: read it first)")


def diff(magics, words: list[str]) -> None:
    """``%track diff RUN_A RUN_B``: git, uncommitted files, datasets and packages that
    differ between two runs."""
    if len(words) != 2:
        raise UsageError("usage: %track diff RUN_A RUN_B")
    from ..lineage.differences import compare
    from ..lineage.run_state import recorded_state

    first, second = _get_run(words[0]), _get_run(words[1])
    print(compare(recorded_state(first), recorded_state(second)).report())


def show(magics, words: list[str]) -> None:
    """``%track show RUN_ID``: datasets -> run -> logged models -> registered versions."""
    if len(words) != 1:
        raise UsageError("usage: %track show RUN_ID")
    import mlflow

    from ..lineage.chain import lineage_lines

    run = _get_run(words[0])
    print("\n".join(lineage_lines(mlflow.MlflowClient(), run)))


def _get_run(run_id: str):
    import mlflow
    from mlflow.exceptions import MlflowException

    try:
        return mlflow.MlflowClient().get_run(run_id)
    except MlflowException:
        raise UsageError(f"labtrack: no run with id {run_id!r}") from None
