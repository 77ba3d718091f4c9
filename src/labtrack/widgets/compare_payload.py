"""What the comparison widget sends to the browser, packed compactly (no IPython here).

Metric columns travel as one float64 little-endian buffer (``metrics × runs``, NaN
where a run lacks the metric) instead of JSON numbers: 10k runs × 15 metrics is 1.2 MB
instead of ~3 MB of text. Params stay strings (JSON lists, one per key). A metric's
curves travel as one buffer too: per run ``steps[n]`` then ``values[n]`` (float64),
each history reduced to at most ``CURVE_POINTS`` with ``backend/reduction.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..backend.errors import NotFound
from ..backend.shapes import CompareMatrix

CURVE_POINTS = 1000


@dataclass
class MatrixPayload:
    runs: list[dict]  # [{"run_id", "run_name", "status"}]
    params: list[dict]  # [{"key", "values": [str | None per run]}]
    metric_keys: list[str]
    metric_values: bytes  # float64 LE, metric-major


@dataclass
class CurvePayload:
    key: str
    runs: list[dict]  # [{"run_id", "n"}] in the order of the buffer
    values: bytes  # per run: steps[n] then values[n], float64 LE
    missing: list[str]  # run ids without this metric


def pack_matrix(matrix: CompareMatrix) -> MatrixPayload:
    columns = [
        [np.nan if value is None else value for value in column.values] for column in matrix.metrics
    ]
    values = np.asarray(columns, dtype="<f8").reshape(len(matrix.metrics), len(matrix.runs))
    return MatrixPayload(
        runs=[
            {"run_id": r.run_id, "run_name": r.run_name, "status": r.status} for r in matrix.runs
        ],
        params=[{"key": c.key, "values": list(c.values)} for c in matrix.params],
        metric_keys=[c.key for c in matrix.metrics],
        metric_values=values.tobytes(),
    )


def unpack_metrics(payload: MatrixPayload) -> dict[str, np.ndarray]:
    """Inverse of the metric buffer (tests, static export): key → one value per run."""
    table = np.frombuffer(payload.metric_values, dtype="<f8")
    table = table.reshape(len(payload.metric_keys), len(payload.runs))
    return dict(zip(payload.metric_keys, table, strict=True))


def pack_curves(facade, run_ids: list[str], key: str) -> CurvePayload:
    """Each run's history of ``key``, reduced; runs that never logged it are listed."""
    runs, chunks, missing = [], [], []
    for run_id in run_ids:
        try:
            series = facade.metric_history(run_id, key, CURVE_POINTS, None)
        except NotFound:
            missing.append(run_id)
            continue
        steps = np.asarray(series.steps, dtype="<f8")
        values = np.asarray([np.nan if v is None else v for v in series.values], dtype="<f8")
        runs.append({"run_id": run_id, "n": len(steps)})
        chunks.extend((steps.tobytes(), values.tobytes()))
    return CurvePayload(key=key, runs=runs, values=b"".join(chunks), missing=missing)


def unpack_curves(payload: CurvePayload) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """run id → (steps, values)."""
    flat = np.frombuffer(payload.values, dtype="<f8")
    curves, at = {}, 0
    for run in payload.runs:
        n = run["n"]
        curves[run["run_id"]] = (flat[at : at + n], flat[at + n : at + 2 * n])
        at += 2 * n
    return curves
