"""What the comparison widget sends to the browser, packed compactly (no IPython here).

Metric columns travel as one float64 little-endian buffer (``metrics × runs``, NaN
where a run lacks the metric) instead of JSON numbers: 10k runs × 15 metrics is 1.2 MB
instead of ~3 MB of text. Params travel as categories: per key the list of its distinct
values (JSON) and one int32 buffer of codes (``params × runs``, -1 where a run lacks the
param). Runs travel as columns (ids, names, status codes), not one object per run. A metric's
curves travel as one buffer too: per run ``steps[n]`` then ``values[n]`` (float32: they are
only drawn, and already reduced; 50 curves of 1,000 points are 0.4 MB),
each history reduced to at most ``CURVE_POINTS`` with ``backend/reduction.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..backend.errors import NotFound
from ..backend.shapes import CompareMatrix

CURVE_POINTS = 1000
CURVE_DTYPE = "<f4"


def categorical(columns: list[dict], run_count: int) -> tuple[list[list[str]], bytes]:
    """Per column its distinct values, and one int32 buffer of codes (columns × runs, -1
    where a run lacks the value)."""
    codes = np.full((len(columns), run_count), -1, dtype="<i4")
    categories = []
    for i, column in enumerate(columns):
        distinct = list(dict.fromkeys(v for v in column["values"] if v is not None))
        code = {value: j for j, value in enumerate(distinct)}
        codes[i] = [-1 if v is None else code[v] for v in column["values"]]
        categories.append(distinct)
    return categories, codes.tobytes()


@dataclass
class MatrixPayload:
    runs: list[dict]  # [{"run_id", "run_name", "status"}]
    params: list[dict]  # [{"key", "values": [str | None per run]}]
    metric_keys: list[str]
    metric_values: bytes  # float64 LE, metric-major
    # The runs' own tags, as params (what the curves can be grouped by).
    tags: list[dict] = field(default_factory=list)

    def wire(self) -> dict:
        """The traits the browser gets (see the module's docstring)."""
        statuses = sorted({run["status"] for run in self.runs})
        status_code = {status: i for i, status in enumerate(statuses)}
        categories, codes = categorical(self.params, len(self.runs))
        tag_categories, tag_codes = categorical(self.tags, len(self.runs))
        return {
            "run_table": {
                "ids": [run["run_id"] for run in self.runs],
                "names": [run["run_name"] for run in self.runs],
                "statuses": statuses,
                "status": [status_code[run["status"]] for run in self.runs],
            },
            "param_keys": [param["key"] for param in self.params],
            "param_categories": categories,
            "param_codes": codes,
            "tag_keys": [tag["key"] for tag in self.tags],
            "tag_categories": tag_categories,
            "tag_codes": tag_codes,
            "metric_keys": self.metric_keys,
            "metric_values": self.metric_values,
        }


@dataclass
class CurvePayload:
    key: str
    runs: list[dict]  # [{"run_id", "n", "t0"}] in the order of the buffer
    values: bytes  # per run: steps[n] then values[n], float32 LE
    missing: list[str]  # run ids without this metric
    # Per run: seconds since its first point (float32 LE, n each); t0 is that point's ms.
    times: bytes = b""


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
        tags=[{"key": c.key, "values": list(c.values)} for c in matrix.tags],
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
    runs, chunks, times, missing = [], [], [], []
    for run_id in run_ids:
        try:
            series = facade.metric_history(run_id, key, CURVE_POINTS, None)
        except NotFound:
            missing.append(run_id)
            continue
        steps = np.asarray(series.steps, dtype=CURVE_DTYPE)
        values = np.asarray([np.nan if v is None else v for v in series.values], dtype=CURVE_DTYPE)
        stamps = np.asarray(series.timestamps, dtype=np.int64)
        t0 = int(stamps[0]) if len(stamps) else 0
        runs.append({"run_id": run_id, "n": len(steps), "t0": t0})
        chunks.extend((steps.tobytes(), values.tobytes()))
        times.append(((stamps - t0) / 1000).astype(CURVE_DTYPE).tobytes())
    return CurvePayload(
        key=key, runs=runs, values=b"".join(chunks), missing=missing, times=b"".join(times)
    )


def unpack_curves(payload: CurvePayload) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """run id → (steps, values)."""
    flat = np.frombuffer(payload.values, dtype=CURVE_DTYPE)
    curves, at = {}, 0
    for run in payload.runs:
        n = run["n"]
        curves[run["run_id"]] = (flat[at : at + n], flat[at + n : at + 2 * n])
        at += 2 * n
    return curves
