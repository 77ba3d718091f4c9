"""Tell the kernels this server starts that its pages can load labtrack's widget bundle.

JupyterLab (and Notebook 7) serve labtrack's lab extension, where the build put a copy of
the widget bundle named by its hash; the widgets' loader imports it from there. A kernel
that knows this sends its widgets without the bundle; one that does not pushes it with its
first widget (see ``labtrack/widgets/base.py``). Kernels inherit the server's environment,
so the hash goes into ``LABTRACK_PAGE_BUNDLE`` — only if a JupyterLab of this server
really has the file in its lab extension paths (an install without the lab extension, or
a JupyterLab told to look elsewhere, has not).
"""

from __future__ import annotations

import logging
import os

from jupyter_core.paths import jupyter_path

from ..widgets.bundle import PAGE_BUNDLE_ENV, BundleMissing, served_bundle_hash


def lab_extension_paths(serverapp) -> list[str]:
    """Where this server's JupyterLab-like apps look for prebuilt lab extensions."""
    paths: list[str] = []
    for apps in serverapp.extension_manager.extension_apps.values():
        for app in apps:
            for name in ("extra_labextensions_path", "labextensions_path"):
                paths.extend(str(path) for path in getattr(app, name, None) or ())
    return paths or jupyter_path("labextensions")


def announce_widget_bundle(serverapp, log: logging.Logger) -> None:
    try:
        digest = served_bundle_hash(lab_extension_paths(serverapp))
    except BundleMissing:
        digest = None
    if digest is None:
        os.environ.pop(PAGE_BUNDLE_ENV, None)
        log.info("labtrack: no lab extension copy of the widget bundle; kernels send it")
        return
    os.environ[PAGE_BUNDLE_ENV] = digest
    log.info("labtrack: pages load the widget bundle %s from the lab extension", digest)
