"""A card under a tracked cell: run name, id, experiment, a status badge, elapsed time."""

from __future__ import annotations

import traitlets

from .base import LabtrackWidget


class RunCard(LabtrackWidget):
    _labtrack_view = traitlets.Unicode("run_card").tag(sync=True)

    run_id = traitlets.Unicode("").tag(sync=True)
    run_name = traitlets.Unicode("").tag(sync=True)
    experiment_name = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("RUNNING").tag(sync=True)
    start_time_ms = traitlets.Int(None, allow_none=True).tag(sync=True)
    end_time_ms = traitlets.Int(None, allow_none=True).tag(sync=True)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            # Where widgets cannot render (terminal, a saved notebook), say something useful.
            data["text/plain"] = f"labtrack run {self.run_name} ({self.run_id}) {self.status}"
        return bundle
