"""Page tokens of run searches: labtrack's own keyset token; MLflow's offset token accepted.

A keyset token names where the last page ended: the sort-key values of its last run
(ending with the run id, so the order is total), and the next page is read as "the
runs after those values". No OFFSET: no page re-sorts and skips the runs already sent,
and a run inserted meanwhile never shifts a page boundary, so every run that matches
throughout is returned exactly once. The token also carries the offset the page ended
at, so a reader that can only page by offset (MLflow's client, the fallback path)
continues from the same place, and a fingerprint of the search (experiments, filter,
order), so the keys of one ordering are never applied to another.

MLflow's own tokens (base64 of ``{"offset": N}``) are still accepted: the page after
one is read by offset. Anything else is an :class:`InvalidQuery` (HTTP 400) that says
what is wrong with it; a token is client input.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from dataclasses import dataclass

from .errors import InvalidQuery

PREFIX = "lt1."
# Keys hold at most a few sort values (a param value is ≤ 6000 characters).
MAX_TOKEN_CHARS = 65_536
MAX_OFFSET = 2**31 - 1
MAX_KEYS = 64
_INT64 = 2**63


@dataclass(frozen=True)
class PageToken:
    """Where the next page starts: ``offset`` runs in, or after the run with ``keys``."""

    offset: int
    keys: tuple | None = None  # None: an offset token (MLflow's), read by offset


def search_fingerprint(experiment_ids, filter_string: str, order_by) -> str:
    """Short digest of what decides a search's rows and their order (not the page size
    or the columns shown)."""
    text = json.dumps([sorted(experiment_ids), filter_string.strip(), list(order_by)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_keyset_token(offset: int, keys: list | tuple, fingerprint: str) -> str:
    body = {"o": offset, "k": [_plain(value) for value in keys], "q": fingerprint}
    raw = json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
    return PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def mlflow_offset_token(offset: int) -> str:
    """MLflow's own token for ``offset`` (what its SQL store hands out)."""
    return base64.b64encode(json.dumps({"offset": offset}).encode()).decode()


def decode_page_token(token: str | None, fingerprint: str) -> PageToken | None:
    """The page token a client sent, checked; None for the first page."""
    if not token:
        return None
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        raise InvalidQuery("page_token is malformed: too long")
    if token.startswith(PREFIX):
        return _keyset(token[len(PREFIX) :], fingerprint)
    return PageToken(offset=_mlflow_offset(token))


def _keyset(text: str, fingerprint: str) -> PageToken:
    body = _json_of(text, urlsafe=True)
    if not isinstance(body, dict) or set(body) != {"o", "k", "q"}:
        raise InvalidQuery("page_token is malformed: not a labtrack page token")
    if body["q"] != fingerprint:
        raise InvalidQuery(
            "page_token belongs to another search (its experiments, filter or order "
            "differ); ask for the first page again without it"
        )
    keys = body["k"]
    if not isinstance(keys, list) or not 1 <= len(keys) <= MAX_KEYS:
        raise InvalidQuery("page_token is malformed: bad sort keys")
    for value in keys:
        _check_key(value)
    return PageToken(offset=_valid_offset(body["o"]), keys=tuple(keys))


def _mlflow_offset(token: str) -> int:
    body = _json_of(token, urlsafe=False)
    if not isinstance(body, dict) or "offset" not in body:
        raise InvalidQuery("page_token is malformed: expected an object with an offset")
    return _valid_offset(body["offset"])


def _json_of(text: str, urlsafe: bool):
    try:
        if urlsafe:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        else:
            raw = base64.b64decode(text, validate=True)
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidQuery("page_token is malformed: not base64-encoded JSON") from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _valid_offset(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidQuery(f"page_token is malformed: offset {value!r} is not a whole number")
    if not 0 <= value <= MAX_OFFSET:
        raise InvalidQuery(f"page_token is malformed: offset {value} is out of range")
    return value


def _check_key(value) -> None:
    if value is None or isinstance(value, str):
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidQuery("page_token is malformed: a sort key is not a plain value")
    if isinstance(value, int) and not -_INT64 <= value < _INT64:
        raise InvalidQuery("page_token is malformed: a sort key is out of range")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidQuery("page_token is malformed: a sort key is not finite")


def _plain(value):
    """A sort value as JSON holds it exactly (floats keep every bit through repr)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)
