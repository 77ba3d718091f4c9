"""What the comparison widget adds for grouped curves, values at a step and images (the
traits ``js/widgets/compare-curves.ts`` and ``compare-media.ts`` read and set), mixed into
``CompareWidget``.

- Curves: how they are drawn (group by a param or tag, band, smoothing, x axis, log y) is
  the view's choice, kept here so the kernel knows what was shown; grouping draws means of
  up to ``MAX_GROUP_RUNS`` runs' curves, so more curves are read then.
- ``at_step``: each metric's value at the logged step nearest it, per run
  (``facade.values_at_step``), for the params table.
- Images: one ``log_image`` key across the first ``MAX_MEDIA_RUNS`` runs at a chosen
  step, each run's image at the nearest logged step, MLflow's ≤ 256 px copy sent as bytes
  (a widget must work where no JupyterLab server route is, so the kernel reads them).
"""

from __future__ import annotations

import traitlets

MAX_GROUP_RUNS = 200
MAX_MEDIA_RUNS = 20
MAX_IMAGE_BYTES = 512_000
LOGGED_IMAGES_TAG = "mlflow.loggedImages"


class CompareExtras(traitlets.HasTraits):
    tag_keys = traitlets.List(traitlets.Unicode()).tag(sync=True)
    tag_categories = traitlets.List().tag(sync=True)
    tag_codes = traitlets.Bytes(b"").tag(sync=True)
    # Per curve run: seconds since its first point, float32 (curve_runs[i]["t0"]: its ms).
    curve_times = traitlets.Bytes(b"").tag(sync=True)
    curve_group_by = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    curve_band = traitlets.Unicode("minmax").tag(sync=True)
    curve_smoothing = traitlets.Float(0.0).tag(sync=True)
    curve_x_axis = traitlets.Unicode("step").tag(sync=True)
    curve_log_y = traitlets.Bool(False).tag(sync=True)
    at_step = traitlets.Int(None, allow_none=True).tag(sync=True)
    # {"step", "metrics": [{"key", "values"}], "steps": [{"key", "values"}]} or {}.
    at_step_values = traitlets.Dict().tag(sync=True)
    media_keys = traitlets.List(traitlets.Unicode()).tag(sync=True)
    media_key = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    media_steps = traitlets.List(traitlets.Int()).tag(sync=True)
    media_step = traitlets.Int(None, allow_none=True).tag(sync=True)
    # One per run shown: {"run_id", "step", "timestamp", "mime", "data"} (step None: no image).
    media_cells = traitlets.List().tag(sync=True)

    def curve_run_limit(self, default: int) -> int:
        return MAX_GROUP_RUNS if self.curve_group_by else default

    @traitlets.observe("at_step")
    def _read_at_step(self, _change) -> None:
        if self.at_step is None:
            self.at_step_values = {}
            return
        from dataclasses import asdict

        answer = self._facade.values_at_step(self.run_ids, self.at_step, [])
        self.at_step_values = asdict(answer)

    # -- images ----------------------------------------------------------------------

    def load_media(self) -> None:
        """Index the images of the first runs that logged any (MLflow tags them)."""
        from ..backend.queries import RunQuery

        shown = self.run_ids[:MAX_MEDIA_RUNS]
        rows = self._facade.runs_by_id(
            shown, RunQuery(experiment_ids=(), tags=(LOGGED_IMAGES_TAG,))
        )
        with_images = {row.run_id for row in rows if row.tags.get(LOGGED_IMAGES_TAG)}
        self._media_index = {
            run_id: self._facade.media_index(run_id) for run_id in shown if run_id in with_images
        }
        keys = sorted(
            {
                k.key
                for index in self._media_index.values()
                for k in index.keys
                if k.kind == "stepped"
            }
        )
        with self.hold_trait_notifications():
            self.media_keys = keys
            self.media_key = keys[0] if keys else None

    @traitlets.observe("media_key")
    def _media_steps(self, _change) -> None:
        steps = sorted(
            {
                step
                for index in getattr(self, "_media_index", {}).values()
                for k in index.keys
                if k.kind == "stepped" and k.key == self.media_key
                for step in k.steps
            }
        )
        self.media_steps = steps
        if steps and self.media_step in steps:
            self._media_cells(None)
        else:
            self.media_step = steps[-1] if steps else None

    @traitlets.observe("media_step")
    def _media_cells(self, _change) -> None:
        key, step = self.media_key, self.media_step
        cells = []
        for run_id in self.run_ids[:MAX_MEDIA_RUNS]:
            cell = {"run_id": run_id, "step": None, "timestamp": None, "mime": "", "data": b""}
            index = getattr(self, "_media_index", {}).get(run_id)
            has = index is not None and any(
                k.key == key and k.kind == "stepped" for k in index.keys
            )
            if has and step is not None:
                page = self._facade.media_page(run_id, "stepped", key, 0, 1, step)
                if page.items:
                    item = page.items[0]
                    data = self._image_bytes(run_id, item.thumbnail_path or item.path)
                    mime = "image/webp" if (item.thumbnail_path or "").endswith(".webp") else ""
                    cell.update(step=item.step, timestamp=item.timestamp, data=data or b"")
                    cell["mime"] = mime or _mime_of(item.path)
            cells.append(cell)
        self.media_cells = cells

    def _image_bytes(self, run_id: str, path: str) -> bytes | None:
        found = self._facade.artifact_file(run_id, path)  # safe path, regular file only
        try:
            if not found.inline or found.size > MAX_IMAGE_BYTES:
                return None
            return found.read(MAX_IMAGE_BYTES + 1)
        finally:
            found.cleanup()


def _mime_of(path: str) -> str:
    import mimetypes

    return mimetypes.guess_type(path)[0] or "image/png"
