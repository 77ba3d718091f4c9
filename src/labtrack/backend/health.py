"""Is the tracking backend reachable? Answered within a few seconds, never minutes.

MLflow's REST client retries for minutes before giving up; a UI asking "is the
backend there?" needs an answer now, so this probes the store directly.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import access_denied_message
from .location import BackendKind, BackendLocation, redact_credentials

PROBE_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Reachability:
    reachable: bool
    error: str | None = None
    # The server answered but refused the credentials (401) or their permissions (403):
    # it is there, and the fix is credentials, not the network.
    unauthorized: bool = False


class Unauthorized(Exception):
    """The tracking server answered 401 or 403."""


def probe(location: BackendLocation, timeout: float = PROBE_TIMEOUT_SECONDS) -> Reachability:
    try:
        if location.database_path is not None:
            _probe_sqlite(location, timeout)
        elif location.kind is BackendKind.REST:
            _probe_rest(location.tracking_uri, timeout)
        elif location.kind in (BackendKind.POSTGRESQL, BackendKind.MYSQL):
            _probe_sql_server(location.tracking_uri, timeout)
        else:
            return Reachability(True)  # nothing cheap to ask; MLflow will tell on first use
    except Unauthorized as error:
        return Reachability(False, str(error), unauthorized=True)
    except Exception as error:
        return Reachability(False, f"{type(error).__name__}: {error}")
    return Reachability(True)


def _probe_sqlite(location: BackendLocation, timeout: float) -> None:
    path = location.database_path
    assert path is not None
    if not path.exists():
        raise FileNotFoundError(f"no database at {path}")
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout)
    try:
        connection.execute("SELECT count(*) FROM experiments").fetchone()
    finally:
        connection.close()


def rest_credentials(environ: Mapping[str, str] | None = None) -> dict:
    """``requests`` arguments for the tracking server's auth, read as MLflow's client reads
    them: basic auth from ``MLFLOW_TRACKING_USERNAME``/``PASSWORD``, else a bearer token
    from ``MLFLOW_TRACKING_TOKEN``."""
    environ = os.environ if environ is None else environ
    username = environ.get("MLFLOW_TRACKING_USERNAME")
    password = environ.get("MLFLOW_TRACKING_PASSWORD")
    if username and password:
        return {"auth": (username, password)}
    token = environ.get("MLFLOW_TRACKING_TOKEN")
    if token:
        return {"headers": {"Authorization": f"Bearer {token}"}}
    return {}


class NoAnswer(ConnectionError):
    """Nothing answered the tracking server's address; the message is the short cause
    ("connection refused", "cannot connect", "no answer within 3s")."""


def ask_tracking_server(uri: str, timeout: float) -> int:
    """The HTTP status of the cheapest read a tracking server answers (one experiment),
    with the credentials MLflow's client would send. Raises ``NoAnswer`` when nothing
    answers within ``timeout``."""
    import requests

    try:
        response = requests.get(
            f"{uri.rstrip('/')}/api/2.0/mlflow/experiments/search",
            params={"max_results": 1},
            timeout=timeout,
            **rest_credentials(),
        )
    except requests.Timeout:
        raise NoAnswer(f"no answer within {timeout:g}s") from None
    except requests.ConnectionError as error:
        # requests' message is a paragraph of urllib3 internals; keep the cause.
        refused = "refused" in str(error).lower()
        raise NoAnswer("connection refused" if refused else "cannot connect") from None
    return response.status_code


def _probe_rest(uri: str, timeout: float) -> None:
    shown = redact_credentials(uri)  # a URI may carry a password; never show it
    try:
        status = ask_tracking_server(uri, timeout)
    except NoAnswer as error:
        raise ConnectionError(f"{error} ({shown})") from None
    if status in (401, 403):
        raise Unauthorized(access_denied_message(status, shown))
    if status >= 500 or status == 404:
        raise ConnectionError(f"HTTP {status} from {shown}")


def _probe_sql_server(uri: str, timeout: float) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(uri, connect_args={"connect_timeout": max(1, int(timeout))})
    try:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
    finally:
        engine.dispose()
