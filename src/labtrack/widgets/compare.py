"""The inline comparison of runs: parallel coordinates coloured by a metric, brushing
that selects runs (``widget.selected``), one metric's curves overlaid, and the params
that differ. Built by ``labtrack.compare`` / ``%track compare``; drawn by
``js/widgets/compare.ts`` with the same builders as JupyterLab's Compare panel."""

from __future__ import annotations

import anywidget
import traitlets

from .bundle import bundle_path
from .compare_payload import MatrixPayload, pack_curves

# Curves are drawn for the selected runs, else the first runs, at most this many.
MAX_CURVE_RUNS = 50


class CompareWidget(anywidget.AnyWidget):
    _esm = bundle_path()
    _labtrack_view = traitlets.Unicode("compare").tag(sync=True)

    # The compared runs and their columns (see compare_payload.py for the packing).
    runs = traitlets.List().tag(sync=True)
    params = traitlets.List().tag(sync=True)
    metric_keys = traitlets.List(traitlets.Unicode()).tag(sync=True)
    metric_values = traitlets.Bytes(b"").tag(sync=True)
    # The metric colouring the lines; the metric whose curves are overlaid.
    color_metric = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    curve_metric = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    curve_runs = traitlets.List().tag(sync=True)
    curve_values = traitlets.Bytes(b"").tag(sync=True)
    curve_missing = traitlets.List(traitlets.Unicode()).tag(sync=True)
    only_differences = traitlets.Bool(True).tag(sync=True)
    # Run ids inside every brushed axis range, in the order of ``runs``; [] without a brush.
    selected = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, payload: MatrixPayload, facade, frame_source=None, **kwargs) -> None:
        self._facade = facade
        self._frame_source = frame_source  # () -> DataFrame of the compared runs
        self._frame = None
        keys = payload.metric_keys
        super().__init__(
            runs=payload.runs,
            params=payload.params,
            metric_keys=keys,
            metric_values=payload.metric_values,
            color_metric=keys[0] if keys else None,
            **kwargs,
        )
        self.curve_metric = keys[0] if keys else None  # loads the first curves

    @property
    def run_ids(self) -> list[str]:
        return [run["run_id"] for run in self.runs]

    @property
    def frame(self):
        """The compared runs as a DataFrame (the one given, else read once)."""
        if self._frame is None and self._frame_source is not None:
            self._frame = self._frame_source()
        return self._frame

    @property
    def selected_frame(self):
        """The rows of ``frame`` for the runs brushed in the plot, in ``selected``'s order."""
        frame = self.frame
        position = {run_id: i for i, run_id in enumerate(self.selected)}
        rows = frame[frame["run_id"].isin(position)]
        return rows.iloc[rows["run_id"].map(position).argsort()]

    @traitlets.observe("curve_metric", "selected")
    def _load_curves(self, _change) -> None:
        key = self.curve_metric
        if key is None or key not in self.metric_keys:
            self.set_trait("curve_runs", [])
            self.set_trait("curve_values", b"")
            self.set_trait("curve_missing", [])
            return
        run_ids = (self.selected or self.run_ids)[:MAX_CURVE_RUNS]
        curves = pack_curves(self._facade, run_ids, key)
        with self.hold_sync():
            self.curve_values = curves.values
            self.curve_runs = curves.runs
            self.curve_missing = curves.missing

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = (
                f"labtrack comparison of {len(self.runs)} runs "
                f"({len(self.params)} params, {len(self.metric_keys)} metrics)"
            )
        return bundle
