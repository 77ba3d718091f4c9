"""The newest image per key a tracked cell's runs log (``mlflow.log_image(…, key=…,
step=…)``), for the live plot.

MLflow uploads each stepped image twice (``backend/media.py``): as logged, then a copy
fitting in 256 × 256 px (``…+compressed.webp``). The cell's metric capture tells of every
upload of its runs: a file still on disk (``MlflowClient.log_image``), read then (a few
kilobytes), or the image object MLflow's own thread is saving (``mlflow.log_image`` is
asynchronous by default), kept and encoded only when the live feed takes it. The newest
of each key is kept; the feed takes what changed at most twice a second.
"""

from __future__ import annotations

import os
import threading
import time

from ..backend.media import IMAGES_DIR, parse_stepped_name

MAX_IMAGE_BYTES = 256_000  # a 256 px WebP is far smaller; anything bigger is not shown
MAX_KEYS = 12
MIN_INTERVAL_S = 0.5


class NewestImages:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._newest: dict[str, dict] = {}
        self._changed = False
        self._taken_at = 0.0

    def uploaded(self, run_id: str, name: str, artifact_path: str | None, source) -> None:
        """A capture's upload listener (``source``: a local file, or an image object)."""
        if (artifact_path or "").strip("/") != IMAGES_DIR:
            return
        parsed = parse_stepped_name(name)
        if parsed is None or not parsed.compressed:
            return
        with self._lock:
            current = self._newest.get(parsed.key)
            if current is not None and (current["step"], current["timestamp"]) > (
                parsed.step,
                parsed.timestamp,
            ):
                return
            if current is None and len(self._newest) >= MAX_KEYS:
                return
        if isinstance(source, str | os.PathLike):
            try:
                if os.path.getsize(source) > MAX_IMAGE_BYTES:
                    return
                with open(source, "rb") as image:
                    data = image.read()
            except OSError:
                return
        else:
            data = source  # a PIL image MLflow made for this upload: encoded when taken
        entry = {
            "run": run_id,
            "step": parsed.step,
            "timestamp": parsed.timestamp,
            "mime": "image/webp",
            "data": data,
        }
        with self._lock:
            self._newest[parsed.key] = entry
            self._changed = True

    def take(self, force: bool = False) -> dict[str, dict] | None:
        """Every key's newest image, if any changed since the last take (and the last take
        is at least MIN_INTERVAL_S old, unless ``force``); else None."""
        now = time.monotonic()
        with self._lock:
            if not self._changed or (not force and now - self._taken_at < MIN_INTERVAL_S):
                return None
            self._changed = False
            self._taken_at = now
            newest = dict(self._newest)
        for key, entry in list(newest.items()):
            if not isinstance(entry["data"], bytes):
                encoded = _webp(entry["data"])
                if encoded is None:
                    del newest[key]
                    continue
                entry["data"] = encoded  # encoded once; the dict keeps the bytes
        return newest


def _webp(image) -> bytes | None:
    import io

    try:
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP")
    except Exception:  # not an image PIL can write
        return None
    data = buffer.getvalue()
    return data if len(data) <= MAX_IMAGE_BYTES else None
