"""A small but varied tracking store, written with the plain MLflow client.

Used by the server tests against both the embedded SQLite backend and a real
``mlflow server``, so both answer questions about the same content.
"""

from __future__ import annotations

import base64
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

# A 1×1 PNG, so an image preview has a real raster image to serve.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt"
LONG_METRIC_STEPS = 5000


@dataclass
class SampleStore:
    experiment_id: str
    other_experiment_id: str
    tracking_uri: str
    run_ids: list[str] = field(default_factory=list)
    parent_id: str = ""
    child_ids: list[str] = field(default_factory=list)
    long_run_id: str = ""
    # Stepped images (mlflow.log_image key/step) of the long run: key → steps.
    image_steps: dict = field(default_factory=dict)
    model_name: str = "churn-classifier"
    notebook: str = "/work/notebooks/train.ipynb"


def populate(tracking_uri: str, artifact_root: Path | None = None, prefix: str = "") -> SampleStore:
    """Fill the store; ``artifact_root`` is needed for SQL stores, whose experiments would
    otherwise keep their artifacts under ``./mlruns`` of the test process. ``prefix`` goes
    before every experiment and model name, for a store other tests share."""
    # The registry is named too: left unset it follows the process-wide registry URI,
    # which another test may have pointed at a different store.
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)

    def location(name: str) -> str | None:
        return None if artifact_root is None else str(artifact_root / name)

    experiment_id = client.create_experiment(f"{prefix}api-tests", location("api-tests"))
    other = client.create_experiment(f"{prefix}other-experiment", location("other-experiment"))
    store = SampleStore(
        experiment_id=experiment_id,
        other_experiment_id=other,
        tracking_uri=tracking_uri,
        model_name=f"{prefix}churn-classifier",
    )
    for index in range(12):
        run = client.create_run(
            experiment_id,
            run_name=f"run-{index:02d}",
            tags={"team": "vision" if index % 2 else "nlp", "mlflow.source.name": store.notebook}
            if index < 4
            else {"team": "vision" if index % 2 else "nlp"},
            start_time=1_700_000_000_000 + index * 1000,
        )
        run_id = run.info.run_id
        client.log_batch(
            run_id,
            metrics=[
                Metric("accuracy", 0.5 + index / 100, 1_700_000_000_000, 0),
                Metric("loss", 1.0 / (index + 1), 1_700_000_000_000, 0),
            ]
            + ([Metric("unstable", math.nan, 1_700_000_000_000, 0)] if index == 3 else []),
            params=[
                Param("lr", str(0.1 / (index + 1))),
                Param("optimizer", "adam" if index % 3 else "sgd"),
            ],
            tags=[RunTag("index", str(index))],
        )
        status = "FAILED" if index == 5 else "FINISHED"
        client.set_terminated(run_id, status=status, end_time=1_700_000_100_000 + index)
        store.run_ids.append(run_id)

    parent = client.create_run(experiment_id, run_name="sweep")
    store.parent_id = parent.info.run_id
    for trial in range(3):
        child = client.create_run(
            experiment_id,
            run_name=f"trial-{trial}",
            tags={"mlflow.parentRunId": store.parent_id},
        )
        client.log_param(child.info.run_id, "trial", str(trial))
        client.set_terminated(child.info.run_id)
        store.child_ids.append(child.info.run_id)
    _log_artifacts(client, store.parent_id)
    client.set_terminated(store.parent_id)

    long_run = client.create_run(other, run_name="long-training")
    store.long_run_id = long_run.info.run_id
    points = [
        Metric(
            "loss",
            1.0 / (step + 1) + (5.0 if step == 1234 else 0.0),
            1_700_000_000_000 + step,
            step,
        )
        for step in range(LONG_METRIC_STEPS)
    ]
    for start in range(0, len(points), 1000):
        client.log_batch(store.long_run_id, metrics=points[start : start + 1000])
    _log_stepped_images(client, store)
    client.set_terminated(store.long_run_id)

    client.create_registered_model(store.model_name, tags={"team": "vision"})
    for run_id in store.run_ids[:2]:
        client.create_model_version(store.model_name, f"runs:/{run_id}/model", run_id=run_id)
    client.set_registered_model_alias(store.model_name, "champion", "1")
    return store


def _log_artifacts(client: MlflowClient, run_id: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "plots").mkdir()
        (root / "plots" / "curve.png").write_bytes(PNG)
        (root / "notes.txt").write_text("trained on the march data\n")
        (root / "page.html").write_text("<script>alert('x')</script>")
        (root / HOSTILE_NAME).write_text("a hostile file name\n")
        client.log_artifacts(run_id, folder)


def _log_stepped_images(client: MlflowClient, store: SampleStore) -> None:
    """MLflow 3's stepped images on the long run: three steps of ``val/samples`` (the ``/``
    is written as ``~``), one of ``mask``, and one written as MLflow 3.0 named them
    (``%`` between the fields), which the server must serve as named."""
    import numpy as np

    for step in (0, 5, 12):
        pixels = np.full((8, 8, 3), step * 20, dtype=np.uint8)
        client.log_image(store.long_run_id, pixels, key="val/samples", step=step)
    client.log_image(store.long_run_id, np.zeros((4, 4), dtype=np.uint8), key="mask", step=3)
    with tempfile.TemporaryDirectory() as folder:
        old = Path(folder) / "legacy%step%12%timestamp%1700000000123%g1e2f.png"
        old.write_bytes(PNG)
        client.log_artifact(store.long_run_id, str(old), "images")
    store.image_steps = {"legacy": [12], "mask": [3], "val/samples": [0, 5, 12]}
