"""Get-or-create an experiment by name, safe against a racing creator."""

from __future__ import annotations


def experiment_named(client, name: str):
    """The experiment called ``name``, created if there is none yet (its entity).

    Another kernel, or a sync, may create it between the lookup and the create (four
    kernels starting on a new experiment at once do): then theirs is used."""
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        return experiment
    try:
        return client.get_experiment(client.create_experiment(name))
    except Exception:
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            raise
        return experiment
