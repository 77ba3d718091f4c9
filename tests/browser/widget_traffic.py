"""What a page receives for labtrack's widgets: kernel messages over its websockets, and the
widget bundle over HTTP. Used by the widget bundle tests and benchmarks/widget_transfer.py.
Also the widget state updates a page sends its kernels, for tests that wait until a view
has told the kernel what it drew.

JupyterLab talks to kernels with jupyter_server's v1 websocket protocol: one binary frame
per kernel message (channel, header, parent header, metadata, content, then its buffers),
so a frame's size is the message's size on the wire. A widget's state comes in its
comm_open; a reopened page gets the states of all the kernel's widgets in one message
(ipywidgets' control comm), so a frame may carry several.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from playwright.sync_api import Page, Response, WebSocket
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

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


def kernel_message(payload: str | bytes) -> tuple[dict, dict]:
    """The header and content of a kernel message as a websocket frame carries it: v1's
    binary frame (the number of offsets, the offsets, then channel, header, parent header,
    metadata, content and buffers), or the older protocol's JSON text."""
    if isinstance(payload, str):
        message = json.loads(payload)
        return message.get("header", {}), message.get("content", {})
    count = int.from_bytes(payload[:8], "little")
    offsets = [int.from_bytes(payload[8 * i : 8 * i + 8], "little") for i in range(1, count + 1)]
    parts = [payload[start:end] for start, end in pairwise(offsets)]
    return json.loads(parts[1]), json.loads(parts[4])


def sent_state(payload: str | bytes) -> dict | None:
    """The state a widget view sent its kernel model (a comm `update`), else None."""
    if (b"comm_msg" if isinstance(payload, bytes) else "comm_msg") not in payload:
        return None
    header, content = kernel_message(payload)
    data = content.get("data", {})
    if header.get("msg_type") != "comm_msg" or data.get("method") != "update":
        return None
    return data.get("state", {})


@dataclass
class SentStates:
    """The widget states a page sends its kernels (a view's `model.save_changes()`), in the
    order sent. Listens on `page` from creation on.

    The kernel handles a comm message before any execute request sent after it on the same
    websocket, so a cell run once a state was sent sees it in the kernel's widget."""

    page: Page
    states: list[dict] = field(default_factory=list)
    sockets: list[WebSocket] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("websocket", self._on_websocket)

    def _on_websocket(self, socket: WebSocket) -> None:
        if "/api/kernels/" in socket.url:
            self.sockets.append(socket)
            socket.on("framesent", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        if (state := sent_state(payload)) is not None:
            self.states.append(state)

    def wait_for(
        self, condition: Callable[[dict], bool], what: str, timeout_ms: float = 30_000
    ) -> dict:
        """The first state sent for which `condition` holds; waits for it if none was yet.
        `what` says in the failure what was waited for."""
        for state in self.states:
            if condition(state):
                return state
        open_sockets = [socket for socket in self.sockets if not socket.is_closed()]
        assert open_sockets, "the page has no open kernel websocket to send a widget state on"

        def matches(payload: str | bytes) -> bool:
            state = sent_state(payload)
            return state is not None and condition(state)

        try:
            payload = open_sockets[-1].wait_for_event(
                "framesent", predicate=matches, timeout=timeout_ms
            )
        except PlaywrightTimeoutError:
            sent = [sorted(state) for state in self.states]
            raise AssertionError(
                f"no widget state {what} was sent within {timeout_ms:.0f} ms; "
                f"the traits of those sent: {sent}"
            ) from None
        return sent_state(payload)
