"""A tracking store reduced to what a user's MLflow code decides, for comparing two stores.

Two runs of the same notebook, one plain and one under ``%%track``, must leave the same
experiments, runs (names, nesting, statuses, params, tags of their own, metric histories,
artifacts), logged models and registered versions. Ids, timestamps and what labtrack adds
(``labtrack.*`` tags, MLflow's source tags, which labtrack sets to the notebook, and the
``labtrack/`` artifacts, the ``system/…`` metrics of tracked cells) are left out; so are
metrics that measure time, whose values differ from one execution to the next, and names
MLflow generates at random (``clever-owl-123``), which become ``<generated>``.
"""

from __future__ import annotations

import json
import re

GENERATED_NAME = re.compile(r"^[a-z]+-[a-z]+-\d{1,4}$")
# Tags MLflow writes that hold ids, paths or times, or that labtrack sets on purpose.
_IGNORED_MLFLOW_TAGS = ("mlflow.source.", "mlflow.user", "mlflow.log-model.history")
_IGNORED_TAGS = ("mlflow.parentRunId", "mlflow.runName")
_TIMING_METRIC = re.compile(r"(_time|_seconds|time_ms)$")


def name_of(run) -> str:
    name = run.info.run_name or ""
    return "<generated>" if GENERATED_NAME.match(name) else name


def _own_tags(tags: dict[str, str]) -> dict[str, str]:
    return {
        key: value
        for key, value in tags.items()
        if not key.startswith("labtrack.")
        and key not in _IGNORED_TAGS
        and not key.startswith(_IGNORED_MLFLOW_TAGS)
    }


def _artifacts(client, run_id: str, path: str | None = None) -> list[str]:
    found: list[str] = []
    for entry in client.list_artifacts(run_id, path):
        if entry.path == "labtrack" or entry.path.startswith("labtrack/"):
            continue
        if entry.is_dir:
            found.extend(_artifacts(client, run_id, entry.path))
        else:
            found.append(entry.path)
    return sorted(found)


def _history(client, run_id: str, key: str) -> list[tuple[int, str]]:
    points = client.get_metric_history(run_id, key)
    return sorted((point.step, repr(round(point.value, 9))) for point in points)


def store_contents(client) -> dict:
    """Experiments, runs, logged models and registered versions, comparable as data."""
    from mlflow.entities import ViewType

    experiments = {e.experiment_id: e.name for e in client.search_experiments()}
    runs = []
    by_id = {}
    for experiment_id in experiments:
        for run in client.search_runs([experiment_id], run_view_type=ViewType.ALL):
            by_id[run.info.run_id] = run
    for run in by_id.values():
        parent = by_id.get(run.data.tags.get("mlflow.parentRunId", ""))
        metrics = {
            key: _history(client, run.info.run_id, key)
            for key in sorted(run.data.metrics)
            if not _TIMING_METRIC.search(key) and not key.startswith("system/")
        }
        runs.append(
            {
                "experiment": experiments[run.info.experiment_id],
                "name": name_of(run),
                "parent": name_of(parent) if parent is not None else None,
                "status": run.info.status,
                "params": dict(sorted(run.data.params.items())),
                "tags": dict(sorted(_own_tags(run.data.tags).items())),
                "metrics": metrics,
                "artifacts": _artifacts(client, run.info.run_id),
            }
        )
    models = []
    for experiment_id in experiments:
        for model in client.search_logged_models([experiment_id]):
            source = by_id.get(model.source_run_id)
            models.append(
                {
                    "experiment": experiments[experiment_id],
                    "name": model.name,
                    "source_run": name_of(source) if source is not None else None,
                }
            )
    registered = []
    for model in client.search_registered_models():
        versions = client.search_model_versions(f"name = '{model.name}'")
        for version in sorted(versions, key=lambda v: int(v.version)):
            source = by_id.get(version.run_id)
            registered.append(
                {
                    "model": model.name,
                    "version": version.version,
                    "source_run": name_of(source) if source is not None else None,
                    # search_model_versions leaves aliases out; the version itself has them.
                    "aliases": sorted(
                        client.get_model_version(model.name, version.version).aliases
                    ),
                }
            )
    key = lambda item: json.dumps(item, sort_keys=True)  # noqa: E731
    return {
        "experiments": sorted(experiments.values()),
        "runs": sorted(runs, key=key),
        "logged_models": sorted(models, key=key),
        "registered_versions": registered,
    }
