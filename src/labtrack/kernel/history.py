"""The kernel's input history: every cell executed since the kernel started, in order.

It is what actually produced the kernel's state when the run was made, even when the
notebook on disk is unsaved, was reordered, or cells were run out of order; a tracked
run stores it beside the saved notebook's snapshot.
"""

from __future__ import annotations

# A long session's history is mostly old cells; keep the newest ones whole.
MAX_HISTORY_CHARS = 2_000_000


def input_history(shell) -> str:
    """``# In[N]:`` followed by the cell's source, for every cell this kernel ran so far
    (the running cell last), newest cells kept when the whole would be too long."""
    manager = getattr(shell, "history_manager", None)
    try:
        # Session 0 is this kernel's own session, read from memory with its real counts.
        entries = list(manager.get_range(session=0, start=1, stop=None, raw=True))
    except Exception:  # no history kept (a bare shell): nothing to tell
        entries = []
    blocks = [
        f"# In[{count}]:\n{source.rstrip()}\n"
        for _session, count, source in entries
        if source and source.strip()
    ]
    kept: list[str] = []
    size = 0
    for block in reversed(blocks):
        size += len(block) + 1
        if size > MAX_HISTORY_CHARS:
            kept.append(f"# … {len(blocks) - len(kept)} earlier cell(s) left out\n")
            break
        kept.append(block)
    header = (
        "# The cells this kernel executed since it started, in the order it ran them,\n"
        "# with the execution counts shown on them (labtrack).\n\n"
    )
    return header + "\n".join(reversed(kept))
