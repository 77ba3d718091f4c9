"""The TypeScript types in js/lab/tokens.ts mirror the Python contract field by field."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest

from labtrack.backend.location import BackendKind, LocationSource
from labtrack.server import contract

TOKENS = Path(__file__).resolve().parents[2] / "js" / "lab" / "tokens.ts"

# Python contract class → TypeScript interface; field types that are unions of
# string literals in TypeScript map to the Python enum that lists the values.
PAIRS = [(contract.StatusResponse, "IStatus"), (contract.BackendInfo, "IBackendInfo")]
LITERAL_UNIONS = {"BackendKind": BackendKind, "BackendSource": LocationSource}
SIMPLE = {str: "string", bool: "boolean", int: "number", float: "number"}


def _interface_fields(source: str, name: str) -> dict[str, str]:
    match = re.search(rf"export interface {name} \{{(.*?)\n\}}", source, re.S)
    assert match, f"interface {name} not found in {TOKENS}"
    body = re.sub(r"/\*.*?\*/|//[^\n]*", "", match.group(1), flags=re.S)
    fields = re.findall(r"^\s*(\w+)\??:\s*([^;]+);", body, re.M)
    return {field: " ".join(kind.split()) for field, kind in fields}


def _ts_type(python_type, class_names: dict[type, str]) -> str:
    if python_type in class_names:
        return class_names[python_type]
    args = typing.get_args(python_type)
    if type(None) in args:
        (inner,) = [arg for arg in args if arg is not type(None)]
        return f"{_ts_type(inner, class_names)} | null"
    return SIMPLE[python_type]


@pytest.mark.parametrize(("python_class", "interface"), PAIRS, ids=[p[1] for p in PAIRS])
def test_interface_has_the_same_fields_and_types(python_class, interface):
    source = TOKENS.read_text()
    class_names = {cls: ts for cls, ts in PAIRS}
    hints = typing.get_type_hints(python_class)
    expected = {
        field.name: _ts_type(hints[field.name], class_names)
        for field in dataclasses.fields(python_class)
    }
    actual = _interface_fields(source, interface)
    for literal_union in LITERAL_UNIONS:
        actual = {k: ("string" if v == literal_union else v) for k, v in actual.items()}
    assert actual == expected


@pytest.mark.parametrize(("alias", "enum"), LITERAL_UNIONS.items())
def test_string_unions_list_exactly_the_python_values(alias, enum):
    source = TOKENS.read_text()
    match = re.search(rf"export type {alias} =([^;]+);", source)
    assert match, f"type {alias} not found"
    values = set(re.findall(r"'([^']+)'", match.group(1)))
    assert values == {member.value for member in enum}
