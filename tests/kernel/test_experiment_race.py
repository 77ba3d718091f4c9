"""Kernels starting ``%%track --experiment NEW`` at once: the one that loses the race to
create the experiment logs into it instead of failing (the race itself is produced by
four real kernels in tests/scale/test_concurrent_kernels.py; here it is forced)."""

from __future__ import annotations

import mlflow


def test_an_experiment_created_meanwhile_by_another_kernel_is_used(run_cell, client, monkeypatch):
    # Given: another kernel creates the experiment right after this one looked it up
    real_lookup = mlflow.MlflowClient.get_experiment_by_name
    looked_up: list[str] = []

    def lookup_then_lose_the_race(self, name):
        if name == "created-meanwhile" and not looked_up:
            looked_up.append(name)
            mlflow.MlflowClient().create_experiment(name)  # the other kernel
            return None  # what this kernel saw a moment before
        return real_lookup(self, name)

    monkeypatch.setattr(mlflow.MlflowClient, "get_experiment_by_name", lookup_then_lose_the_race)
    # When: the tracked cell starts on that experiment
    cell = run_cell("%%track --experiment created-meanwhile --no-live\nx = 1\n")
    # Then: the run is in the experiment the other kernel created, and finished
    assert cell.result.error_in_exec is None, cell.err
    run = client.get_run(cell.run_id)
    assert run.info.status == "FINISHED"
    assert run.info.experiment_id == real_lookup(client, "created-meanwhile").experiment_id
