"""Tracking on when the backend is away: journals of what runs still owe it, offline
runs in a local spool store, and sending both once it answers again."""
