"""The static form of a labtrack widget's final state, and the output that carries it.

A widget view needs its model in a live kernel; a saved notebook outlives the kernel. So
each labtrack output also holds, in the same display, a script-free ``text/html`` form of
what the widget showed last (``text/plain`` too) and a small
``application/vnd.labtrack.static+json`` marker naming the widget. JupyterLab's labtrack
renderer (``js/lab/static-output``) prefers the marker: it shows the live widget when its
model is there and the static form when it is not (kernel restarted, notebook reopened or
sent elsewhere); nbconvert, GitHub and JupyterLab without labtrack show ``text/html``.
docs/static-outputs.md says why this path and not another.

The live plot's form is drawn from the widget's own state only: its card traits and the
reduced histories its channel holds (``LiveChannel.reduced_history``), never from the
session that fed it. Its size is bounded whatever the run's length: at most
``MAX_CHARTS`` charts, ``MAX_SERIES`` traces a chart, ``TOTAL_POINTS`` points drawn in all
(≤ 200 KB of output, see README).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .static_html import (
    badge,
    chart_tile,
    duration_text,
    esc,
    frame,
    heading,
    muted,
    note,
    short,
    table,
    value_text,
)
from .static_media import newest_images_html
from .static_system import is_system_metric, system_section
from .svg_chart import HEIGHT, WIDTH, Series, data_uri, line_chart

MIME = "application/vnd.labtrack.static+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The budget of one static output (README): the bounds below keep the live plot's form under it.
BUDGET_BYTES = 200_000
MAX_CHARTS = 12
MAX_SERIES = 12
TOTAL_POINTS = 10_000
SERIES_POINTS = (64, 600)  # fewest and most points a trace is drawn with
MAX_METRIC_ROWS = 40
LOWER_IS_BETTER = ("loss", "error", "mse", "mae", "rmse")  # as js/plots/live-lines.ts


@dataclass(frozen=True)
class StaticForm:
    """What a widget showed, as script-free HTML and as text."""

    view: str
    html: str
    text: str


def output_bundle(form: StaticForm, widget_view: dict | None, *, with_view: bool) -> dict:
    """An output's data: the static form, the marker that lets labtrack's JupyterLab
    renderer mount the widget (``widget_view``: the ``…widget-view+json`` data), and the
    standard widget view itself when ``with_view``."""
    data: dict = {}
    if widget_view is not None and with_view:
        data[WIDGET_VIEW] = widget_view
    data[MIME] = {"view": form.view, "widget": widget_view}
    data["text/html"] = form.html
    data["text/plain"] = form.text
    return data


def lower_is_better(key: str) -> bool:
    return any(word in key.lower() for word in LOWER_IS_BETTER)


def _finite(values: np.ndarray) -> np.ndarray:
    return values[~np.isnan(values)]


def _best(values: list[np.ndarray], lower: bool) -> float | None:
    usable = [v for v in (_finite(v) for v in values) if v.size]
    if not usable:
        return None
    return float(min(v.min() for v in usable) if lower else max(v.max() for v in usable))


def _latest(columns: list[np.ndarray]) -> float | None:
    """The value logged last (by wall time) across traces, as the widget's "current"."""
    last = [c[:, -1] for c in columns if c.shape[1]]
    return float(max(last, key=lambda point: point[1])[2]) if last else None


def run_summary_text(plot) -> str:
    duration = None
    if plot.start_time_ms is not None and plot.end_time_ms is not None:
        duration = plot.end_time_ms - plot.start_time_ms
    text = f"labtrack run {plot.run_name} ({plot.run_id})"
    if plot.experiment_name:
        text += f" in experiment '{plot.experiment_name}'"
    text += f" {plot.status}"
    return text + (f" after {duration_text(duration)}" if duration is not None else "")


def _card(plot) -> str:
    duration = None
    if plot.start_time_ms is not None and plot.end_time_ms is not None:
        duration = plot.end_time_ms - plot.start_time_ms
    parts = [
        f"<span class='lt-static-name' style='font-weight: bold; font-size: 14px'>"
        f"{esc(plot.run_name or plot.run_id[:8])}</span>",
        badge(plot.status),
        muted(f"{esc(plot.run_id)} · {esc(plot.experiment_name)}"),
        muted(duration_text(duration)),
    ]
    if plot.steps_total:
        parts.append(muted(f"{plot.steps_done or 0} / {plot.steps_total} steps"))
    return f"<div class='lt-static-card'>{' &nbsp;'.join(parts)}</div>"


