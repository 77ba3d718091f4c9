"""The tracked run's experiment as MLflow's active experiment, for the cell's duration.

``mlflow.start_run(nested=True)`` without an experiment puts the child in MLflow's
*active* experiment (``set_experiment``, else ``MLFLOW_EXPERIMENT_ID``, else Default),
not in its parent's: a sweep under ``%%track --experiment X`` would scatter its trials
into Default. While the cell runs, the run's experiment is the active one; afterwards
whatever was active before is again.
"""

from __future__ import annotations

import os

EXPERIMENT_ID_ENV = "MLFLOW_EXPERIMENT_ID"


class ActiveExperiment:
    def __init__(self, experiment_id: str) -> None:
        from mlflow.tracking import fluent

        self._fluent = fluent
        self._previous_id = getattr(fluent, "_active_experiment_id", None)
        self._previous_env = os.environ.get(EXPERIMENT_ID_ENV)
        self._experiment_id = experiment_id
        # The same two places mlflow.set_experiment writes, without its lookups.
        fluent._active_experiment_id = experiment_id
        os.environ[EXPERIMENT_ID_ENV] = experiment_id

    def restore_unless_changed(self) -> None:
        """Restore, unless the cell's code chose an experiment itself (``set_experiment``):
        that choice outlives the cell, as it does without ``%%track``."""
        if self._fluent._active_experiment_id == self._experiment_id:
            self.restore()

    def restore(self) -> None:
        self._fluent._active_experiment_id = self._previous_id
        if self._previous_env is None:
            os.environ.pop(EXPERIMENT_ID_ENV, None)
        else:
            os.environ[EXPERIMENT_ID_ENV] = self._previous_env
