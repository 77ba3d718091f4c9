"""Domain errors of the tracking façade; the server maps each to one HTTP status."""

from __future__ import annotations


class TrackingQueryError(Exception):
    """Base of the errors a caller can act on; the message is meant for people."""


class InvalidQuery(TrackingQueryError):
    """Bad input: a malformed id, filter, page size or path (HTTP 400)."""


class NotFound(TrackingQueryError):
    """No such run, experiment, metric, artifact or model (HTTP 404)."""


class Conflict(TrackingQueryError):
    """The request is well formed but the current state refuses it (HTTP 409): a
    promotion still missing approvals, a second approval by the same user."""


class BackendUnavailable(TrackingQueryError):
    """The tracking backend does not answer (HTTP 503)."""


def translate_mlflow_error(error: Exception) -> TrackingQueryError | None:
    """Map an MlflowException to the domain error it stands for, if any."""
    code = getattr(error, "error_code", None)
    message = getattr(error, "message", None) or str(error)
    if code in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST", "INVALID_STATE"):
        return InvalidQuery(message)
    if code in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND"):
        return NotFound(message)
    if code in ("RESOURCE_ALREADY_EXISTS", "ALREADY_EXISTS"):
        return Conflict(message)
    if code in ("TEMPORARILY_UNAVAILABLE", "ENDPOINT_NOT_FOUND"):
        return BackendUnavailable(message)
    if message.startswith("API request to ") and " failed with exception " in message:
        # How MLflow's REST client reports a server it could not reach.
        return BackendUnavailable(message.split(" failed with exception ")[0] + " failed")
    return None
