"""Tracking on when the backend is away: offline runs in a local spool store, the
kernel's automatic retry, the backlog the sidebar shows, and sending spooled runs and
run journals (``labtrack.metrics.journal``) once the server answers again, exactly once.
"""
