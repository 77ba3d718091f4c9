"""Preparing and pointing MLflow at a resolved backend.

The embedded store is created on first use: one SQLite database in WAL mode (so the
sidebar can read while a kernel writes), with labtrack's read index
(``read_indexes.py``), and one artifact folder. Creation is
serialised with a file lock because a kernel and the server may start together.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from .location import BackendLocation
from .read_indexes import create_read_indexes

# MLflow's SQL store puts the artifacts of experiments it creates under
# ``./mlruns`` of the creating process unless this variable names a root. The
# tracking server sets it; the embedded backend must too, or artifacts would
# scatter across every folder a notebook ran in.
MLFLOW_ARTIFACT_ROOT_ENV = "_MLFLOW_SERVER_ARTIFACT_ROOT"

_prepared: set[str] = set()
_prepared_lock = threading.Lock()


def prepare_backend(location: BackendLocation) -> None:
    """Make the backend usable: create the embedded store on first use (idempotent)."""
    if not location.is_embedded:
        return
    with _prepared_lock:
        if location.tracking_uri in _prepared:
            return
        database = location.database_path
        assert database is not None and location.artifact_root is not None
        database.parent.mkdir(parents=True, exist_ok=True)
        Path(location.artifact_root).mkdir(parents=True, exist_ok=True)
        with _exclusive(database.parent / ".create.lock"):
            _enable_wal(database)
            _create_schema(location)
        _prepared.add(location.tracking_uri)


def activate(location: BackendLocation) -> None:
    """Point this process's MLflow (fluent API and new clients) at the location."""
    import mlflow

    prepare_backend(location)
    if location.artifact_root:
        os.environ[MLFLOW_ARTIFACT_ROOT_ENV] = location.artifact_root
    mlflow.set_tracking_uri(location.tracking_uri)
    mlflow.set_registry_uri(location.registry_uri)


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _enable_wal(database: Path) -> None:
    connection = sqlite3.connect(database, timeout=30)
    try:
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise RuntimeError(f"could not switch {database} to WAL mode (got {mode!r})")
    finally:
        connection.close()


def _create_schema(location: BackendLocation) -> None:
    # Constructing MLflow's store runs its migrations and creates the Default
    # experiment with its artifacts under our root.
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    with _quiet_loggers("mlflow.store.db.utils", "alembic"):
        store = SqlAlchemyStore(location.tracking_uri, location.artifact_root)
    store.engine.dispose()
    # The store is labtrack's own: it gets the index labtrack's reads page by (a no-op
    # once there; read_indexes.py says why MLflow's migrations are unaffected). Only a
    # speed-up: a store busy for longer than SQLite's timeout gets it on a later start.
    try:
        create_read_indexes(location.tracking_uri)
    except Exception as error:  # reads work without it, only slower
        logging.getLogger(__name__).warning("labtrack: read index not created: %s", error)


@contextlib.contextmanager
def _quiet_loggers(*names: str) -> Iterator[None]:
    """Migration chatter would land in the user's cell output as red stderr."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
