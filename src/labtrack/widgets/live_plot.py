"""The live plot under a tracked cell (or a watched run): the run card's header, a
chart per metric, current and best values, progress. Points arrive through
``LiveChannel`` messages, never through traits, so an update costs the new points
only; traits carry the small things (status, run names, progress)."""

from __future__ import annotations

import sys
import threading
from collections import deque

import traitlets

from ..live.channel import LiveChannel, Message
from .run_card import RunCard
from .static_form import WIDGET_VIEW, card_form, live_plot_form, output_bundle

RECENT_MESSAGES = 64


class LivePlot(RunCard):
    """The card's traits and text form (as ILivePlotTraits extends IRunCardTraits in JS)."""

    _labtrack_view = traitlets.Unicode("live_plot").tag(sync=True)

    # Every run whose points are plotted: run_id → {"name", "status", "parent"}.
    runs = traitlets.Dict().tag(sync=True)
    # Progress, when the number of steps is known (--steps, or a tqdm bar's total).
    steps_total = traitlets.Int(None, allow_none=True).tag(sync=True)
    steps_done = traitlets.Int(None, allow_none=True).tag(sync=True)
    # "step" or "time" (wall clock); the toggle in the widget sets it.
    x_axis = traitlets.Unicode("step").tag(sync=True)
    # Finished child runs (trials of a sweep) as {"runs", "params", "metrics"} columns,
    # drawn as parallel coordinates with the best trial so far; {} without children.
    sweep = traitlets.Dict().tag(sync=True)
    # The newest image of each log_image key: key → {"run", "step", "timestamp", "mime",
    # "data" (bytes: MLflow's ≤ 256 px copy)}.
    images = traitlets.Dict().tag(sync=True)
    # "track": under a tracked cell; "watch": following a run written elsewhere.
    mode = traitlets.Unicode("track").tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.channel = LiveChannel()
        # Held from numbering a message to handing it to the comm, so the poller
        # thread and a resync answered on the main thread never send out of order.
        self._send_lock = threading.Lock()
        self.recent_messages: deque[Message] = deque(maxlen=RECENT_MESSAGES)
        self.updates_sent = 0
        self.bytes_sent = 0
        self.on_msg(self._on_front_end_message)

    def publish_update(self) -> Message | None:
        """Send the points the browser lacks; None when there are none."""
        with self._send_lock:
            message = self.channel.take_update()
            if message is not None:
                self._deliver(message)
            return message

    def publish_reset(self) -> Message:
        """Send the whole reduced history (answer to a resync request)."""
        with self._send_lock:
            message = self.channel.take_reset()
            self._deliver(message)
            return message

    def _deliver(self, message: Message) -> None:
        self.send(message.content, buffers=message.buffers)
        self.recent_messages.append(message)
        self.updates_sent += 1
        self.bytes_sent += message.size

    def _on_front_end_message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "resync":
            self.publish_reset()

    # -- in the notebook ---------------------------------------------------------

    def show(self) -> None:
        """Display the plot, keeping its display id so ``show_final`` replaces it in place."""
        from IPython.display import display

        self._display = display(self, display_id=True)

    def show_final(self) -> None:
        """Replace the displayed plot, in place, by its final output: the static form of
        what it shows now (run card, charts, final values; never a stale RUNNING) and the
        marker with which labtrack's JupyterLab renderer keeps showing the live widget
        while its model exists. The standard widget view is left out (points reach the
        view as messages, not state, so a view rebuilt from saved widget state would be
        empty), except for front ends that show widgets but not labtrack's renderer."""
        handle = getattr(self, "_display", None)
        if handle is None:
            return
        bundle = super()._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        view = data.get(WIDGET_VIEW) if isinstance(data, dict) else None
        try:
            form = live_plot_form(self)
        except Exception as error:  # the final status must replace RUNNING all the same
            print(f"labtrack: warning: no static plot: {error}", file=sys.stderr)
            form = card_form(self)
        handle.update(output_bundle(form, view, with_view=_front_end_keeps_views()), raw=True)


def _front_end_keeps_views() -> bool:
    """VS Code renders widgets but not JupyterLab extensions' renderers (it says it is
    there with ``__vsc_ipynb_file__``): it keeps the standard view."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and "__vsc_ipynb_file__" in shell.user_ns
