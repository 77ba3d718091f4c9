"""Static export of the comparison widget: a standalone HTML document (and a PNG when
kaleido is installed) that shows the comparison without a kernel.

The figures are the plotly specs the browser view drew (``CompareWidget.figures``, sent
back after each render, so the export looks like the widget: same axes, colours, theme).
Before any view has rendered (``%track compare --static``, nbconvert, papermill) a plainer
parallel-coordinates figure is built here from the payload. Every run name, param key and
value is kernel text and is HTML-escaped; plotly puts figure text into JSON, escaped by
``plotly.io.to_html``.
"""

from __future__ import annotations

import html
import math

import numpy as np

from .compare_payload import MatrixPayload, unpack_metrics

MISSING = "missing"
MAX_TABLE_RUNS = 100  # as js/widgets/compare-table.ts
PNG_HINT = "to_png needs kaleido: pip install kaleido (and a Chrome it can find)"


def _plotly_io():
    try:
        import plotly.io as pio
    except ImportError as error:
        raise RuntimeError(
            "static export needs plotly: pip install 'labtrack[export]' (or plotly)"
        ) from error
    return pio


def fallback_parallel(payload: MatrixPayload, color_metric: str | None) -> dict:
    """A parallel-coordinates figure built in the kernel: params as categorical axes
    (missing values on their own tick), metrics as numeric axes."""
    dimensions = []
    for param in payload.params:
        categories = sorted({v for v in param["values"] if v is not None})
        labels = [*categories, *([MISSING] if None in param["values"] else [])]
        code = {label: i for i, label in enumerate(labels)}
        values = [code[MISSING if v is None else v] for v in param["values"]]
        dimensions.append(
            {
                "label": param["key"],
                "values": values,
                "tickvals": list(range(len(labels))),
                "ticktext": labels,
            }
        )
    metrics = unpack_metrics(payload)
    for key, column in metrics.items():
        values = [None if math.isnan(v) else float(v) for v in column]
        dimensions.append({"label": key, "values": values})
    line: dict = {"color": "#1f77b4"}
    if color_metric in metrics:
        column = np.nan_to_num(metrics[color_metric], nan=np.nanmin(metrics[color_metric]))
        line = {
            "color": column.tolist(),
            "colorscale": "Viridis",
            "showscale": True,
            "colorbar": {"title": {"text": color_metric}},
        }
    return {
        "data": [{"type": "parcoords", "dimensions": dimensions, "line": line}],
        "layout": {"height": 380, "margin": {"l": 70, "r": 110, "t": 56, "b": 24}},
    }


def fallback_curves(curves: dict, labels: dict, metric: str) -> dict:
    """``curves``: run id → (steps, values), as ``unpack_curves`` gives them."""
    data = [
        {
            "type": "scattergl",
            "mode": "lines",
            "name": labels.get(run_id, run_id[:8]),
            "x": steps.tolist(),
            "y": [None if math.isnan(v) else v for v in values.tolist()],
        }
        for run_id, (steps, values) in curves.items()
    ]
    layout = {
        "height": 280,
        "xaxis": {"title": {"text": "step"}},
        "yaxis": {"title": {"text": metric}},
    }
    return {"data": data, "layout": layout}


def params_table_html(
    params: list[dict],
    run_labels: list[str],
    only_differences: bool,
    selected: list[int] | None = None,
) -> str:
    """The params × runs table, every text escaped; at most MAX_TABLE_RUNS run columns,
    the ``selected`` ones (indices) first, as in the widget."""
    columns = list(range(len(run_labels)))
    if len(columns) > MAX_TABLE_RUNS:
        columns = list(dict.fromkeys([*(selected or []), *columns]))[:MAX_TABLE_RUNS]
    run_labels = [run_labels[i] for i in columns]
    params = [{"key": p["key"], "values": [p["values"][i] for i in columns]} for p in params]
    shown = [p for p in params if not only_differences or len({v for v in p["values"]}) > 1]
    if not shown:
        return "<p class='lt-note'>No params differ between these runs.</p>"
    esc = html.escape
    head = "".join(f"<th scope='col'>{esc(label)}</th>" for label in run_labels)
    rows = []
    for param in shown:
        cells = "".join(
            "<td class='lt-missing'>—</td>" if v is None else f"<td>{esc(str(v))}</td>"
            for v in param["values"]
        )
        rows.append(f"<tr><th scope='row'>{esc(param['key'])}</th>{cells}</tr>")
    return (
        "<table class='lt-params'><thead><tr><th scope='col'>Param</th>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


STYLE = """
.lt-static { font-family: system-ui, sans-serif; font-size: 13px; color: %(fg)s;
  background: %(bg)s; padding: 8px; }
.lt-static h2 { font-size: 15px; margin: 4px 0 8px; }
.lt-static h3 { font-size: 13px; margin: 12px 0 4px; }
.lt-params { border-collapse: collapse; }
.lt-params th, .lt-params td { border: 1px solid %(grid)s; padding: 2px 6px; text-align: left; }
.lt-missing { opacity: 0.6; }
.lt-static .parcoords .axis .domain, .lt-static .parcoords .axis .tick > line {
  stroke: %(fg)s; stroke-opacity: 0.45; }
"""


def compose_html(
    *,
    title: str,
    figures: list[dict],
    params_html: str,
    include_plotlyjs: bool | str = True,
    full_html: bool = True,
) -> str:
    """One HTML document (or fragment): a title, the figures, the params table.

    ``include_plotlyjs``: True embeds plotly.js (standalone, offline, ~4.7 MB);
    "cdn" loads it from the CDN (small, needs the network)."""
    pio = _plotly_io()
    layout = figures[0].get("layout", {}) if figures else {}
    colours = {
        "bg": layout.get("paper_bgcolor") or "#ffffff",
        "fg": (layout.get("font") or {}).get("color") or "#222222",
        "grid": "#8888",
    }
    parts = []
    for i, figure in enumerate(figures):
        parts.append(
            pio.to_html(
                {"data": figure.get("data", []), "layout": figure.get("layout", {})},
                full_html=False,
                include_plotlyjs=include_plotlyjs if i == 0 else False,
                validate=False,
                config={"displaylogo": False, "responsive": True},
                div_id=f"labtrack-static-{i}",
            )
        )
    body = (
        f"<div class='lt-static' data-labtrack-static='compare'>"
        f"<h2>{html.escape(title)}</h2>{''.join(parts)}<h3>Params</h3>{params_html}</div>"
    )
    style = f"<style>{STYLE % colours}</style>"
    if not full_html:
        return style + body
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>{style}</head>"
        f"<body style='margin:0;background:{html.escape(colours['bg'])}'>{body}</body></html>"
    )


def figures_png(figures: list[dict], path: str, width: int = 1100) -> None:
    """The parallel coordinates into ``path``, the curves into ``path-1.png`` (kaleido)."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        raise RuntimeError(PNG_HINT) from None
    pio = _plotly_io()
    if len(figures) == 1:
        pio.write_image(figures[0], path, format="png", width=width, validate=False)
        return
    stem, dot, ext = path.rpartition(".")
    for i, figure in enumerate(figures):
        target = path if i == 0 else f"{stem or path}-{i}.{ext if dot else 'png'}"
        pio.write_image(figure, target, format="png", width=width, validate=False)
