"""The base of every labtrack widget: its ``_esm`` is the small loader, not the bundle.

A widget's comm message used to carry the whole 5 MB bundle, on every display and again
for every widget when a page was reopened. Now the loader (``static/loader.js``) loads the
bundle once per page from the lab extension's static files (cached by the browser). Where
no server page has them (VS Code, nbclient, a Jupyter server without labtrack, another
labtrack version), the kernel supplies it:

- pushed with the state of the first widget this kernel creates, when the kernel was not
  started by a server whose pages serve this bundle (``bundle.page_serves_bundle``): the
  widget under a tracked cell appears while the cell runs, when the kernel cannot answer
  requests. The push is cleared when the cell ends, so a saved notebook's widget state
  (nbclient, "save widget state") holds the loader only;
- otherwise on request, over the widget's comm (anywidget's command ``invoke``): a page
  reloaded in VS Code, a second page. The kernel answers once it is idle.
"""

from __future__ import annotations

import threading

import anywidget
import traitlets
from anywidget.experimental import command

from .bundle import bundle_bytes, bundle_hash, loader_source, page_serves_bundle


class _PushOnce:
    """The kernel pushes the bundle with one widget only: the pages open then keep it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pushed = False

    def take(self) -> bool:
        with self._lock:
            if self._pushed or page_serves_bundle():
                return False
            self._pushed = True
            return True


PUSH = _PushOnce()


class LabtrackWidget(anywidget.AnyWidget):
    _esm = loader_source()
    # The bundle this kernel's widgets need, by hash (the loader finds the same file).
    _labtrack_bundle = traitlets.Unicode(bundle_hash()).tag(sync=True)
    # The bundle itself, pushed with one widget's state when no page can load it; b"" else.
    _labtrack_bundle_inline = traitlets.Bytes(b"").tag(sync=True)

    def __init__(self, **kwargs) -> None:
        pushed = PUSH.take()
        if pushed:
            kwargs["_labtrack_bundle_inline"] = bundle_bytes()
        super().__init__(**kwargs)
        if pushed:
            self._forget_push_after_cell()

    @command
    def _labtrack_bundle_request(self, _msg, _buffers):
        """The loader's request: the bundle's bytes, for a page without them."""
        return {"hash": bundle_hash()}, [bundle_bytes()]

    def _forget_push_after_cell(self) -> None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return

        def forget(_result=None) -> None:
            shell.events.unregister("post_run_cell", forget)
            self._labtrack_bundle_inline = b""

        shell.events.register("post_run_cell", forget)
