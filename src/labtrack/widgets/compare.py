"""The inline comparison of runs: parallel coordinates coloured by a metric, brushing
that selects runs (``widget.selected``), one metric's curves overlaid, and the params
that differ. Built by ``labtrack.compare`` / ``%track compare``; drawn by
``js/widgets/compare.ts`` with the same builders as JupyterLab's Compare panel."""

from __future__ import annotations

import traitlets

from .base import LabtrackWidget
from .compare_extras import CompareExtras
from .compare_payload import MatrixPayload, pack_curves, unpack_metrics
from .static_form import add_static_form

# Curves are drawn for the selected runs, else the first runs, at most this many.
MAX_CURVE_RUNS = 50


class CompareWidget(CompareExtras, LabtrackWidget):
    _labtrack_view = traitlets.Unicode("compare").tag(sync=True)

    # The compared runs and their columns (see compare_payload.py for the packing).
    run_table = traitlets.Dict().tag(sync=True)  # {"ids", "names", "statuses", "status"}
    param_keys = traitlets.List(traitlets.Unicode()).tag(sync=True)
    param_categories = traitlets.List().tag(sync=True)
    param_codes = traitlets.Bytes(b"").tag(sync=True)
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
    # The plotly figures the view last drew ({"parallel": {data, layout}, "overlay": …}),
    # sent back by the browser for the static export.
    # Not echoed back to the browser (ipywidgets echoes every state a view sets by default):
    # no view reads it, and at 10k runs it is over a megabyte.
    figures = traitlets.Dict().tag(sync=True, echo_update=False)

    def __init__(self, payload: MatrixPayload, facade, frame_source=None, **kwargs) -> None:
        self._facade = facade
        self._frame_source = frame_source  # () -> DataFrame of the compared runs
        self._frame = None
        self._payload = payload
        # By default the comparison is about the metric a user would pick: one most of the
        # runs have, autolog's search score or a loss before others, never a timing.
        chosen = default_metric(payload)
        super().__init__(**payload.wire(), color_metric=chosen, **kwargs)
        self.curve_metric = chosen  # loads its curves
        try:
            self.load_media()
        except Exception as error:  # the images are extra: the comparison shows without them
            import sys

            print(f"labtrack: warning: no images in the comparison: {error}", file=sys.stderr)

    @property
    def runs(self) -> list[dict]:
        """The compared runs: ``[{"run_id", "run_name", "status"}]``."""
        return self._payload.runs

    @property
    def params(self) -> list[dict]:
        """The params of the runs: ``[{"key", "values": [str | None per run]}]``."""
        return self._payload.params

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

    @traitlets.observe("curve_metric", "selected", "curve_group_by")
    def _load_curves(self, _change) -> None:
        key = self.curve_metric
        if key is None or key not in self.metric_keys:
            self.set_trait("curve_runs", [])
            self.set_trait("curve_values", b"")
            self.set_trait("curve_times", b"")
            self.set_trait("curve_missing", [])
            return
        # Grouped curves are means of the groups' runs: more runs are read then.
        run_ids = (self.selected or self.run_ids)[: self.curve_run_limit(MAX_CURVE_RUNS)]
        curves = pack_curves(self._facade, run_ids, key)
        with self.hold_sync():
            self.curve_values = curves.values
            self.curve_times = curves.times
            self.curve_runs = curves.runs
            self.curve_missing = curves.missing

    def static_figures(self) -> list[dict]:
        """The figures as the view drew them, else built here from the payload."""
        from .compare_payload import CurvePayload, unpack_curves
        from .static_export import fallback_curves, fallback_parallel

        drawn = [self.figures[k] for k in ("parallel", "overlay") if self.figures.get(k)]
        if drawn:
            return drawn
        figures = [fallback_parallel(self._payload, self.color_metric)]
        if self.curve_metric and self.curve_runs:
            curves = unpack_curves(
                CurvePayload(self.curve_metric, self.curve_runs, self.curve_values, [])
            )
            labels = {r["run_id"]: r.get("run_name") or r["run_id"][:8] for r in self.runs}
            figures.append(fallback_curves(curves, labels, self.curve_metric))
        return figures

    def _selected_indices(self) -> list[int]:
        position = {run_id: i for i, run_id in enumerate(self.run_ids)}
        return [position[run_id] for run_id in self.selected if run_id in position]

    def _html(self, include_plotlyjs: bool | str, full_html: bool) -> str:
        from .static_export import compose_html, params_table_html

        labels = [r.get("run_name") or r["run_id"][:8] for r in self.runs]
        return compose_html(
            title=f"labtrack comparison of {len(self.runs)} runs",
            figures=self.static_figures(),
            params_html=params_table_html(
                self.params, labels, self.only_differences, self._selected_indices()
            ),
            include_plotlyjs=include_plotlyjs,
            full_html=full_html,
        )

    def to_html(self, path=None, *, include_plotlyjs: bool | str = True) -> str:
        """A standalone HTML document of this comparison (plots and params table); also
        written to ``path`` when given. ``include_plotlyjs="cdn"`` keeps it small."""
        document = self._html(include_plotlyjs, full_html=True)
        if path is not None:
            with open(path, "w", encoding="utf-8") as file:
                file.write(document)
        return document

    def to_png(self, path) -> None:
        """The parallel coordinates as a PNG at ``path`` (the curves next to it); needs
        kaleido, which labtrack does not install."""
        from .static_export import figures_png

        figures_png(self.static_figures(), str(path))

    def snapshot(self, *, include_plotlyjs: bool | str = "cdn"):
        """The comparison as an ordinary ``text/html`` output, saved with the notebook
        (plotly.js from the CDN by default; ``include_plotlyjs=True`` embeds it)."""
        from IPython.display import HTML

        return HTML(self._html(include_plotlyjs, full_html=False))

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = (
                f"labtrack comparison of {len(self.runs)} runs "
                f"({len(self.params)} params, {len(self.metric_keys)} metrics)"
            )
            add_static_form(data, self.static_form)
        return bundle

    def static_form(self):
        """The comparison as shown, script-free (saved with the notebook beside the view)."""
        from .compare_payload import CurvePayload, unpack_curves
        from .static_tables import compare_form

        curves = {}
        if self.curve_metric and self.curve_runs:
            payload = CurvePayload(self.curve_metric, self.curve_runs, self.curve_values, [])
            curves = unpack_curves(payload)
        return compare_form(
            runs=self.runs,
            params=self.params,
            metrics=unpack_metrics(self._payload),
            selected=list(self.selected),
            color_metric=self.color_metric,
            curves=curves,
            curve_metric=self.curve_metric,
        )


def default_metric(payload: MatrixPayload) -> str | None:
    """The metric a comparison of these runs colours by and draws curves of."""
    import numpy as np

    from ..backend.objective import objective_metric

    columns = unpack_metrics(payload)
    coverage = {key: int(np.count_nonzero(~np.isnan(values))) for key, values in columns.items()}
    return objective_metric(coverage, len(payload.runs))
