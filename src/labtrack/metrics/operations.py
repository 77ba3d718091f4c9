"""Applying a journal's non-metric entries with an MLflow client.

Each entry is idempotent, so a journal replayed twice (a crash after the backend
took it, before the file was deleted) leaves the run as one replay would.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..limits import MAX_PARAM_VALUE, MAX_PARAMS_PER_BATCH, batched

# How MLflow's REST client words a request that got no usable answer (connection
# refused, timed out, 5xx after its retries), as opposed to the server's own refusal.
_NO_ANSWER_WORDING = "failed with exception"


def no_answer_reason(error: BaseException) -> str | None:
    """Why MLflow's call failed, when it failed because the tracking server did not
    answer (rather than refusing the call); None otherwise."""
    from mlflow.exceptions import MlflowException
    from requests import HTTPError, RequestException

    if isinstance(error, HTTPError):
        # An artifact upload's answer: a 5xx is the server failing, a 4xx its refusal.
        answered = error.response is not None and error.response.status_code < 500
        return None if answered else f"{type(error).__name__}: {error}"[:300]
    if isinstance(error, RequestException) or (
        isinstance(error, MlflowException) and _NO_ANSWER_WORDING in error.message
    ):
        return f"{type(error).__name__}: {error}"[:300]
    return None


class ClientRunOperations:
    """``params``, ``tags``, ``text``, ``artifact`` and ``end`` entries, written through
    ``client``."""

    def __init__(self, client) -> None:
        self._client = client

    def apply(self, operation: dict) -> None:
        kind = operation.get("op")
        run_id = operation["run_id"]
        if kind == "params":
            self._log_params(run_id, operation["params"])
        elif kind == "tags":
            from mlflow.entities import RunTag

            tags = [RunTag(key, str(value)) for key, value in operation["tags"].items()]
            self._client.log_batch(run_id, tags=tags)
        elif kind == "text":
            self._client.log_text(run_id, operation["text"], operation["artifact_file"])
        elif kind == "artifact":
            if operation.get("contents"):
                self._client.log_artifacts(
                    run_id, operation["local_path"], operation["artifact_path"]
                )
            else:
                self._client.log_artifact(
                    run_id, operation["local_path"], operation["artifact_path"]
                )
        elif kind == "end":
            self._client.set_terminated(
                run_id, status=operation["status"], end_time=operation.get("end_time")
            )
        else:
            raise ValueError(f"unknown journal entry '{kind}'")

    def _log_params(self, run_id: str, params: Mapping[str, str]) -> None:
        log_params(self._client, run_id, params)


def log_params(client, run_id: str, params: Mapping[str, object]) -> None:
    """``params`` on the run, in batches MLflow takes (values cut to MLflow's longest)."""
    from mlflow.entities import Param

    items = [Param(key, str(value)[:MAX_PARAM_VALUE]) for key, value in params.items()]
    for chunk in batched(items, MAX_PARAMS_PER_BATCH):
        client.log_batch(run_id, params=list(chunk))
