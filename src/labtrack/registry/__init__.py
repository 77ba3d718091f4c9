"""Model lifecycle: register, aliases, stages, approvals, rollback and an audit trail.

No IPython and no Tornado here: the kernel's ``%track`` commands and the server's write
routes both call :class:`ModelRegistry`.
"""

from .audit import AuditEntry
from .errors import AlreadyApproved, ApprovalMissing, NothingToRollBack
from .lifecycle import ModelRegistry, local_user
from .loading import load_model, model_uri
from .policy import ApprovalPolicy

__all__ = [
    "AlreadyApproved",
    "ApprovalMissing",
    "ApprovalPolicy",
    "AuditEntry",
    "ModelRegistry",
    "NothingToRollBack",
    "load_model",
    "local_user",
    "model_uri",
]
