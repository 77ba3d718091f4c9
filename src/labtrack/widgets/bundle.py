"""The widgets' front end as built into the package, and who can serve it to a page.

Two files, built by ``npm run build`` (``scripts/build-widgets.mjs``):

- ``static/widgets.js``, the bundle (1.3 MB, plotly's basic bundle inside);
- ``static/loader.js``, the few-kB module every widget sends as its ``_esm``: it imports the
  bundle from the lab extension's static files, where the Jupyter server has a copy named
  by the bundle's hash (``labextension/static/widgets.<hash>.js``), else gets it from the
  kernel (see ``base.py``).

``PAGE_BUNDLE_ENV`` is how a kernel learns that its pages can load the bundle themselves:
labtrack's server extension sets it, for the kernels it starts, to the hash of the bundle
its JupyterLab serves.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
BUNDLE = STATIC / "widgets.js"
LOADER = STATIC / "loader.js"
PAGE_BUNDLE_ENV = "LABTRACK_PAGE_BUNDLE"
LAB_EXTENSION = "labtrack"


class BundleMissing(RuntimeError):
    """The package was installed without its front end (run ``npm run build``)."""


def _existing(path: Path) -> Path:
    if not path.exists():
        raise BundleMissing(
            f"labtrack's widget front end {path} is missing; rebuild with `npm run build`"
        )
    return path


def bundle_path() -> Path:
    return _existing(BUNDLE)


@cache
def bundle_bytes() -> bytes:
    return bundle_path().read_bytes()


@cache
def bundle_hash() -> str:
    """First 16 hex digits of the bundle's SHA-256, as the build names the lab copy."""
    return hashlib.sha256(bundle_bytes()).hexdigest()[:16]


@cache
def loader_source() -> str:
    # The header says what this is to whoever reads a saved notebook's widget state, and
    # makes the text multi-line: anywidget takes a one-line ``_esm`` ending in ``x.js`` for
    # a file name.
    header = "// labtrack's widget loader: imports the widget bundle once per page\n"
    return header + _existing(LOADER).read_text(encoding="utf-8")


def hashed_file_name(digest: str) -> str:
    return f"widgets.{digest}.js"


def served_bundle_hash(labextensions_path: Iterable[str | Path]) -> str | None:
    """This package's bundle hash if a JupyterLab looking in ``labextensions_path`` serves
    that very bundle from labtrack's lab extension; None otherwise."""
    digest = bundle_hash()
    for folder in labextensions_path:
        candidate = Path(folder) / LAB_EXTENSION / "static" / hashed_file_name(digest)
        if candidate.is_file():
            return digest
    return None


def page_serves_bundle() -> bool:
    """True when this kernel was started by a Jupyter server whose pages load this very
    bundle from labtrack's lab extension, so no widget needs to carry it."""
    return os.environ.get(PAGE_BUNDLE_ENV) == bundle_hash()
