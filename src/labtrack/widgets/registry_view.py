"""``%track models [NAME]``: the model registry under a cell, acting through the kernel.

The view (``registry`` in the widget bundle) shows models, versions with stage, aliases,
tags, source run with its lineage (notebook, git commit, dataset digests), approvals
(N of the required M) and the audit trail. Its promote, rollback and approve
buttons ask for confirmation, then send one message; the kernel acts through
:class:`~labtrack.registry.ModelRegistry` as the notebook user and sends the new state.
"""

from __future__ import annotations

from dataclasses import asdict

import traitlets

from ..backend.errors import TrackingQueryError
from .base import LabtrackWidget
from .static_form import add_static_form
from .static_tables import registry_form

MAX_MODELS = 200
SHOWN_AUDIT = 50


class RegistryWidget(LabtrackWidget):
    _labtrack_view = traitlets.Unicode("registry").tag(sync=True)

    models = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    detail = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)
    audit = traitlets.List().tag(sync=True)
    # The lineage of each version's source run, by run id (``version_lineage.run_lineage``).
    lineage = traitlets.Dict().tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)

    def __init__(self, registry, facade, name: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._registry = registry
        self._facade = facade
        self.on_msg(self._on_message)
        self.refresh(name)

    def refresh(self, name: str | None = None) -> None:
        from ..registry.catalog import list_models, model_detail
        from .version_lineage import versions_lineage

        try:
            page = list_models(self._facade, "", MAX_MODELS, None)
            self.models = [model.name for model in page.models]
            chosen = name or self.selected or (self.models[0] if self.models else "")
            if chosen:
                detail = model_detail(self._facade, chosen, self._registry)
                entries = self._registry.history(chosen)[-SHOWN_AUDIT:]
                self.lineage = versions_lineage(self._facade, detail.versions)
                self.detail = asdict(detail)
                self.audit = [asdict(entry) for entry in reversed(entries)]
            self.selected = chosen
        except TrackingQueryError as error:
            self.error = str(error)

    def act(self, content: dict) -> str:
        """Do one confirmed action; what happened, as one sentence."""
        name, action = str(content.get("name", "")), content.get("action")
        version, alias = content.get("version"), content.get("alias") or None
        reason = str(content.get("reason") or "")
        if action == "select":
            self.error, self.notice = "", ""
            self.refresh(name)
            return ""
        if action == "promote":
            stage = content.get("stage") or None
            done = self._registry.promote(
                name, version, alias, stage, bool(content.get("archive_existing")), reason
            )
            target = " ".join(filter(None, [f"@{alias}" if alias else "", stage or ""]))
            return f"{name} version {done.version} is now {target}"
        if action == "rollback":
            done = self._registry.rollback(name, alias, reason)
            return f"{name} @{alias} rolled back to version {done.version}"
        if action == "approve":
            users = self._registry.approve(name, version, reason)
            return f"{self._registry.user} approved version {version} ({', '.join(users)})"
        raise TrackingQueryError(f"unknown action {action!r}")

    def _on_message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict):
            return
        try:
            notice = self.act(content)
        except TrackingQueryError as error:
            self.notice, self.error = "", str(error)
        else:
            if notice:
                self.notice, self.error = notice, ""
        self.refresh(self.selected or None)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = f"labtrack registry ({len(self.models)} models)"
            add_static_form(
                data,
                lambda: registry_form(
                    self.models, self.selected, self.detail, self.audit, self.error
                ),
            )
        return bundle
