"""Model lifecycle: register, aliases, stages, approvals, rollback and an audit trail.

No IPython and no Tornado here: the kernel's ``%track`` commands and the server's write
routes both call :class:`ModelRegistry`. What labtrack writes (approvals, audit entries,
the policy, challenge records) is signed (``signing``) and verified when read back.
"""

from .audit import AuditEntry
from .errors import AlreadyApproved, ApprovalMissing, NothingToRollBack
from .identity import local_user
from .lifecycle import ModelRegistry
from .loading import load_model, model_uri
from .policy import ApprovalPolicy
from .signing import Signer, SigningKeyError, load_signer

__all__ = [
    "AlreadyApproved",
    "ApprovalMissing",
    "ApprovalPolicy",
    "AuditEntry",
    "ModelRegistry",
    "NothingToRollBack",
    "Signer",
    "SigningKeyError",
    "load_model",
    "load_signer",
    "local_user",
    "model_uri",
]
