"""Where runs live and how labtrack reaches them (no Tornado, no IPython here)."""

from .location import BackendKind, BackendLocation, LocationSource, labtrack_home, resolve_backend
from .store import activate, prepare_backend

__all__ = [
    "BackendKind",
    "BackendLocation",
    "LocationSource",
    "activate",
    "labtrack_home",
    "prepare_backend",
    "resolve_backend",
]
