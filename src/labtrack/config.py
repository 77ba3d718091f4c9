"""Every labtrack setting, in one place, for the kernel and the Jupyter server alike.

Set them as ``c.LabtrackConfig.<name> = …`` in ``ipython_config.py`` (the kernel) and in
``jupyter_server_config.py`` (the server extension); ``%config LabtrackConfig`` shows the
kernel's. The ``help=`` texts below are the reference documentation
(``jupyter lab --help-all`` prints them too).

The settings of older releases, ``c.TrackMagics.*`` and ``c.LabtrackExtension.*``, are still
read, with a warning, where ``LabtrackConfig`` does not set the same name.

No domain imports here: the packages that use a setting read it from the object the
kernel or the server built (``current()`` in a kernel), so nothing flows through the
magics' singleton.
"""

from __future__ import annotations

import logging
import threading

from traitlets import Bool, Dict, Float, Int, List, Unicode
from traitlets.config import Configurable

LEGACY_SECTIONS = ("TrackMagics", "LabtrackExtension")

log = logging.getLogger(__name__)


class LabtrackConfig(Configurable):
    """labtrack's settings (kernel and server)."""

    tracking_uri = Unicode(
        None,
        allow_none=True,
        config=True,
        help=(
            "Tracking URI of the runs, for the kernel and the server alike. Unset: "
            "MLFLOW_TRACKING_URI, else labtrack's embedded SQLite store under "
            "LABTRACK_HOME (the same resolution in both, so both see the same runs)."
        ),
    )

    approvals_required = Int(
        0,
        config=True,
        help=(
            "Approvals from distinct named users a model version needs before it may take "
            "a protected alias or stage. This is a floor: a model's own signed policy "
            "(%track policy) may ask for more approvals or protect more names, never less."
        ),
    )

    protected_targets = List(
        Unicode(),
        default_value=[],
        config=True,
        help="Aliases and stages (e.g. champion, Production) that need approvals_required.",
    )

    separate_duties = Bool(
        False,
        config=True,
        help=(
            "The user who registered a model version may not approve it (for every model; "
            "a model's own policy may also ask for it)."
        ),
    )

    rollback_needs_approvals = Bool(
        False,
        config=True,
        help=(
            "A rollback onto a protected alias needs the target version's approvals, as a "
            "promotion does. Off by default so an incident can be undone at once; a rollback "
            "only ever returns an alias to a version a verified labtrack move gave it."
        ),
    )

    signing_key_file = Unicode(
        None,
        allow_none=True,
        config=True,
        help=(
            "A file (owner-only, at least 32 characters) holding the secret that signs "
            "labtrack's approvals, audit entries and policies. Unset: the environment "
            "variable LABTRACK_SIGNING_KEY, else a key generated on first use in "
            "LABTRACK_HOME/signing.key. A team sharing one tracking server gives every "
            "labtrack kernel and server the same secret (docs/teams.md)."
        ),
    )

    anonymous_as_server_user = Bool(
        True,
        config=True,
        help=(
            "Server: Jupyter's token login names each request with a random anonymous id. "
            "True: registry actions of such requests are the server's OS user (the user "
            "its kernels run as; right for a single-user server). False: they are refused "
            "(403) and only a named login (JupyterHub, a configured IdentityProvider) acts."
        ),
    )

    alias_stages = Dict(
        default_value={"champion": "Production"},
        config=True,
        help=(
            "Aliases that should point at a version in a stage: the Models panel and "
            "%track models warn when they disagree (e.g. @champion on an Archived version "
            "while another is in Production) and offer the fix. {} turns the check off."
        ),
    )

    flush_interval = Float(
        1.0,
        config=True,
        help=(
            "Seconds between writes of a tracked cell's buffered metric points to the "
            "backend (one transaction per write)."
        ),
    )

    system_metrics = Bool(
        True,
        config=True,
        help=(
            "Record system metrics on every tracked cell: CPU %, system and process memory, "
            "disk and network traffic, and per visible NVIDIA GPU its utilisation, memory and "
            "power (GPUs need `pip install labtrack[gpu]`). They are MLflow's own system "
            "metrics (system/… keys, shown in MLflow's UI) of the cell's top-level runs. "
            "%%track --no-system-metrics turns them off for one cell."
        ),
    )

    system_metrics_interval = Float(
        5.0,
        config=True,
        help=(
            "Seconds between two samples of the system metrics (at least 0.5); "
            "%%track --system-metrics-interval S sets it for one cell."
        ),
    )

    offline_fallback = Bool(
        True,
        config=True,
        help=(
            "When the tracking server cannot be reached as a tracked cell starts, keep "
            "the run in a local spool and send it when the server answers (False: fail "
            "as MLflow would)."
        ),
    )

    worker_threads = Int(
        4,
        config=True,
        help="Server: threads that run blocking MLflow and database calls off the event loop.",
    )

    request_timeout = Float(
        30.0,
        config=True,
        help=(
            "Server: seconds a route waits for its backend call before answering 504; "
            "when every worker thread is busy, a request waits at most this long for one "
            "and is then answered 503."
        ),
    )

    artifact_timeout = Float(
        20.0,
        config=True,
        help=(
            "Server: seconds an artifact listing or download from a remote artifact store "
            "may take before the route answers 504. Artifact calls run on threads of their "
            "own, so a store that never answers cannot take the other routes' workers."
        ),
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._apply_legacy_sections()

    def _apply_legacy_sections(self) -> None:
        own = self.config.get(type(self).__name__, {})
        for section in LEGACY_SECTIONS:
            if section not in self.config:
                continue
            for name, value in self.config[section].items():
                if name in own or not self.has_trait(name):
                    continue
                log.warning(
                    "c.%s.%s is deprecated: set c.LabtrackConfig.%s instead", section, name, name
                )
                setattr(self, name, value)


_current: LabtrackConfig | None = None
_lock = threading.Lock()


def current() -> LabtrackConfig:
    """The settings of this process: the kernel's once ``%load_ext labtrack`` ran, else
    the defaults (a script that imports labtrack without IPython)."""
    global _current
    with _lock:
        if _current is None:
            _current = LabtrackConfig()
        return _current


def use(config: LabtrackConfig) -> LabtrackConfig:
    """Make ``config`` this process's settings (the kernel extension does, on load)."""
    global _current
    with _lock:
        _current = config
    return config
