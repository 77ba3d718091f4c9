"""Every labtrack route refuses anonymous callers (enumerated from the live web app)."""

from __future__ import annotations

import re

import pytest
from tornado.httpclient import HTTPClientError

from labtrack.server.routes import route_table

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _labtrack_routes(web_app):
    found = []
    for rule in web_app.default_router.rules:
        for inner in getattr(rule.target, "rules", []):
            pattern = inner.matcher.regex.pattern
            if "/labtrack/api/" in pattern:
                found.append((pattern, inner.target))
    return found


def _sample_path(pattern: str) -> str:
    # Fill every capture group with a harmless sample value.
    path = re.sub(r"\([^)]*\)", "sample", pattern.rstrip("$"))
    return path.replace("\\", "")


def test_every_declared_route_is_registered(jp_web_app):
    registered = {pattern for pattern, _ in _labtrack_routes(jp_web_app)}
    assert len(registered) == len(route_table()) > 0


async def test_anonymous_callers_are_refused_on_every_route_and_method(
    jp_web_app, http_server_client
):
    routes = _labtrack_routes(jp_web_app)
    assert routes, "no labtrack routes registered"
    checked = 0
    for pattern, handler in routes:
        for method in HTTP_METHODS:
            if getattr(handler, method) is getattr(handler.__mro__[-2], method, None):
                continue  # not implemented by this handler
            body = b"{}" if method in ("post", "put", "patch") else None
            with pytest.raises(HTTPClientError) as refused:
                await http_server_client.fetch(
                    _sample_path(pattern), method=method.upper(), body=body
                )
            assert refused.value.code == 403, (pattern, method)
            checked += 1
    assert checked >= len(routes)


async def test_a_wrong_token_is_refused(jp_base_url, http_server_client):
    with pytest.raises(HTTPClientError) as refused:
        await http_server_client.fetch(
            f"{jp_base_url}labtrack/api/status",
            headers={"Authorization": "token not-the-token"},
        )
    assert refused.value.code == 403
