"""Retention: removing old runs for good, never one a registered model version depends on.

``plan_retention`` says what would go (runs and their artifact bytes) and what is kept;
``purge`` moves the planned runs to the Trash and purges them with MLflow's own garbage
collection. No IPython here: ``%track gc`` (``kernel/gc_command.py``) is the adapter.
"""

from .plan import ExpiredRun, KeptRun, RetentionPlan, parse_age, plan_retention
from .purge import PurgeOutcome, purge

__all__ = [
    "ExpiredRun",
    "KeptRun",
    "PurgeOutcome",
    "RetentionPlan",
    "parse_age",
    "plan_retention",
    "purge",
]
