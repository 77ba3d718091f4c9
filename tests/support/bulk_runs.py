"""Many runs at once, written as MLflow's own store writes them but in one transaction.

``MlflowClient.create_run`` commits each run (≈20 ms on SQLite here); a test that needs a
thousand finished runs inserts MLflow's own ORM rows in one session instead.
"""

from __future__ import annotations

import uuid

from mlflow.store.tracking.dbmodels.models import SqlRun, SqlTag
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore


def insert_runs(
    tracking_uri: str, experiment_id: str, count: int, start_time: int, name: str = "bulk"
) -> list[str]:
    """``count`` FINISHED runs named ``{name}-{i}``, started at ``start_time`` (ms)."""
    store = SqlAlchemyStore(tracking_uri, "unused")
    experiment = store.get_experiment(experiment_id)
    ids = [uuid.uuid4().hex for _ in range(count)]
    try:
        with store.ManagedSessionMaker(read_only=False) as session:
            for index, run_id in enumerate(ids):
                run = SqlRun(
                    name=f"{name}-{index}",
                    artifact_uri=f"{experiment.artifact_location}/{run_id}/artifacts",
                    run_uuid=run_id,
                    experiment_id=int(experiment_id),
                    source_type="UNKNOWN",
                    source_name="",
                    entry_point_name="",
                    user_id="tester",
                    status="FINISHED",
                    start_time=start_time + index,
                    end_time=start_time + index + 1,
                    deleted_time=None,
                    source_version="",
                    lifecycle_stage="active",
                )
                run.tags = [SqlTag(key="mlflow.runName", value=f"{name}-{index}")]
                session.add(run)
    finally:
        store.engine.dispose()
    return ids
