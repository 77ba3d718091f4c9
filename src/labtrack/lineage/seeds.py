"""``labtrack.seed(n)``: seed every random generator in use, and say so on the run.

The seed is recorded as the tag ``labtrack.seed``, not a param: a param cannot change
once logged (a cell that reseeds would fail), and params are the user's own namespace
(``--params``). Tags are searchable (``tags."labtrack.seed" = '42'``) and shown in
the run details. A seed set outside any run is remembered and tagged on the runs that
``%%track`` starts afterwards in this kernel, since notebooks usually seed once at the top.
"""

from __future__ import annotations

import random
import sys

from .. import tags as T

_last_seed: dict[str, int] = {}


def seed(n: int) -> list[str]:
    """Seed Python's ``random``, NumPy and PyTorch (only if already imported: torch is
    never imported here) with ``n``; tag the active run. Returns what was seeded."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"labtrack.seed needs a non-negative integer, not {n!r}")
    random.seed(n)
    seeded = ["random"]
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(n % 2**32)  # NumPy's legacy global generator takes 32 bits
        seeded.append("numpy")
    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "manual_seed"):
        torch.manual_seed(n)  # seeds CUDA devices too
        seeded.append("torch")
    _last_seed["value"] = n
    _tag_active_run(n)
    return seeded


def seed_tags() -> dict[str, str]:
    """The tag a newly tracked run carries when a seed was set in this kernel."""
    return {T.SEED: str(_last_seed["value"])} if "value" in _last_seed else {}


def _tag_active_run(n: int) -> None:
    mlflow = sys.modules.get("mlflow")
    if mlflow is None:
        return
    run = mlflow.active_run()
    if run is not None:
        mlflow.MlflowClient().set_tag(run.info.run_id, T.SEED, str(n))
