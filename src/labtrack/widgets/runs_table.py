"""``%track runs``: the DataFrame of ``labtrack.runs`` as an interactive table (sort by a
column, filter by text, select rows). ``table.selected`` is the DataFrame of the selected
rows. Drawn by ``js/widgets/runs-table.ts``."""

from __future__ import annotations

import math

import traitlets

from .base import LabtrackWidget
from .static_form import add_static_form
from .static_tables import runs_table_form


def _cell(value):
    """A JSON-safe cell: numbers stay numbers (so they sort as numbers), NaN/None → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else value
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _cell(value.item())
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


class RunsTable(LabtrackWidget):
    _labtrack_view = traitlets.Unicode("runs_table").tag(sync=True)

    columns = traitlets.List(traitlets.Unicode()).tag(sync=True)
    rows = traitlets.List().tag(sync=True)  # one list of cells per run, in ``columns`` order
    # Run ids of the selected rows, in the frame's order.
    selected_ids = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, frame, **kwargs) -> None:
        if "run_id" not in frame.columns:
            raise ValueError("a table of runs needs a run_id column")
        self._frame = frame
        columns = [str(c) for c in frame.columns]
        rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        super().__init__(columns=columns, rows=rows, **kwargs)

    @property
    def frame(self):
        """All the runs of the table, as given."""
        return self._frame

    @property
    def selected(self):
        """The selected rows of ``frame`` (a DataFrame; empty when none is selected)."""
        chosen = set(self.selected_ids)
        return self._frame[self._frame["run_id"].isin(chosen)]

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = f"labtrack table of {len(self.rows)} runs"
            add_static_form(data, lambda: runs_table_form(self.columns, self.rows))
        return bundle
