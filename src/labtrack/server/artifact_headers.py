"""The headers an artifact file is served with: never sniffed, never running script.

Everything is a download except raster images (shown inline) and, when the UI asks for a
preview (``preview=html``), an HTML file: that one is inline for a sandboxed ``<iframe>``,
under a Content-Security-Policy that allows its own inline styles and ``data:`` images and
nothing else — no script, no fetches, no forms, no plugins — and only this server may
frame it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import tornado.web

DOWNLOAD_POLICY = "default-src 'none'; sandbox"
HTML_PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "sandbox; frame-ancestors 'self'"
)
HTML_TYPES = {"text/html", "application/xhtml+xml"}


def artifact_headers(found, preview: str) -> dict[str, str]:
    """``found``: the ``ArtifactFile``; ``preview``: ``""`` or ``"html"``."""
    if preview not in ("", "html"):
        raise tornado.web.HTTPError(400, f"preview must be 'html', got {preview!r}")
    html_preview = preview == "html"
    if html_preview and found.content_type not in HTML_TYPES:
        raise tornado.web.HTTPError(400, "only HTML artifacts are previewed inline")
    inline = found.inline or html_preview
    return {
        "Content-Type": found.content_type,
        "Content-Length": str(found.size),
        "X-Content-Type-Options": "nosniff",
        # Even if a browser rendered it, an artifact may run no script.
        "Content-Security-Policy": HTML_PREVIEW_POLICY if html_preview else DOWNLOAD_POLICY,
        "Content-Disposition": f"{'inline' if inline else 'attachment'}; {_filename(found.name)}",
    }


def _filename(name: str) -> str:
    # The plain filename= is for old clients: anything but a safe character becomes "_".
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", name)
    return f"filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
