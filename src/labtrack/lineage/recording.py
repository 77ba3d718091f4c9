"""Record datasets on a run: as MLflow dataset inputs, plus tags to search by.

A file or folder becomes an MLflow ``Dataset`` whose digest is the DVC-compatible MD5,
whose source is ``{"uri": "file:///…"}`` (MLflow's local source) and whose profile
holds md5, sha256, size, rows and the DVC pointer's md5 and remote. The digest is also
searchable as ``datasets.digest`` in MLflow's run filter; the tags
``labtrack.dataset.<name>.md5`` / ``.path`` make it visible in tables and tag filters.

MLflow keeps one dataset per (experiment, name, digest): the same data logged from
another path reuses the first one's source and profile. The path this run read is
therefore also kept on the run's input itself (input tag ``labtrack.path``), and that
is what ``recorded_datasets`` returns.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .. import tags as T
from .datasets import DatasetRecord, describe_path

SOURCE_TYPE = "local"
INPUT_PATH_TAG = "labtrack.path"
_UNSAFE = re.compile(r"[^\w.\-/ ]")


def dataset_tag(name: str, field: str) -> str:
    return f"{T.DATASET_PREFIX}{_UNSAFE.sub('_', name)[:200]}.{field}"


def record_dataset(client, run_id: str, record: DatasetRecord, context: str | None = None) -> None:
    from mlflow.entities import Dataset, DatasetInput, InputTag, RunTag
    from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT

    entity = Dataset(
        name=record.name,
        digest=record.md5,
        source_type=SOURCE_TYPE,
        source=json.dumps({"uri": Path(record.path).as_uri()}),
        profile=record.profile_json(),
    )
    input_tags = [InputTag(INPUT_PATH_TAG, record.path[: T.MAX_TAG_VALUE])]
    if context:
        input_tags.append(InputTag(MLFLOW_DATASET_CONTEXT, context))
    client.log_inputs(run_id, datasets=[DatasetInput(entity, input_tags)])
    tags = {
        dataset_tag(record.name, "md5"): record.md5,
        dataset_tag(record.name, "path"): record.path[: T.MAX_TAG_VALUE],
    }
    if record.rows is not None:
        tags[dataset_tag(record.name, "rows")] = str(record.rows)
    client.log_batch(run_id, tags=[RunTag(key, value) for key, value in tags.items()])


def record_dataframe(client, run_id: str, frame, name: str | None, context: str | None) -> str:
    """A pandas DataFrame through MLflow's own dataset (its digest, schema and row
    count); returns the digest."""
    import mlflow
    from mlflow.entities import DatasetInput, InputTag, RunTag
    from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT

    dataset = mlflow.data.from_pandas(frame, name=name or "dataframe")
    input_tags = [InputTag(MLFLOW_DATASET_CONTEXT, context)] if context else []
    client.log_inputs(run_id, datasets=[DatasetInput(dataset._to_mlflow_entity(), input_tags)])
    tags = {
        dataset_tag(dataset.name, "digest"): dataset.digest,
        dataset_tag(dataset.name, "rows"): str(len(frame)),
    }
    client.log_batch(run_id, tags=[RunTag(key, value) for key, value in tags.items()])
    return dataset.digest


def recorded_datasets(run) -> list[tuple[str, str, str | None]]:
    """(name, digest, local path or None) of each dataset input of an MLflow run."""
    found = []
    for entry in (run.inputs.dataset_inputs if run.inputs else None) or []:
        dataset = entry.dataset
        input_tags = {tag.key: tag.value for tag in entry.tags or []}
        path = input_tags.get(INPUT_PATH_TAG)
        if path is None and dataset.source_type == SOURCE_TYPE:
            path = _local_path(dataset.source)
        found.append((dataset.name, dataset.digest, path))
    return found


def _local_path(source: str) -> str | None:
    try:
        uri = json.loads(source).get("uri", "")
    except (ValueError, AttributeError):
        return None
    if not uri.startswith("file://"):
        return None
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(uri).path)


def log_dataset(path_or_dataframe, name: str | None = None, context: str | None = None):
    """Record a dataset on the active run (a ``%%track`` cell's, or ``mlflow.start_run``'s).

    A path (file or folder) is recorded with its DVC-compatible MD5, SHA-256, size, row
    count and DVC pointer, and the ``DatasetRecord`` is returned; a pandas DataFrame is
    recorded through ``mlflow.data.from_pandas`` and its digest returned.
    """
    import mlflow

    run = mlflow.active_run()
    if run is None:
        raise RuntimeError(
            "labtrack.log_dataset needs an active run: call it in a %%track cell "
            "or inside mlflow.start_run()"
        )
    client = mlflow.MlflowClient()
    if isinstance(path_or_dataframe, (str, Path)):
        record = describe_path(path_or_dataframe, name=name)
        record_dataset(client, run.info.run_id, record, context)
        return record
    if hasattr(path_or_dataframe, "to_csv") and hasattr(path_or_dataframe, "columns"):
        return record_dataframe(client, run.info.run_id, path_or_dataframe, name, context)
    raise TypeError("labtrack.log_dataset takes a file or folder path, or a pandas DataFrame")
