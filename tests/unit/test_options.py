"""Given %%track option values, when they are checked, then bad ones fail with one clear line."""

import pytest
from IPython.core.error import UsageError

from labtrack.kernel.options import parse_param_names, parse_tags


def test_tags_are_split_on_the_first_equals_sign():
    assert parse_tags(["team=vision", "query=a=b", "empty="]) == {
        "team": "vision",
        "query": "a=b",
        "empty": "",
    }


@pytest.mark.parametrize("pair", ["novalue", "=value", " =x", "bad key!=1", "k" * 251 + "=v"])
def test_malformed_tags_are_refused(pair):
    with pytest.raises(UsageError, match="--tag"):
        parse_tags([pair])


def test_tag_values_longer_than_mlflow_allows_are_refused():
    with pytest.raises(UsageError, match="longer than 5000"):
        parse_tags(["k=" + "v" * 5001])


def test_param_names_are_deduplicated_in_order():
    assert parse_param_names("lr, epochs,lr") == ["lr", "epochs"]
    assert parse_param_names(None) == []


@pytest.mark.parametrize("spec", ["", "lr,", "1abc", "a-b", "a b"])
def test_param_names_must_be_identifiers(spec):
    with pytest.raises(UsageError, match="--params expects variable names"):
        parse_param_names(spec)
