"""``%track challenge``: champion and challenger side by side under the cell.

The view (``challenge`` in the widget bundle) shows the metrics table with the winner of
each, the gate's verdict with MLflow's numbers, residual (regressors) or ROC and PR
(classifiers) plots of both versions, and on how many rows each was the better one. When
the gate passed and the champion was named by its alias, a Promote button (confirmed
first) asks the kernel to move the alias, citing the evaluation run in the audit entry.
Saved notebooks keep a script-free HTML summary of the result.
"""

from __future__ import annotations

import html

import traitlets

from ..backend.errors import TrackingQueryError
from .base import LabtrackWidget


class ChallengeWidget(LabtrackWidget):
    _labtrack_view = traitlets.Unicode("challenge").tag(sync=True)

    # ``ChallengeResult.to_json()``: versions, metrics rows, thresholds, failures, view data.
    result = traitlets.Dict().tag(sync=True)
    # Whether Promote is offered: the gate passed and the champion was an alias.
    promotable = traitlets.Bool(False).tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)

    def __init__(self, registry, result, **kwargs) -> None:
        super().__init__(**kwargs)
        self._registry = registry
        self._result = result
        self.result = result.to_json()
        self.promotable = bool(result.passed and result.champion_alias)
        self.on_msg(self._on_message)

    def promote(self) -> str:
        """Move the champion's alias to the challenger (the registry checks everything)."""
        from ..registry.challenge import promote_challenger

        version = promote_challenger(self._registry, self._result)
        self.promotable = False
        return (
            f"{version.name} version {version.version} is now @{self._result.champion_alias} "
            f"(evaluation run {self._result.run_id} cited in the audit trail)"
        )

    def _on_message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("action") != "promote":
            return
        try:
            self.notice, self.error = self.promote(), ""
        except TrackingQueryError as error:
            self.notice, self.error = "", str(error)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = summary_line(self.result)
            data["text/html"] = summary_html(self.result)
        return bundle


def verdict(result: dict) -> str:
    outcome = "passed" if result.get("passed") else "failed"
    return (
        f"{result.get('model')} v{result.get('challenger_version')} {outcome} its challenge "
        f"of v{result.get('champion_version')} ({', '.join(result.get('thresholds', []))})"
    )


def summary_line(result: dict) -> str:
    return f"labtrack challenge: {verdict(result)}; evaluation run {result.get('run_id')}"


def summary_html(result: dict) -> str:
    """A script-free table of the result, every value escaped."""
    cells = []
    for row in result.get("metrics", []):
        values = [row["name"], _number(row["champion"]), _number(row["challenger"])]
        values.append(row.get("winner") or "")
        cells.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in values) + "</tr>")
    failures = "".join(f"<li>{html.escape(f)}</li>" for f in result.get("failures", []))
    head = (
        f"<th>metric</th><th>champion v{html.escape(str(result.get('champion_version')))}</th>"
        f"<th>challenger v{html.escape(str(result.get('challenger_version')))}</th><th>better</th>"
    )
    return (
        f"<div><p><strong>{html.escape(verdict(result))}</strong></p>"
        f"{f'<ul>{failures}</ul>' if failures else ''}"
        f"<table><tr>{head}</tr>{''.join(cells)}</table>"
        f"<p>evaluation run {html.escape(str(result.get('run_id')))}</p></div>"
    )


def _number(value) -> str:
    return "—" if value is None else f"{value:.6g}"
