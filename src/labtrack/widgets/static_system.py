"""The live plot's System row in its static form: MLflow's ``system/…`` metrics of the
tracked runs as a collapsed section (its summary line showing the latest CPU, memory and
GPU figures), with the same charts the widget draws (``js/plots/system-metrics.ts``)."""

from __future__ import annotations

import re

import numpy as np

from .static_html import chart_tile, esc, muted
from .svg_chart import HEIGHT, WIDTH, Series, data_uri, line_chart

PREFIX = "system/"
POINTS_PER_SERIES = 300

# (chart id, title, [(metric name, legend label)]) as in js/plots/system-metrics.ts.
MACHINE_CHARTS = [
    ("cpu", "CPU %", [("cpu_utilization_percentage", "CPU")]),
    (
        "memory",
        "Memory (MB)",
        [("system_memory_usage_megabytes", "system"), ("process_memory_usage_megabytes", "kernel")],
    ),
    (
        "io",
        "Disk and network since start (MB)",
        [
            ("disk_read_megabytes", "disk read"),
            ("disk_write_megabytes", "disk write"),
            ("network_receive_megabytes", "net in"),
            ("network_transmit_megabytes", "net out"),
        ],
    ),
]
GPU_CHARTS = [
    ("gpu-utilization", "GPU utilisation %", "utilization_percentage"),
    ("gpu-memory", "GPU memory (MB)", "memory_usage_megabytes"),
    ("gpu-power", "GPU power (W)", "power_usage_watts"),
]


def is_system_metric(key: str) -> bool:
    return key.startswith(PREFIX)


def _gpu_index(key: str, figure: str) -> int | None:
    match = re.search(rf"(?:^|/)gpu_(\d+)_{figure}$", key)
    return int(match.group(1)) if match else None


def system_charts(keys: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(key, label)]) of each chart the keys fill, in the widget's order."""
    system = [key for key in keys if is_system_metric(key)]
    charts = []
    for _id, title, names in MACHINE_CHARTS:
        lines = [
            (key, label) for name, label in names for key in system if key.endswith("/" + name)
        ]
        if lines:
            charts.append((title, lines))
    for _id, title, figure in GPU_CHARTS:
        found = sorted(
            (index, key) for key in system if (index := _gpu_index(key, figure)) is not None
        )
        if found:
            charts.append((title, [(key, f"GPU {index}") for index, key in found]))
    return charts


def _megabytes(value: float) -> str:
    return f"{value / 1000:.1f} GB" if value >= 1000 else f"{round(value)} MB"


def headline(latest: dict[str, float]) -> str:
    """``CPU 43% · memory 5.2 GB · kernel 812 MB · GPU 0 87% 10.2 GB``."""

    def find(name: str) -> float | None:
        return next((v for k, v in latest.items() if k.endswith("/" + name)), None)

    parts = []
    cpu, memory = find("cpu_utilization_percentage"), find("system_memory_usage_megabytes")
    kernel = find("process_memory_usage_megabytes")
    if cpu is not None:
        parts.append(f"CPU {round(cpu)}%")
    if memory is not None:
        parts.append(f"memory {_megabytes(memory)}")
    if kernel is not None:
        parts.append(f"kernel {_megabytes(kernel)}")
    gpus: dict[int, list[str]] = {}
    for key, value in latest.items():
        use = _gpu_index(key, "utilization_percentage")
        used = _gpu_index(key, "memory_usage_megabytes")
        if use is not None:
            gpus.setdefault(use, ["", ""])[0] = f"{round(value)}%"
        elif used is not None:
            gpus.setdefault(used, ["", ""])[1] = _megabytes(value)
    for index in sorted(gpus):
        parts.append(" ".join(["GPU", str(index), *filter(None, gpus[index])]))
    return " · ".join(parts)


def system_section(histories: dict, root: str, label, x_axis: str, start_ms: int) -> str:
    """``histories``: (run, key) → 3×n columns (steps, timestamps, values), as the live
    plot's channel reduces them; the system keys among them become the section. ''
    without any."""
    by_key: dict[str, list[tuple[str, np.ndarray]]] = {}
    for (run_id, key), columns in histories.items():
        if is_system_metric(key) and columns.shape[1]:
            by_key.setdefault(key, []).append((run_id, columns))
    if not by_key:
        return ""
    latest = {}
    for key, traces in by_key.items():
        own = next((c for r, c in traces if r == root), traces[0][1])
        latest[key] = float(own[2, -1])
    tiles = []
    for title, lines in system_charts(list(by_key)):
        series = []
        for key, line_label in lines:
            traces = by_key[key]
            for run_id, columns in traces:
                name = line_label if len(traces) == 1 else f"{line_label} ({label(run_id)})"
                xs = (columns[1] - start_ms) / 1000 if x_axis == "time" else columns[0]
                series.append(Series(name, xs, columns[2]))
        svg = line_chart(series, x_axis=x_axis, max_points=POINTS_PER_SERIES)
        tiles.append(chart_tile(esc(title), data_uri(svg), f"system: {title}", WIDTH, HEIGHT))
    summary = "<b>System</b> " + muted(esc(headline(latest)))
    return (
        "<details class='lt-static-system' style='margin-top: 6px'>"
        f"<summary style='cursor: pointer'>{summary}</summary>"
        f"<div class='lt-static-charts'>{''.join(tiles)}</div></details>"
    )
