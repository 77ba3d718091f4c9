"""Request bodies: strict UTF-8 JSON, bounded in size and depth, checked against a shape.

Every body-taking route reads through here, so a non-UTF-8 body, a body nested a
hundred thousand levels deep or a field of the wrong type is a 400 with the reason,
never a server error.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing

from ..backend.errors import InvalidQuery

MAX_BODY_BYTES = 1 << 20
MAX_DEPTH = 32


def read_json(raw: bytes | None, default: object = None):
    """The body's JSON value (``default`` for an empty body)."""
    if not raw:
        return {} if default is None else default
    if len(raw) > MAX_BODY_BYTES:
        raise InvalidQuery(f"the request body is larger than {MAX_BODY_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidQuery("the request body is not valid UTF-8") from None
    brackets = text.count("[") + text.count("{")
    if brackets > MAX_DEPTH and _nesting(text) > MAX_DEPTH:
        raise InvalidQuery(f"the request body is nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidQuery("the request body is not JSON") from None


def _nesting(text: str) -> int:
    """The deepest bracket nesting outside strings (a cheap scan before parsing)."""
    depth = deepest = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif character in "]}":
            depth -= 1
    return deepest


def parse_body(raw: bytes, shape: type):
    """The request body as ``shape`` (a contract dataclass); wrong JSON or types → 400."""
    data = read_json(raw)
    if not isinstance(data, dict):
        raise InvalidQuery("the request body must be a JSON object")
    hints = typing.get_type_hints(shape)
    fields = {f.name: f for f in dataclasses.fields(shape)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise InvalidQuery(f"unknown field(s): {', '.join(unknown)}")
    for name, field in fields.items():
        required = field.default is dataclasses.MISSING and (
            field.default_factory is dataclasses.MISSING
        )
        if name not in data:
            if required:
                raise InvalidQuery(f"field {name!r} is required")
            continue
        if not _matches(data[name], hints[name]):
            raise InvalidQuery(f"field {name!r} has the wrong type")
    return shape(**data)


def _matches(value, hint) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg) for arg in args)
    if hint is type(None):
        return value is None
    if origin is dict:
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        )
    if origin is list:
        return isinstance(value, list) and all(_matches(item, args[0]) for item in value)
    if hint is bool:
        return isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    return False
