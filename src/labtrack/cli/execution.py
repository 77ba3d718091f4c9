"""Running the notebook: papermill with a progress line per code cell.

papermill's own engine (nbclient) executes the cells and saves the output notebook after
each one; this engine only swaps its progress bar for lines a CI log reads well: the
cell's first line, how it ended, and the tracked runs' summaries it printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.exceptions import PapermillExecutionError

ENGINE = "labtrack"
HEADLINE_CHARS = 72


class CellFailed(Exception):
    """A cell raised: the notebook stopped there (its tracked run ended FAILED)."""


def _headline(cell) -> str:
    lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
    text = lines[0] if lines else "(empty)"
    return text if len(text) <= HEADLINE_CHARS else text[: HEADLINE_CHARS - 1] + "…"


class CellProgress(NotebookExecutionManager):
    """papermill's bookkeeping, with one line per code cell instead of a progress bar."""

    def _code_position(self, cell_index: int | None) -> str:
        code = [i for i, c in enumerate(self.nb.cells) if c.cell_type == "code"]
        number = code.index(cell_index) + 1 if cell_index in code else "?"
        return f"[{number}/{len(code)}]"

    def cell_start(self, cell, cell_index=None, **kwargs):
        super().cell_start(cell, cell_index, **kwargs)
        if cell.cell_type == "code":
            print(f"{self._code_position(cell_index)} {_headline(cell)}", flush=True)

    def cell_complete(self, cell, cell_index=None, **kwargs):
        super().cell_complete(cell, cell_index, **kwargs)
        if cell.cell_type != "code":
            return
        seconds = cell.metadata.get("papermill", {}).get("duration") or 0.0
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            print(f"    failed after {seconds:.1f}s: {errors[0].ename}: {errors[0].evalue}")
        else:
            print(f"    ok ({seconds:.1f}s)")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                for line in output.get("text", "").splitlines():
                    if line.startswith("labtrack: "):
                        print(f"    {line}")
        sys.stdout.flush()


class ProgressEngine(NBClientEngine):
    @classmethod
    def execute_notebook(
        cls,
        nb,
        kernel_name,
        output_path=None,
        progress_bar=False,
        log_output=False,
        autosave_cell_every=30,
        **kwargs,
    ):
        # As papermill's Engine.execute_notebook, with CellProgress as the manager.
        nb_man = CellProgress(
            nb,
            output_path=output_path,
            progress_bar=False,
            log_output=False,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=False, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb


papermill_engines.register(ENGINE, ProgressEngine)


def execute(
    notebook: Path,
    output: Path,
    parameters: dict,
    kernel: str | None,
    timeout: float | None,
) -> None:
    """Execute ``notebook`` into ``output`` in the notebook's folder; raises CellFailed."""
    import papermill

    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            engine_name=ENGINE,
            kernel_name=kernel,
            progress_bar=False,
            cwd=str(notebook.parent),
            execution_timeout=timeout,
            # Without a kernel a reader sees each labtrack output's static form; widget
            # views rebuilt from saved state would be empty (the live plot's points are
            # messages, not state), so that state is not written into the notebook.
            store_widget_state=False,
        )
    except PapermillExecutionError as error:
        raise CellFailed(
            f"cell [{error.exec_count}] raised {error.ename}: {error.evalue}; "
            f"the executed notebook is {output}"
        ) from None
