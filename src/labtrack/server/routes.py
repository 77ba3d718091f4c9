"""Every labtrack route, in one table, under ``{base_url}labtrack/api/``."""

from __future__ import annotations

from .handlers import StatusHandler

API_PREFIX = "labtrack/api"

ROUTES = [
    ("status", StatusHandler),
]


def route_table() -> list[tuple[str, type]]:
    return [(f"/{API_PREFIX}/{path}", handler) for path, handler in ROUTES]
