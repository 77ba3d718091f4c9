"""The pieces of labtrack's static outputs: script-free HTML that reads the same in
JupyterLab (trusted or sanitized), ``jupyter nbconvert --to html`` and other renderers.

Only what JupyterLab's sanitizer keeps for an untrusted notebook is used: plain tags,
``class`` and ``style`` attributes whose properties and values it allows, and images
whose ``src`` is a ``data:`` URI (charts, see ``svg_chart``). No colour is fixed for text
(it inherits the page's, so light and dark themes both work) except where the element
brings its own background (status badges). Every string from the store or the user is
escaped here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

FONT = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"
BADGE_COLOURS = {
    "RUNNING": "#1565c0",
    "FINISHED": "#2e7d32",
    "FAILED": "#c62828",
    "KILLED": "#e65100",
}
GRID = "rgba(128,128,128,0.35)"
CELL_CHARS = 80


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def short(text: str, chars: int = CELL_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def value_text(value: float | None) -> str:
    """As the widget shows a metric value: 4 significant digits, NaN and ±inf spelled out."""
    if value is None:
        return "—"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    magnitude = abs(value)
    if magnitude and (magnitude >= 1e6 or magnitude < 1e-3):
        return f"{value:.3e}"
    return f"{value:.4g}"


def duration_text(ms: float | None) -> str:
    """As the run card shows it: "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min"."""
    if ms is None or not math.isfinite(ms) or ms < 0:
        return "—"
    if ms < 1000:
        return f"{round(ms)} ms"
    seconds = ms / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    total = int(seconds)
    hours, minutes, secs = total // 3600, (total % 3600) // 60, total % 60
    return f"{minutes} min {secs:02d} s" if hours == 0 else f"{hours} h {minutes:02d} min"


def frame(view: str, body: str) -> str:
    """The outer element every static output has (``data-labtrack-static`` names the view)."""
    return (
        f"<div class='lt-static lt-static-{esc(view)}' data-labtrack-static='{esc(view)}' "
        f"style='font-family: {FONT}; font-size: 13px; line-height: 1.45; padding: 4px 0'>"
        f"{body}</div>"
    )


def badge(status: str) -> str:
    colour = BADGE_COLOURS.get(status, "#616161")
    return (
        f"<span class='lt-static-status' data-status='{esc(status)}' "
        f"style='background-color: {colour}; color: #ffffff; border-radius: 3px; "
        f"padding: 1px 6px; font-size: 11px; font-weight: bold'>{esc(status)}</span>"
    )


def muted(text: str, tag: str = "span") -> str:
    return f"<{tag} style='opacity: 0.75'>{text}</{tag}>"


def heading(text: str) -> str:
    return f"<div style='font-weight: bold; margin: 10px 0 4px 0'>{text}</div>"


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Sequence[bool] | None = None,
    css: str = "lt-static-table",
) -> str:
    """A table; ``header`` and ``rows`` are HTML already (escape with ``esc``)."""
    numeric = numeric or [False] * len(header)
    rule = f" style='border-bottom: 1px solid {GRID}'"

    def cell(tag: str, text: str, right: bool) -> str:
        # Inline: JupyterLab's and nbconvert's stylesheets right-align every cell.
        align = "right" if right else "left"
        return f"<{tag} style='padding: 1px 8px; text-align: {align}'>{text}</{tag}>"

    head = "".join(cell("th", h, r) for h, r in zip(header, numeric, strict=True))
    body = "".join(
        f"<tr{rule}>"
        + "".join(cell("td", c, r) for c, r in zip(row, numeric, strict=True))
        + "</tr>"
        for row in rows
    )
    return (
        f"<table class='{css}' style='border-collapse: collapse; font-size: 12px; "
        f"margin: 4px 0'><thead><tr{rule}>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def chart_tile(title_html: str, svg_uri: str, alt: str, width: int, height: int) -> str:
    """A chart: its title as text (themed with the page), the drawing as an image."""
    return (
        "<div class='lt-static-chart' style='display: inline-block; vertical-align: top; "
        "margin: 4px 10px 6px 0'>"
        f"<div style='font-size: 12px; margin-bottom: 2px'>{title_html}</div>"
        f"<img class='lt-static-img' alt='{esc(alt)}' width='{width}' height='{height}' "
        # Double quotes: the URI keeps the SVG's single quotes and encodes any '"'.
        f'src="{svg_uri}"></div>'
    )


def note(text: str) -> str:
    return f"<div style='opacity: 0.75; font-size: 12px; margin: 2px 0'>{text}</div>"
