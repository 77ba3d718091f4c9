"""Where the built widget bundle lives inside the package."""

from __future__ import annotations

from pathlib import Path

BUNDLE = Path(__file__).resolve().parent.parent / "static" / "widgets.js"


class BundleMissing(RuntimeError):
    """The package was installed without its front end (run ``npm run build``)."""


def bundle_path() -> Path:
    if not BUNDLE.exists():
        raise BundleMissing(
            f"labtrack's widget bundle {BUNDLE} is missing; rebuild with `npm run build`"
        )
    return BUNDLE
