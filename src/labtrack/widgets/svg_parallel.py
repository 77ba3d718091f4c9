"""Parallel coordinates as SVG text, for the static form of a comparison: one vertical axis
per param and metric, one line per run, coloured by a metric (Viridis, as the widget).

Numeric axes are linear from the lowest to the highest value; text params are categorical
axes ticked with their values; a run that lacks a value crosses that axis at "missing",
below its range, as in the widget. Conventions (currentColor, light card, classes) as in
``svg_chart``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .svg_chart import FONT, FOREGROUND, number, tick_label

HEIGHT = 260
AXIS_GAP = 100
MAX_TICKS = 8
LABEL_CHARS = 16
# Viridis at six stops; a value is coloured by linear interpolation between them.
VIRIDIS = ("#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725")
NO_COLOUR = "#1f77b4"


@dataclass(frozen=True)
class Axis:
    """``values``: one per run, None where the run lacks it; numbers, or text (a
    categorical axis)."""

    label: str
    values: Sequence[float | str | None]


def _viridis(t: float) -> str:
    t = min(1.0, max(0.0, t)) * (len(VIRIDIS) - 1)
    i = min(int(t), len(VIRIDIS) - 2)
    a, b = VIRIDIS[i], VIRIDIS[i + 1]
    mix = [
        round(int(a[k : k + 2], 16) + (int(b[k : k + 2], 16) - int(a[k : k + 2], 16)) * (t - i))
        for k in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _number(value) -> float | None:
    """A metric, or a param whose text is a number (params are stored as text)."""
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _scale(axis: Axis) -> tuple[dict, list[tuple[float, str]]]:
    """position (0 bottom … 1 top, or None for missing) per value, and the ticks."""
    present = [v for v in axis.values if v is not None]
    numbers = [_number(v) for v in present]
    if present and all(n is not None for n in numbers):
        axis = Axis(axis.label, [None if v is None else _number(v) for v in axis.values])
        finite = [n for n in numbers if math.isfinite(n)]
        low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
        span = high - low or 1.0
        positions = {
            i: ((float(v) - low) / span if math.isfinite(float(v)) else None)
            if v is not None
            else None
            for i, v in enumerate(axis.values)
        }
        ticks = [(0.0, tick_label(low)), (1.0, tick_label(high))] if finite else []
        if high > low:
            ticks.insert(1, (0.5, tick_label(low + span / 2)))
        else:
            positions = {i: (0.5 if p is not None else None) for i, p in positions.items()}
            ticks = [(0.5, tick_label(low))]
        return positions, ticks
    categories = sorted({str(v) for v in present})
    where = {c: (i + 0.5) / len(categories) for i, c in enumerate(categories)}
    positions = {i: (where[str(v)] if v is not None else None) for i, v in enumerate(axis.values)}
    step = max(1, math.ceil(len(categories) / MAX_TICKS))
    ticks = [(where[c], c) for c in categories[::step]]
    return positions, ticks


def parallel_chart(
    axes: Sequence[Axis], runs: int, colour_by: Sequence[float | None] | None = None
) -> tuple[str, int]:
    """The chart's SVG and its width; ``colour_by``: one value per run (None: no colour)."""
    width = max(360, AXIS_GAP * len(axes) + 60)
    top, bottom = 34, HEIGHT - 30  # the axis from bottom (0) to top (1); "missing" below
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='lt-static-svg' width='{width}' "
        f"height='{HEIGHT}' viewBox='0 0 {width} {HEIGHT}' color='{FOREGROUND}' "
        f"font-family='{FONT}' font-size='10'>",
        f"<rect class='lt-bg' width='{width}' height='{HEIGHT}' rx='4' fill='#ffffff'/>",
    ]
    xs = [50 + AXIS_GAP * i for i in range(len(axes))]
    scales = [_scale(axis) for axis in axes]

    def y_of(position: float | None) -> float:
        return bottom + 16 if position is None else bottom - position * (bottom - top)

    colours = [NO_COLOUR] * runs
    finite = [v for v in (colour_by or []) if v is not None and math.isfinite(v)]
    if colour_by is not None and finite:
        low, high = min(finite), max(finite)
        colours = [
            _viridis((v - low) / (high - low) if high > low else 0.5)
            if v is not None and math.isfinite(v)
            else "#9e9e9e"
            for v in colour_by
        ]
    for run in range(runs):
        points = ",".join(
            f"{x},{number(y_of(positions[run]))}"
            for x, (positions, _) in zip(xs, scales, strict=True)
        )
        out.append(
            f"<path d='M{points}' fill='none' stroke='{colours[run]}' stroke-opacity='0.75' "
            "stroke-width='1.2'/>"
        )
    for x, axis, (positions, ticks) in zip(xs, axes, scales, strict=True):
        label = axis.label if len(axis.label) <= LABEL_CHARS else axis.label[:15] + "…"
        parts = [
            f"<path d='M{x},{top}V{bottom}' stroke='currentColor' stroke-opacity='0.55'/>",
            f"<text x='{x}' y='{top - 14}' text-anchor='middle' font-weight='bold'>"
            f"{escape(label)}</text>",
        ]
        if any(position is None for position in positions.values()):
            parts.append(
                f"<text x='{x}' y='{bottom + 19}' text-anchor='middle' fill-opacity='0.55'>"
                "missing</text>"
            )
        for position, text in ticks:
            shown = text if len(text) <= 12 else text[:11] + "…"
            parts.append(
                f"<text x='{x + 4}' y='{number(y_of(position) + 3)}'>{escape(shown)}</text>"
            )
        out.append(f"<g class='lt-axis' fill='currentColor'>{''.join(parts)}</g>")
    out.append("</svg>")
    return "".join(out), width
