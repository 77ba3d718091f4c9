"""MLflow's own SQL store behind a client, for writes that must be one transaction.

``MlflowClient`` changes one run per call and commits each; deleting or restoring a
thousand runs all-or-nothing needs them in one session. For SQL stores the client's own
``SqlAlchemyStore`` gives that session; every other store has none (``None``).
"""

from __future__ import annotations


def sql_store_of(client):
    """The ``SqlAlchemyStore`` the client writes through, or None (REST, file stores)."""
    try:
        from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

        store = client._tracking_client.store
    except (AttributeError, ImportError):  # MLflow moved its internals: use the client
        return None
    return store if isinstance(store, SqlAlchemyStore) else None
