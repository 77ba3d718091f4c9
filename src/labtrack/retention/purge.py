"""Removing a retention plan's runs for good, with MLflow's own garbage collection.

The runs go to the Trash first (MLflow's soft delete, all or nothing per thousand runs),
then MLflow's ``gc`` purges exactly those runs — their artifacts and their rows — and
nothing else: not other runs in the Trash, not deleted experiments, not logged models.
Registered versions are read again just before, so a version registered while a person
read the plan still keeps its source run.
"""

from __future__ import annotations

import contextlib
import inspect
import io
from dataclasses import dataclass, field

from ..backend.errors import Conflict
from ..backend.facade import domain_errors
from ..backend.run_lifecycle import DELETED, MAX_BULK_RUNS, change_lifecycle
from ..backend.store_access import sql_store_of
from .plan import KeptRun, RetentionPlan, registered_dependencies


@dataclass
class PurgeOutcome:
    purged: list[str] = field(default_factory=list)
    artifact_bytes: int = 0
    # Runs of the plan a version registered since then depends on: left alone.
    kept: list[KeptRun] = field(default_factory=list)


def purge(client, plan: RetentionPlan) -> PurgeOutcome:
    store = sql_store_of(client)
    if store is None or not hasattr(store, "_hard_delete_run"):
        raise Conflict(
            "purging needs the tracking database itself; this backend is reached through a "
            "tracking server: run `mlflow gc` where the server runs"
        )
    dependencies = registered_dependencies(client)
    outcome = PurgeOutcome()
    runs = []
    for run in plan.runs:
        if run.run_id in dependencies:
            outcome.kept.append(KeptRun(run.run_id, run.run_name, tuple(dependencies[run.run_id])))
        else:
            runs.append(run)
    active = [run.run_id for run in runs if run.lifecycle_stage != DELETED]
    for start in range(0, len(active), MAX_BULK_RUNS):
        _to_trash(client, active[start : start + MAX_BULK_RUNS])
    run_ids = [run.run_id for run in runs]
    if run_ids:
        with domain_errors():
            _mlflow_gc(store, run_ids)
    outcome.purged = run_ids
    outcome.artifact_bytes = sum(run.artifact_bytes or 0 for run in runs)
    return outcome


def _to_trash(client, run_ids: list[str]) -> None:
    moved = change_lifecycle(client, run_ids, DELETED)
    if not moved.failed:
        return
    # Someone else may have trashed some meanwhile: those are where they should be.
    already = {f.run_id for f in moved.failed if f.problem == DELETED}
    rest = [run_id for run_id in run_ids if run_id not in already]
    if len(already) < len(moved.failed) or (
        rest and change_lifecycle(client, rest, DELETED).failed
    ):
        raise Conflict(f"the runs changed while they were being removed: {moved.message}")


def _mlflow_gc(store, run_ids: list[str]) -> None:
    """``mlflow gc --run-ids …``'s own code, limited to these runs; its per-run lines
    ("Run with ID … has been permanently deleted.") are not printed."""
    collect = _mlflow_collector()
    with contextlib.redirect_stdout(io.StringIO()):
        if collect is not None:
            collect(
                backend_store=store,
                run_ids=run_ids,
                experiment_ids=None,
                logged_model_ids=[],
                older_than=None,
                time_delta=0,
                skip_experiments=True,
                skip_logged_models=True,
            )
            return
        # MLflow moved it: the same two steps it takes for each run.
        from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

        for run_id in run_ids:
            run = store.get_run(run_id)
            get_artifact_repository(run.info.artifact_uri).delete_artifacts()
            store._hard_delete_run(run_id)


def _mlflow_collector():
    """The core of ``mlflow gc`` if this MLflow has it with the parameters used here."""
    try:
        from mlflow.cli import _gc_tracking_resources
    except ImportError:
        return None
    wanted = {"backend_store", "run_ids", "skip_experiments", "skip_logged_models"}
    if not wanted <= set(inspect.signature(_gc_tracking_resources).parameters):
        return None
    return _gc_tracking_resources
