"""Static forms of the comparison, the runs table and the registry, as they were shown.

Each is bounded so that a comparison of 10k runs or a table of 1,000 runs stays a small
output: the first runs (the selected ones first) are drawn and listed, and a note says
how many more there are. Built from the widget's traits and payload only.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from .static_form import StaticForm
from .static_html import badge, chart_tile, esc, frame, heading, muted, note, short, table
from .static_html import value_text as value
from .svg_chart import HEIGHT, WIDTH, Series, data_uri, line_chart
from .svg_parallel import HEIGHT as PARALLEL_HEIGHT
from .svg_parallel import Axis, parallel_chart

MAX_LINES = 200
MAX_AXES = 12
MAX_ROWS = 50
MAX_METRIC_COLUMNS = 8
MAX_PARAM_COLUMNS = 6
CURVE_POINTS = 5_000
MAX_TABLE_COLUMNS = 12
MAX_MODELS = 50
MAX_AUDIT = 10


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def compare_form(
    *,
    runs: list[dict],
    params: list[dict],
    metrics: dict[str, np.ndarray],
    selected: list[str],
    color_metric: str | None,
    curves: dict[str, tuple[np.ndarray, np.ndarray]],
    curve_metric: str | None,
) -> StaticForm:
    """``runs``: [{"run_id", "run_name", "status"}]; ``params``: [{"key", "values"}];
    ``metrics``: key → one value per run; ``curves``: run id → (steps, values)."""
    title = (
        f"labtrack comparison of {_plural(len(runs), 'run')} "
        f"({_plural(len(params), 'param')}, {_plural(len(metrics), 'metric')})"
    )
    position = {run["run_id"]: i for i, run in enumerate(runs)}
    first = [position[r] for r in selected if r in position]
    order = list(dict.fromkeys([*first, *range(len(runs))]))
    shown = order[:MAX_LINES]
    labels = [runs[i].get("run_name") or runs[i]["run_id"][:8] for i in range(len(runs))]
    differing = [p for p in params if len(set(p["values"])) > 1]
    body = [f"<div style='font-weight: bold; font-size: 14px'>{esc(title)}</div>"]

    axes = [Axis(p["key"], [p["values"][i] for i in shown]) for p in differing[: MAX_AXES // 2]]
    for key, column in list(metrics.items())[: MAX_AXES - len(axes)]:
        axes.append(Axis(key, [None if math.isnan(column[i]) else float(column[i]) for i in shown]))
    if axes and shown:
        colour = metrics.get(color_metric) if color_metric else None
        colour_by = None
        if colour is not None:
            colour_by = [None if math.isnan(colour[i]) else float(colour[i]) for i in shown]
        svg, width = parallel_chart(axes, len(shown), colour_by)
        caption = "<b>Parallel coordinates</b>" + (
            muted(f" · colour: {esc(color_metric)}") if colour_by else ""
        )
        body.append(
            chart_tile(caption, data_uri(svg), "parallel coordinates", width, PARALLEL_HEIGHT)
        )
    if curve_metric and any(len(x) > 1 for x, _ in curves.values()):  # curves, not scores
        series = [
            Series(short(labels[position[run_id]], 40), np.asarray(x), np.asarray(y))
            for run_id, (x, y) in curves.items()
            if run_id in position
        ]
        svg = line_chart(series, max_points=max(64, CURVE_POINTS // max(1, len(series))))
        body.append(
            chart_tile(f"<b>{esc(curve_metric)}</b>", data_uri(svg), "curves", WIDTH, HEIGHT)
        )
    if len(runs) > len(shown):
        body.append(note(f"{len(shown)} of {len(runs)} runs are drawn."))

    metric_keys = list(metrics)[:MAX_METRIC_COLUMNS]
    param_columns = differing[:MAX_PARAM_COLUMNS]
    header = ["run", "status", *map(esc, metric_keys), *(esc(p["key"]) for p in param_columns)]
    rows = [
        [
            esc(short(labels[i], 40)),
            badge(runs[i]["status"]),
            *(value(float(metrics[k][i])) for k in metric_keys),
            *(
                esc(short(str(p["values"][i]))) if p["values"][i] is not None else "—"
                for p in param_columns
            ),
        ]  # fmt: skip
        for i in order[:MAX_ROWS]
    ]
    numeric = [False, False, *[True] * len(metric_keys), *[False] * len(param_columns)]
    body.append(heading("Runs"))
    body.append(table(header, rows, numeric=numeric))
    hidden = len(metrics) - len(metric_keys) + len(differing) - len(param_columns)
    if len(runs) > MAX_ROWS or hidden > 0:
        body.append(
            note(
                f"{min(len(runs), MAX_ROWS)} of {len(runs)} runs listed"
                + (f"; {hidden} more columns not shown" if hidden > 0 else "")
                + "."
            )
        )
    same = len(params) - len(differing)
    if same:
        body.append(note(f"{_plural(same, 'param')} with the same value in every run not shown."))
    return StaticForm("compare", frame("compare", "".join(body)), title)


def _cell(value_: object) -> str:
    if value_ is None:
        return "—"
    if isinstance(value_, float):
        return value(value_)
    return esc(short(str(value_)))


def runs_table_form(columns: list[str], rows: list[list]) -> StaticForm:
    """The runs table's first rows and most telling columns: run, name, status, start,
    then metrics and params."""
    wanted = ["tags.mlflow.runName", "run_id", "status", "start_time"]
    chosen = [c for c in wanted if c in columns]
    chosen += [c for c in columns if c.startswith("metrics.")][:5]
    chosen += [c for c in columns if c.startswith("params.")][:4]
    chosen = chosen[:MAX_TABLE_COLUMNS]
    index = [columns.index(c) for c in chosen]
    text = f"labtrack table of {_plural(len(rows), 'run')}"
    cells = []
    for row in rows[:MAX_ROWS]:
        cells.append(
            [
                _cell(row[i][:8] if columns[i] == "run_id" and row[i] else row[i])
                if columns[i] != "status"
                else badge(str(row[i]))
                for i in index
            ]
        )
    body = [f"<div style='font-weight: bold; font-size: 14px'>{esc(text)}</div>"]
    numbers = [
        bool(rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in rows[:MAX_ROWS])
        for i in index
    ]
    body.append(
        table([esc(c.removeprefix("tags.mlflow.")) for c in chosen], cells, numeric=numbers)
    )
    hidden_columns = len(columns) - len(chosen)
    if len(rows) > MAX_ROWS or hidden_columns:
        body.append(
            note(
                f"{min(len(rows), MAX_ROWS)} of {len(rows)} runs and {len(chosen)} of "
                f"{len(columns)} columns shown."
            )
        )
    return StaticForm("runs_table", frame("runs_table", "".join(body)), text)


def _when(ms: int | None) -> str:
    if not ms:
        return "—"
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def registry_form(
    models: list[str], selected: str, detail: dict | None, audit: list[dict], error: str
) -> StaticForm:
    """The registry as shown: the models, the selected one's versions and recent history."""
    text = f"labtrack registry ({_plural(len(models), 'model')})"
    body = [f"<div style='font-weight: bold; font-size: 14px'>{esc(text)}</div>"]
    if error:
        body.append(note(esc(error)))
    if models:
        names = ", ".join(esc(name) for name in models[:MAX_MODELS])
        more = f" and {len(models) - MAX_MODELS} more" if len(models) > MAX_MODELS else ""
        body.append(muted(f"Models: {names}{more}", "div"))
    if detail:
        approvals = detail.get("approvals") or {}
        required = approvals.get("required") or 0
        rows = [
            [
                esc(version["version"]),
                esc(version.get("stage") or "None"),
                esc(", ".join(f"@{a}" for a in version.get("aliases") or []) or "—"),
                esc(version.get("status") or ""),
                esc((version.get("run_id") or "—")[:8]),
                esc(f"{len(version.get('approvers') or [])} of {required}") if required else "—",
            ]
            for version in (detail.get("versions") or [])[:MAX_ROWS]
        ]
        body.append(heading(f"{esc(detail['name'])}: versions"))
        header = ["version", "stage", "aliases", "status", "source run", "approvals"]
        body.append(table(header, rows))
    if audit:
        rows = [
            [
                esc(_when(entry.get("timestamp"))),
                esc(entry.get("user") or ""),
                esc(entry.get("action") or ""),
                esc(entry.get("version") or "—"),
                esc(
                    " ".join(
                        filter(
                            None, [entry.get("alias") and f"@{entry['alias']}", entry.get("stage")]
                        )
                    )
                    or "—"
                ),  # fmt: skip
                esc(short(entry.get("reason") or "", 60)),
            ]
            for entry in audit[:MAX_AUDIT]
        ]
        body.append(heading(f"{esc(selected)}: latest history"))
        body.append(table(["when", "who", "action", "version", "target", "reason"], rows))
    return StaticForm("registry", frame("registry", "".join(body)), text)
