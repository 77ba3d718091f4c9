"""A small SVG writer for the static form of labtrack's charts: a line chart of one metric
(one trace per run), written as text from points the kernel already holds.

No rendering library: the default install stays light (matplotlib or kaleido would add tens
of megabytes for a few polylines). Axes, ticks and labels use ``currentColor`` (the SVG's
own ``color``, a dark grey, wherever it is shown as an image; the page's text colour where
JupyterLab's labtrack renderer puts it inline), traces the same Category10 colours as the
widget (``js/plots/theme.ts``), each with a class (``lt-s0``…) that the dark theme recolours.
The background is a light card (class ``lt-bg``), so an image reads on a dark page too.

A trace is drawn with at most ``max_points`` points, reduced like the live plot's (the
lowest and highest point of each stretch kept), so the text stays small however long the
run; non-finite values leave a gap, as in the widget.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

import numpy as np

from ..backend.reduction import minmax_indices

WIDTH, HEIGHT = 360, 180
# Category10, as the widget draws (js/plots/theme.ts LIGHT_COLORWAY).
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
FOREGROUND = "#333333"  # currentColor wherever the SVG is an image
FONT = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"
LEGEND_ENTRIES = 6
LABEL_CHARS = 18


@dataclass(frozen=True)
class Series:
    """One trace: a label (run name) and its points (x: step, or seconds since start)."""

    label: str
    x: np.ndarray
    y: np.ndarray


def number(value: float) -> str:
    """A coordinate with one decimal, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def tick_label(value: float) -> str:
    """As the widget formats values: 4 significant digits, exponents for the very large
    or small."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e6 or magnitude < 1e-3:
        return f"{value:.2e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")
    return f"{value:.4g}"


def elapsed_label(seconds: float) -> str:
    if abs(seconds) < 60:
        return f"{tick_label(round(seconds, 1))}s"
    if abs(seconds) < 3600:
        return f"{tick_label(round(seconds / 60, 1))}m"
    return f"{tick_label(round(seconds / 3600, 1))}h"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 5 × 10^k apart) covering [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high <= low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = [round(first, 12)]
    while ticks[-1] < high and len(ticks) < 3 * count:  # the last tick at or above high
        ticks.append(round(first + len(ticks) * step, 12))
    return ticks


def reduce_series(series: Series, max_points: int) -> Series:
    if len(series.y) <= max_points:
        return series
    keep = minmax_indices(series.y, max(4, max_points))
    return Series(series.label, series.x[keep], series.y[keep])


def _span(arrays: Sequence[np.ndarray]) -> tuple[float, float] | None:
    finite = [a[np.isfinite(a)] for a in arrays]
    finite = [a for a in finite if a.size]
    if not finite:
        return None
    return float(min(a.min() for a in finite)), float(max(a.max() for a in finite))


def _path(xs: np.ndarray, ys: np.ndarray) -> tuple[str, list[tuple[float, float]]]:
    """``d`` of a path through the points, broken at non-finite values; lone points (a
    one-point segment cannot be stroked) are returned to be drawn as dots."""
    parts: list[str] = []
    lone: list[tuple[float, float]] = []
    segment: list[str] = []
    first: tuple[float, float] | None = None

    def close() -> None:
        if len(segment) == 1 and first is not None:
            lone.append(first)
        elif segment:
            parts.append("M" + ",".join(segment))

    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        if math.isfinite(x) and math.isfinite(y):
            if not segment:
                first = (x, y)
            segment.append(f"{number(x)},{number(y)}")
        else:
            close()
            segment, first = [], None
    close()
    return "".join(parts), lone


def line_chart(
    series: Sequence[Series],
    *,
    x_axis: str = "step",
    max_points: int = 600,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """One metric's traces as an SVG document (text). ``x_axis``: "step" or "time"
    (x in seconds since the start)."""
    series = [reduce_series(s, max_points) for s in series]
    legend = len(series) > 1
    left, right, top, bottom = 48, 10, 24 if legend else 10, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='lt-static-svg' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' color='{FOREGROUND}' "
        f"font-family='{FONT}' font-size='10'>",
        f"<rect class='lt-bg' width='{width}' height='{height}' rx='4' fill='#ffffff'/>",
    ]
    xs_span = _span([s.x for s in series])
    ys_span = _span([s.y for s in series])
    if xs_span is None or ys_span is None:
        out.append(
            f"<text x='{width // 2}' y='{height // 2}' text-anchor='middle' fill='currentColor'>"
            "no finite values</text></svg>"
        )
        return "".join(out)
    y_ticks = nice_ticks(*ys_span)
    y0, y1 = y_ticks[0], y_ticks[-1]
    x0, x1 = xs_span if xs_span[1] > xs_span[0] else (xs_span[0] - 1, xs_span[0] + 1)
    x_ticks = [t for t in nice_ticks(x0, x1, 5) if x0 <= t <= x1]
    if x_axis == "step":  # steps are whole numbers, and not below the first one logged
        x_ticks = [t for t in x_ticks if t == int(t) and t >= xs_span[0]]

    def px(x: np.ndarray | float):
        return left + (np.asarray(x, dtype=float) - x0) / (x1 - x0) * plot_w

    def py(y: np.ndarray | float):
        return top + (1 - (np.asarray(y, dtype=float) - y0) / (y1 - y0)) * plot_h

    grid = "".join(f"M{left},{number(float(py(t)))}h{plot_w}" for t in y_ticks)
    out.append(
        f"<path class='lt-grid' d='{grid}' stroke='currentColor' stroke-opacity='0.15' "
        "fill='none'/>"
    )
    labels = [
        f"<text x='{left - 4}' y='{number(float(py(t)) + 3)}' text-anchor='end'>"
        f"{tick_label(t)}</text>"
        for t in y_ticks
    ]
    x_label = elapsed_label if x_axis == "time" else tick_label
    labels += [
        f"<text x='{number(float(px(t)))}' y='{height - 8}' text-anchor='middle'>"
        f"{x_label(t)}</text>"
        for t in x_ticks
    ]
    out.append(f"<g class='lt-axis' fill='currentColor' fill-opacity='0.75'>{''.join(labels)}</g>")
    out.append(
        f"<path d='M{left},{top + plot_h}h{plot_w}' stroke='currentColor' "
        "stroke-opacity='0.4' fill='none'/>"
    )
    for i, line in enumerate(series):
        colour, css = PALETTE[i % len(PALETTE)], f"lt-s{i % len(PALETTE)}"
        d, lone = _path(px(line.x), py(line.y))
        if d:
            out.append(
                f"<path class='{css}' d='{d}' fill='none' stroke='{colour}' "
                "stroke-width='1.5' stroke-linejoin='round' stroke-linecap='round'/>"
            )
        for x, y in lone:
            out.append(
                f"<circle class='{css}' cx='{number(x)}' cy='{number(y)}' r='2.5' "
                f"fill='{colour}' stroke='{colour}'/>"
            )
    if legend:
        out.append(_legend([s.label for s in series], left, width - right))
    out.append("</svg>")
    return "".join(out)


def _legend(labels: Sequence[str], start: int, end: int) -> str:
    """Run names along the top, as many as fit (at most LEGEND_ENTRIES), then "+N"."""
    parts, x = [], start
    for i, label in enumerate(labels[:LEGEND_ENTRIES]):
        text = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        needed = 22 + 6 * len(text)
        if x + needed > end - 24:
            break
        colour, css = PALETTE[i % len(PALETTE)], f"lt-s{i % len(PALETTE)}"
        parts.append(
            f"<path class='{css}' d='M{x},12h10' stroke='{colour}' stroke-width='2'/>"
            f"<text x='{x + 13}' y='15' fill='currentColor'>{escape(text)}</text>"
        )
        x += needed
    rest = len(labels) - len(parts)
    if rest:
        parts.append(f"<text x='{x}' y='15' fill='currentColor' fill-opacity='0.7'>+{rest}</text>")
    return f"<g class='lt-legend'>{''.join(parts)}</g>"


# Characters left as they are in a data: URI (the rest is percent-encoded): SVG's digits,
# commas and quotes need no encoding, so coordinates cost what they weigh.
_URI_SAFE = " ,.'=:/;()-_!*~?@+$"


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img src>``: scripts never run in an image, and
    sanitizers that strip inline ``<svg>`` (JupyterLab's, for untrusted notebooks) keep it."""
    return "data:image/svg+xml," + quote(svg, safe=_URI_SAFE)
