"""Moving runs to the Trash (MLflow's soft delete) and back, all or nothing.

Every run is checked first — it exists, and it is in the stage the move starts from — and
nothing changes unless all pass; the answer lists each run that stopped it. For SQL stores
the moves are then one transaction on MLflow's own store, using MLflow's own delete (which
also removes the run's assessments) and the same two fields its ``restore_run`` sets; a
run changed meanwhile by someone else rolls the whole transaction back. Other stores are
changed run by run through the client, and a failure part-way puts the moved runs back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .errors import InvalidQuery
from .facade import domain_errors
from .queries import valid_run_id
from .sql_rows import in_id_chunks
from .store_access import sql_store_of

log = logging.getLogger(__name__)

ACTIVE, DELETED = "active", "deleted"
MAX_BULK_RUNS = 1000


@dataclass
class RunFailure:
    """Why one run could not be moved: ``problem`` is ``not-found`` (no such run),
    ``deleted`` (already in the Trash, for a delete) or ``active`` (not in the Trash, for a
    restore)."""

    run_id: str
    problem: str
    reason: str


@dataclass
class LifecycleOutcome:
    """The answer of ``POST runs/delete`` and ``POST runs/restore``: all or nothing. When
    ``failed`` is empty every run asked is now in ``lifecycle_stage`` and listed in
    ``changed``; otherwise nothing changed, ``changed`` is empty and ``failed`` says why."""

    action: str
    lifecycle_stage: str
    changed: list[str]
    failed: list[RunFailure]
    message: str


class _Raced(Exception):
    """A run left the expected stage between the check and the change."""


def valid_run_ids(raw: object) -> list[str]:
    """The ids of a bulk request: 1–1000 well-formed run ids, duplicates dropped."""
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise InvalidQuery("run_ids must be a list of run id strings")
    ids = list(dict.fromkeys(raw))
    if not 1 <= len(ids) <= MAX_BULK_RUNS:
        raise InvalidQuery(f"give 1 to {MAX_BULK_RUNS} run ids, got {len(ids)}")
    for run_id in ids:
        valid_run_id(run_id)
    return ids


def change_lifecycle(client, run_ids: list[str], target: str) -> LifecycleOutcome:
    """Move every run of ``run_ids`` to ``target`` (``deleted`` or ``active``), or none."""
    if target not in (ACTIVE, DELETED):
        raise InvalidQuery(f"unknown lifecycle stage {target!r}")
    source = ACTIVE if target == DELETED else DELETED
    store = sql_store_of(client)
    if store is not None and not _sql_path_available(store):
        log.warning("labtrack: MLflow's store internals moved; runs are moved one by one")
        store = None
    with domain_errors():
        stages = _sql_stages(store, run_ids) if store else _client_stages(client, run_ids)
    failed = _failures(run_ids, stages, source)
    if failed:
        return _outcome(target, [], failed)
    with domain_errors():
        if store is not None:
            _sql_move(store, run_ids, source, target)
        else:
            _client_move(client, run_ids, target)
    return _outcome(target, list(run_ids), [])


def _outcome(target: str, changed: list[str], failed: list[RunFailure]) -> LifecycleOutcome:
    action = "delete" if target == DELETED else "restore"
    if failed:
        message = f"nothing was {action}d: " + "; ".join(f.reason for f in failed[:5])
        if len(failed) > 5:
            message += f" (and {len(failed) - 5} more)"
    else:
        where = "moved to the Trash" if target == DELETED else "restored from the Trash"
        message = f"{len(changed)} run{'' if len(changed) == 1 else 's'} {where}"
    return LifecycleOutcome(action, target, changed, failed, message)


def _failures(run_ids: list[str], stages: dict[str, str], source: str) -> list[RunFailure]:
    failed = []
    for run_id in run_ids:
        stage = stages.get(run_id)
        if stage is None:
            failed.append(RunFailure(run_id, "not-found", f"no run with id {run_id}"))
        elif stage != source:
            if stage == DELETED:
                failed.append(RunFailure(run_id, DELETED, f"run {run_id} is already deleted"))
            else:
                failed.append(RunFailure(run_id, ACTIVE, f"run {run_id} is not in the Trash"))
    return failed


# -- SQL stores: one transaction ---------------------------------------------------------


def _sql_path_available(store) -> bool:
    return all(hasattr(store, name) for name in ("ManagedSessionMaker", "_mark_run_deleted"))


def _sql_stages(store, run_ids: list[str]) -> dict[str, str]:
    from mlflow.store.tracking.dbmodels.models import SqlRun

    stages: dict[str, str] = {}
    with store.ManagedSessionMaker() as session:
        for chunk in in_id_chunks(run_ids):
            query = session.query(SqlRun.run_uuid, SqlRun.lifecycle_stage)
            stages.update(query.filter(SqlRun.run_uuid.in_(chunk)).all())
    return stages


def _sql_move(store, run_ids: list[str], source: str, target: str) -> None:
    from mlflow.exceptions import MlflowException
    from mlflow.store.tracking.dbmodels.models import SqlRun

    try:
        with store.ManagedSessionMaker(read_only=False) as session:
            for chunk in in_id_chunks(run_ids):
                query = session.query(SqlRun).filter(SqlRun.run_uuid.in_(chunk))
                runs = query.filter(SqlRun.lifecycle_stage == source).all()
                if len(runs) != len(chunk):
                    raise _Raced()
                for run in runs:
                    if target == DELETED:
                        store._mark_run_deleted(session, run)  # MLflow's own delete_run
                    else:  # what MLflow's restore_run sets
                        run.lifecycle_stage = ACTIVE
                        run.deleted_time = None
                        session.add(run)
    except MlflowException as error:  # MLflow's session wraps what is raised inside it
        if isinstance(error.__cause__, _Raced):
            raise InvalidQuery(
                "another client changed some of these runs meanwhile; nothing was changed, "
                "ask again"
            ) from None
        raise


# -- other stores: run by run, undone on failure ----------------------------------------


def _client_stages(client, run_ids: list[str]) -> dict[str, str]:
    from mlflow.exceptions import MlflowException

    stages = {}
    for run_id in run_ids:
        try:
            stages[run_id] = client.get_run(run_id).info.lifecycle_stage
        except MlflowException as error:
            if getattr(error, "error_code", "") != "RESOURCE_DOES_NOT_EXIST":
                raise
    return stages


def _client_move(client, run_ids: list[str], target: str) -> None:
    move = client.delete_run if target == DELETED else client.restore_run
    undo = client.restore_run if target == DELETED else client.delete_run
    moved: list[str] = []
    try:
        for run_id in run_ids:
            move(run_id)
            moved.append(run_id)
    except Exception:
        for run_id in reversed(moved):
            try:
                undo(run_id)
            except Exception:  # the store went away: say so in the log, raise the cause
                log.exception("labtrack: could not put run %s back", run_id)
        raise
