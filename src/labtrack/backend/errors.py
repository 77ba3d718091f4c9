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


class AccessDenied(TrackingQueryError):
    """The tracking server answers but refuses labtrack's credentials (its HTTP 401) or
    their permissions (its HTTP 403); labtrack answers 403 with this message."""


CREDENTIAL_HINT = (
    "set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) "
    "in the environment of Jupyter and its kernels"
)


def access_denied_message(status: int, server: str = "the tracking server", environ=None) -> str:
    """One line naming the auth failure and what to do about it."""
    import os

    environ = os.environ if environ is None else environ
    user = environ.get("MLFLOW_TRACKING_USERNAME")
    if status == 403:
        who = f"user {user!r}" if user else "these credentials"
        return (
            f"permission denied by {server} (HTTP 403): {who} may not do this; "
            "ask the server's admin for access"
        )
    if user and environ.get("MLFLOW_TRACKING_PASSWORD"):
        sent = f"refused the credentials of MLFLOW_TRACKING_USERNAME={user}"
    elif environ.get("MLFLOW_TRACKING_TOKEN"):
        sent = "refused the token in MLFLOW_TRACKING_TOKEN"
    else:
        sent = f"needs credentials and none were given; {CREDENTIAL_HINT}"
    return f"unauthorized: {server} {sent} (HTTP 401)"


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
    if code in ("UNAUTHENTICATED", "CUSTOMER_UNAUTHORIZED"):
        return AccessDenied(access_denied_message(401))
    if code == "PERMISSION_DENIED":
        return AccessDenied(access_denied_message(403))
    if code in ("TEMPORARILY_UNAVAILABLE", "ENDPOINT_NOT_FOUND"):
        return BackendUnavailable(message)
    if message.startswith("API request to ") and " failed with exception " in message:
        # How MLflow's REST client reports a server it could not reach.
        return BackendUnavailable(message.split(" failed with exception ")[0] + " failed")
    return None


def backend_problem(error: BaseException) -> TrackingQueryError | None:
    """The auth failure or unreachable server behind an MLflow error, if that is what it
    is: one line for a person, instead of MLflow's exception and its HTTP details."""
    if isinstance(error, (AccessDenied, BackendUnavailable)):
        return error
    translated = translate_mlflow_error(error)
    if isinstance(translated, (AccessDenied, BackendUnavailable)):
        return translated
    return None
