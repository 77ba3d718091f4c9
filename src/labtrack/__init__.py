"""labtrack: MLflow experiment tracking and model registry inside JupyterLab."""

from ._version import __version__

__all__ = [
    "__version__",
    "_jupyter_labextension_paths",
    "_jupyter_server_extension_points",
    "load_ipython_extension",
    "unload_ipython_extension",
]


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
