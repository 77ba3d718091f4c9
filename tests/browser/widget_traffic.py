"""What a page receives for labtrack's widgets: kernel messages over its websockets, and the
widget bundle over HTTP. Used by the widget bundle tests and benchmarks/widget_transfer.py.

JupyterLab talks to kernels with jupyter_server's v1 websocket protocol: one binary frame
per kernel message (channel, header, parent header, metadata, content, then its buffers),
so a frame's size is the message's size on the wire. A widget's state comes in its
comm_open; a reopened page gets the states of all the kernel's widgets in one message
(ipywidgets' control comm), so a frame may carry several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import Page, Response, WebSocket

MSG_TYPE = re.compile(rb'"msg_type":\s*"(\w+)"')
# Every labtrack widget's state names its class (anywidget's `_anywidget_id`); a comm
# message without it (live points, command answers) carries no state.
LABTRACK_STATE = b'"labtrack.widgets.'
BUNDLE_PATH = "/labtrack/static/widgets."


@dataclass(frozen=True)
class KernelFrame:
    size: int
    msg_type: str
    # States of labtrack widgets in this message: its comm_open, or what a reopened page
    # asked for.
    labtrack_states: int

    @property
    def per_widget(self) -> float:
        """The message's bytes per labtrack widget state it carries."""
        return self.size / self.labtrack_states if self.labtrack_states else 0.0


@dataclass
class WidgetTraffic:
    """Listens on `page` from creation on; `reset()` starts a new count."""

    page: Page
    frames: list[KernelFrame] = field(default_factory=list)
    bundle_responses: list[tuple[str, int]] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("websocket", self._on_websocket)
        self.page.on("response", self._on_response)
        self.page.on("console", lambda message: self.console.append(message.text))

    def reset(self) -> None:
        self.frames.clear()
        self.bundle_responses.clear()
        self.console.clear()

    def _on_websocket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        found = MSG_TYPE.search(data)
        self.frames.append(
            KernelFrame(
                len(data), found.group(1).decode() if found else "", data.count(LABTRACK_STATE)
            )
        )

    def _on_response(self, response: Response) -> None:
        if BUNDLE_PATH in response.url:
            self.bundle_responses.append((response.url, response.status))

    @property
    def received_bytes(self) -> int:
        return sum(frame.size for frame in self.frames)

    def widget_states(self) -> list[KernelFrame]:
        """The frames that carried labtrack widget states, in arrival order."""
        return [frame for frame in self.frames if frame.labtrack_states]

    def states_received(self) -> int:
        return sum(frame.labtrack_states for frame in self.frames)

    def largest_per_widget(self) -> float:
        """The most bytes any message spent on one labtrack widget's state."""
        return max((frame.per_widget for frame in self.frames), default=0.0)

    def anywidget_deprecations(self) -> list[str]:
        """anywidget's console warnings about a widget module (e.g. a named `render` export)."""
        return [t for t in self.console if "anywidget" in t and "deprecat" in t.lower()]
