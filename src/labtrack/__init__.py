"""labtrack: MLflow experiment tracking and model registry inside JupyterLab."""

from ._version import __version__

__all__ = [
    "__version__",
    "_jupyter_labextension_paths",
    "_jupyter_server_extension_points",
    "approve",
    "compare",
    "flush",
    "history",
    "load_ipython_extension",
    "load_model",
    "log_dataset",
    "log_metric",
    "log_metrics",
    "promote",
    "register",
    "rollback",
    "runs",
    "seed",
    "set_policy",
    "unload_ipython_extension",
    "watch",
]

_REGISTRY_NAMES = (
    "approve",
    "history",
    "load_model",
    "promote",
    "register",
    "rollback",
    "set_policy",
)


def __getattr__(name: str):
    # ``labtrack.log_metric`` without importing MLflow when labtrack is imported.
    if name in ("log_metric", "log_metrics", "flush"):
        from .metrics import api as metric_api

        value = globals()[name] = getattr(metric_api, name)  # looked up once
        return value
    if name == "compare":
        # ``labtrack.compare(runs)``: the inline comparison widget.
        from .api.compare import compare

        globals()["compare"] = compare
        return compare
    if name == "runs":
        # ``labtrack.runs(...)``: a DataFrame like mlflow.search_runs, read the fast way.
        from .api.runs import runs

        globals()["runs"] = runs
        return runs
    if name == "log_dataset":
        # ``labtrack.log_dataset(path_or_dataframe, name=…)``: a dataset input of the run.
        from .lineage.recording import log_dataset

        globals()["log_dataset"] = log_dataset
        return log_dataset
    if name == "seed":
        # ``labtrack.seed(n)``: seed random, NumPy and PyTorch; tag the run.
        from .lineage.seeds import seed

        globals()["seed"] = seed
        return seed
    if name == "watch":
        # ``labtrack.watch(run_id)``: a live plot of a run written by another process.
        from .api.watch import watch

        globals()["watch"] = watch
        return watch
    if name in _REGISTRY_NAMES:
        # ``labtrack.register(...)`` and friends: the model registry from code.
        from .api import registry as registry_api

        value = globals()[name] = getattr(registry_api, name)
        return value
    raise AttributeError(f"module 'labtrack' has no attribute {name!r}")


def load_ipython_extension(ipython) -> None:
    """``%load_ext labtrack``: register the magics and connect to the backend."""
    from .kernel.extension import load

    load(ipython)


def unload_ipython_extension(ipython) -> None:
    from .kernel.extension import unload

    unload(ipython)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "labtrack"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .server.app import LabtrackExtension

    return [{"module": "labtrack", "app": LabtrackExtension}]
