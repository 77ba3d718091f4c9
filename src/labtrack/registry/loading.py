"""``NAME@ALIAS`` | ``NAME/VERSION`` | ``NAME/Stage`` → a ``models:/`` URI and its model."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from .errors import InvalidQuery
from .names import STAGES, valid_alias, valid_model_name, valid_stage, valid_version


def model_uri(reference: str) -> str:
    """The ``models:/`` URI of a registry reference (a ``models:/`` URI passes through)."""
    text = (reference or "").strip()
    if text.startswith("models:/"):
        text = text.removeprefix("models:/")
    if "@" in text:
        name, alias = text.rsplit("@", 1)
        return f"models:/{valid_model_name(name)}@{valid_alias(alias)}"
    if "/" in text:
        name, last = text.rsplit("/", 1)
        if last.isdigit():
            return f"models:/{valid_model_name(name)}/{valid_version(last)}"
        if last.lower() in {stage.lower() for stage in STAGES}:
            return f"models:/{valid_model_name(name)}/{valid_stage(last)}"
    raise InvalidQuery(
        f"cannot read model reference {reference!r}: use NAME@ALIAS, NAME/VERSION or NAME/Stage"
    )


def load_model(reference: str, tracking_uri: str | None = None, registry_uri: str | None = None):
    """The pyfunc model a registry reference points at (MLflow's current URIs unless given)."""
    import mlflow.pyfunc  # noqa: F401 -- loads the pyfunc flavour

    from ..backend.facade import domain_errors

    uri = model_uri(reference)
    with domain_errors(), mlflow_pointed_at(tracking_uri, registry_uri):
        return mlflow.pyfunc.load_model(uri)


@contextlib.contextmanager
def mlflow_pointed_at(tracking_uri: str | None, registry_uri: str | None) -> Iterator[None]:
    """MLflow's fluent API on these URIs for a moment; its globals and the environment
    variables it exports are restored afterwards."""
    if not tracking_uri and not registry_uri:
        yield
        return
    import mlflow
    import mlflow.tracking._model_registry.utils as registry_utils
    import mlflow.tracking._tracking_service.utils as tracking_utils

    names = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")
    saved_env = {name: os.environ.get(name) for name in names}
    saved = (tracking_utils._tracking_uri, registry_utils._registry_uri)
    try:
        if tracking_uri:
            mlflow.set_tracking_uri(tracking_uri)
        mlflow.set_registry_uri(registry_uri or tracking_uri)
        yield
    finally:
        tracking_utils._tracking_uri, registry_utils._registry_uri = saved
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
