"""Page tokens: labtrack's keyset tokens round-trip, MLflow's offset tokens are accepted,
and anything else is refused with the reason (a client sent it)."""

from __future__ import annotations

import base64
import json

import pytest

from labtrack.backend.errors import InvalidQuery
from labtrack.backend.page_tokens import (
    MAX_TOKEN_CHARS,
    PREFIX,
    PageToken,
    decode_page_token,
    encode_keyset_token,
    mlflow_offset_token,
    search_fingerprint,
)

FINGERPRINT = search_fingerprint(("1",), "metrics.loss < 1", ("metrics.loss ASC",))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def keyset(body: dict) -> str:
    raw = json.dumps(body).encode()
    return PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_keyset_token_round_trips_its_offset_and_exact_key_values():
    keys = [0, 0.1 + 0.2, None, "run-é'\"", 1_700_000_000_123, "f" * 32]
    token = encode_keyset_token(2000, keys, FINGERPRINT)
    assert token.startswith(PREFIX)
    assert decode_page_token(token, FINGERPRINT) == PageToken(offset=2000, keys=tuple(keys))


def test_mlflow_offset_tokens_are_accepted_as_offsets():
    assert decode_page_token(mlflow_offset_token(300), FINGERPRINT) == PageToken(offset=300)
    assert decode_page_token(None, FINGERPRINT) is None
    assert decode_page_token("", FINGERPRINT) is None


def test_the_fingerprint_depends_on_experiments_filter_and_order_only():
    same = search_fingerprint(("1",), " metrics.loss < 1 ", ("metrics.loss ASC",))
    assert same == FINGERPRINT
    assert search_fingerprint(("2",), "metrics.loss < 1", ("metrics.loss ASC",)) != FINGERPRINT
    assert search_fingerprint(("1",), "", ("metrics.loss ASC",)) != FINGERPRINT
    assert search_fingerprint(("1",), "metrics.loss < 1", ()) != FINGERPRINT


def test_a_keyset_token_of_another_search_is_refused():
    token = encode_keyset_token(100, [1, "a"], search_fingerprint(("1",), "", ()))
    with pytest.raises(InvalidQuery, match="another search"):
        decode_page_token(token, FINGERPRINT)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (b64('{"offset":1e30}'), "not a whole number"),
        (b64('{"offset":1.5}'), "not a whole number"),
        (b64('{"offset":true}'), "not a whole number"),
        (b64('{"offset":"12"}'), "not a whole number"),
        (b64('{"offset":-1}'), "out of range"),
        (b64('{"offset":99999999999999999999}'), "out of range"),
        (b64("[1]"), "expected an object with an offset"),
        (b64('{"page":1}'), "expected an object with an offset"),
        (b64("null"), "expected an object with an offset"),
        (b64('{"offset":NaN}'), "not base64-encoded JSON"),
        ("!!!not base64!!!", "not base64-encoded JSON"),
        (b64("\x00\x01garbage"), "not base64-encoded JSON"),
        (base64.b64encode(b"\xff\xfe").decode(), "not base64-encoded JSON"),
        ("A" * (MAX_TOKEN_CHARS + 1), "too long"),
        (PREFIX + "!!!", "not base64-encoded JSON"),
        (keyset({"o": 1, "k": [1]}), "not a labtrack page token"),
        (keyset({"o": 1, "k": [], "q": FINGERPRINT}), "bad sort keys"),
        (keyset({"o": 1, "k": "abc", "q": FINGERPRINT}), "bad sort keys"),
        (keyset({"o": 1, "k": [[1]], "q": FINGERPRINT}), "not a plain value"),
        (keyset({"o": 1, "k": [{"a": 1}], "q": FINGERPRINT}), "not a plain value"),
        (keyset({"o": 1, "k": [True], "q": FINGERPRINT}), "not a plain value"),
        (keyset({"o": 1, "k": [2**70], "q": FINGERPRINT}), "out of range"),
        (keyset({"o": 1e30, "k": [1], "q": FINGERPRINT}), "not a whole number"),
        (keyset({"o": -5, "k": [1], "q": FINGERPRINT}), "out of range"),
    ],
)
def test_hostile_tokens_are_invalid_queries_saying_why(token, reason):
    with pytest.raises(InvalidQuery, match=reason):
        decode_page_token(token, FINGERPRINT)
