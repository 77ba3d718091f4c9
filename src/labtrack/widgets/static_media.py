"""The live plot's newest image per ``log_image`` key in its static form: each as an
``<img src="data:…">`` (JupyterLab's sanitizer keeps those), with its key and step.
Bounded: MLflow's ≤ 256 px copies, at most ``MAX_IMAGES`` of them and ``MAX_BYTES`` in all."""

from __future__ import annotations

import base64

from .static_html import esc, heading, muted

MAX_IMAGES = 8
MAX_BYTES = 120_000
SAFE_TYPES = ("image/webp", "image/png", "image/jpeg", "image/gif")


def newest_images_html(images: dict) -> str:
    tiles, spent = [], 0
    for key in sorted(images)[:MAX_IMAGES]:
        image = images[key] or {}
        data = bytes(image.get("data") or b"")
        mime = image.get("mime") if image.get("mime") in SAFE_TYPES else "image/webp"
        if not data or spent + len(data) > MAX_BYTES:
            continue
        spent += len(data)
        uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        step = muted(esc(f"step {image.get('step')}"))
        tiles.append(
            "<figure style='display: inline-block; margin: 4px 10px 6px 0; vertical-align: top'>"
            f"<img alt='{esc(key)}' width='128' height='128' style='object-fit: contain; "
            f'image-rendering: pixelated\' src="{uri}">'
            f"<figcaption style='font-size: 12px'><b>{esc(key)}</b> "
            f"{step}</figcaption></figure>"
        )
    if not tiles:
        return ""
    return heading("Newest images") + "<div class='lt-static-images'>" + "".join(tiles) + "</div>"