def _sweep_line(sweep: dict) -> str:
    runs, metrics = sweep.get("runs") or [], sweep.get("metrics") or []
    if not runs:
        return ""
    count = f"{len(runs)} trial{'s' if len(runs) != 1 else ''} finished"
    keys = [m["key"] for m in metrics]
    key = next((k for k in keys if lower_is_better(k)), keys[0] if keys else None)
    if key is None:
        return note(esc(count))
    values = next(m["values"] for m in metrics if m["key"] == key)
    scored = [(v, i) for i, v in enumerate(values) if v is not None and np.isfinite(v)]
    if not scored:
        return note(esc(count))
    value, index = min(scored) if lower_is_better(key) else max(scored)
    label = runs[index].get("run_name") or runs[index]["run_id"][:8]
    return note(esc(f"{count} · best {key} {value_text(value)} ({label})"))


def card_form(plot) -> StaticForm:
    """The run card alone: what stands in when the charts cannot be drawn."""
    return StaticForm("live_plot", frame("live_plot", _card(plot)), run_summary_text(plot))


def live_plot_form(plot) -> StaticForm:
    """The live plot (or run card) as it ended: card, a chart per metric, final values."""
    histories = plot.channel.reduced_history()
    root = plot.run_id
    by_key: dict[str, list[tuple[str, np.ndarray]]] = {}
    for (run_id, key), columns in histories.items():
        if not is_system_metric(key):  # the System row's (static_system.py)
            by_key.setdefault(key, []).append((run_id, columns))
    for traces in by_key.values():
        traces.sort(key=lambda trace: trace[0] != root)  # the tracked run first
    # A metric logged once (a final score) is a value, not a curve: it goes in the table.
    curves = [key for key, traces in by_key.items() if any(c.shape[1] > 1 for _, c in traces)]
    charts = curves[:MAX_CHARTS]
    drawn = sum(min(len(by_key[key]), MAX_SERIES) for key in charts)
    per_series = max(SERIES_POINTS[0], min(SERIES_POINTS[1], TOTAL_POINTS // max(1, drawn)))
    names = {run_id: (entry or {}).get("name") for run_id, entry in (plot.runs or {}).items()}

    def label(run_id: str) -> str:
        return names.get(run_id) or (plot.run_name if run_id == root else "") or run_id[:8]

    start_ms = plot.start_time_ms or 0
    tiles = []
    for key in charts:
        traces = by_key[key][:MAX_SERIES]
        lower = lower_is_better(key)
        series = [
            Series(
                short(label(run_id), 40),
                (columns[1] - start_ms) / 1000 if plot.x_axis == "time" else columns[0],
                columns[2],
            )
            for run_id, columns in traces
        ]
        svg = line_chart(series, x_axis=plot.x_axis, max_points=per_series)
        current, best = _latest([c for _, c in traces]), _best([c[2] for _, c in traces], lower)
        title = f"<b>{esc(short(key, 60))}</b> " + muted(
            f"current {value_text(current)} · best {value_text(best)} ({'min' if lower else 'max'})"
        )
        more = len(by_key[key]) - len(traces)
        if more:
            title += muted(f" · {more} more runs not drawn")
        tiles.append(chart_tile(title, data_uri(svg), f"{key} chart", WIDTH, HEIGHT))

    rows = []
    text_rows = []
    for key, traces in by_key.items():
        own = [columns for run_id, columns in traces if run_id == root]
        if not own:
            continue
        lower = lower_is_better(key)
        current, best = _latest(own), _best([own[0][2]], lower)
        count = plot.channel.point_count(root, key)
        rows.append([esc(short(key)), value_text(current), value_text(best), str(count)])
        text_rows.append(f"  {key}: {value_text(current)} (best {value_text(best)})")
    body = [_card(plot), _sweep_line(plot.sweep or {})]
    if tiles:
        body.append("<div class='lt-static-charts'>" + "".join(tiles) + "</div>")
        hidden = len(curves) - len(charts)
        if hidden:
            body.append(note(f"{hidden} more curves are not drawn; their values are below."))
    if rows:
        body.append(heading("Final values"))
        body.append(
            table(
                ["metric", "last", "best", "points"],
                rows[:MAX_METRIC_ROWS],
                numeric=[False, True, True, True],
            )
        )
        if len(rows) > MAX_METRIC_ROWS:
            body.append(note(f"and {len(rows) - MAX_METRIC_ROWS} more metrics"))
    elif not tiles:
        body.append(note("No metrics logged."))
    body.append(newest_images_html(getattr(plot, "images", None) or {}))
    body.append(system_section(histories, root, label, plot.x_axis, start_ms))
    text = "\n".join([run_summary_text(plot), *text_rows[:10]])
    return StaticForm("live_plot", frame("live_plot", "".join(body)), text)


def add_static_form(data: dict, build) -> None:
    """Put the static form ``build()`` makes into a widget's display data, beside its view;
    the widget still shows if the form cannot be made (it says why on stderr)."""
    try:
        form = build()
    except Exception as error:
        import sys

        print(
            f"labtrack: warning: no static form: {type(error).__name__}: {error}", file=sys.stderr
        )
        return
    data.update(output_bundle(form, data.get(WIDGET_VIEW), with_view=True))
