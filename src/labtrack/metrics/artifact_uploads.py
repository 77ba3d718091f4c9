"""Artifact uploads of a tracked cell's runs, routed through the cell's metric capture.

While the backend is away an upload joins the run's journal (its file copied beside it)
instead of failing after MLflow's retries; the capture decides (``upload_or_keep``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable


class ArtifactUploads:
    """Artifact uploads of buffered runs go through their capture while any capture is
    installed. Every MLflow artifact call of a run (``log_artifact``, ``log_text``,
    ``log_dict``, ``log_figure``, ``log_image``, a client's ``log_artifacts``) ends in
    ``TrackingServiceClient.log_artifact``/``log_artifacts``; the artifact repository
    has no per-store instance to hook, so the class is patched, and restored as it was."""

    _saved: dict[str, object] = {}

    @classmethod
    def patch(cls, capture_for: Callable[[str], object]) -> None:
        """``capture_for(run_id)``: the capture buffering that run, or None."""
        from mlflow.tracking._tracking_service.client import TrackingServiceClient

        for name, contents in (("log_artifact", False), ("log_artifacts", True)):
            original = TrackingServiceClient.__dict__[name]
            cls._saved[name] = original
            setattr(TrackingServiceClient, name, _routed_upload(original, contents, capture_for))
        # mlflow.log_image saves its images on MLflow's own thread (synchronous=False by
        # default): such an upload goes on as MLflow does it, and the capture is told.
        original = TrackingServiceClient.__dict__["_log_artifact_async"]
        cls._saved["_log_artifact_async"] = original
        TrackingServiceClient._log_artifact_async = _told_async(original, capture_for)

    @classmethod
    def restore(cls) -> None:
        from mlflow.tracking._tracking_service.client import TrackingServiceClient

        for name, original in cls._saved.items():
            setattr(TrackingServiceClient, name, original)
        cls._saved.clear()


def _routed_upload(original, contents: bool, capture_for):
    @functools.wraps(original)
    def upload(client, run_id, local_path, artifact_path=None):
        capture = capture_for(run_id)
        if capture is None or not capture.handles(run_id):
            return original(client, run_id, local_path, artifact_path)
        capture.upload_or_keep(
            run_id,
            local_path,
            artifact_path,
            contents=contents,
            upload=lambda: original(client, run_id, local_path, artifact_path),
        )
        return None

    return upload


def _told_async(original, capture_for):
    @functools.wraps(original)
    def upload(client, run_id, filename, artifact_path=None, artifact=None):
        result = original(client, run_id, filename, artifact_path, artifact)
        capture = capture_for(run_id)
        if capture is not None and capture.handles(run_id):
            capture.uploaded(run_id, filename, artifact_path, artifact)
        return result

    return upload
