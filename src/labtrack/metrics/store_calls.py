"""How MLflow 3 calls a tracking store's ``create_run`` and ``update_run_info``, for the
capture to read the arguments however a caller passed them (positionally or by name)."""

from __future__ import annotations

import inspect


def _create_run_signature():
    def create_run(experiment_id, user_id, start_time, tags, run_name=None):  # MLflow 3's
        pass

    return inspect.signature(create_run)


def _update_run_info_signature():
    def update_run_info(run_id, run_status, end_time, run_name=None):  # MLflow 3's
        pass

    return inspect.signature(update_run_info)


CREATE_RUN = _create_run_signature()
UPDATE_RUN_INFO = _update_run_info_signature()


def status_name(status) -> str | None:
    """A ``RunStatus`` (an int in MLflow's stores) or its name, as the name."""
    if status is None or isinstance(status, str):
        return status
    from mlflow.entities import RunStatus

    return RunStatus.to_string(status)
