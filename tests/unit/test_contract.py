"""The TypeScript types in js/lab/tokens.ts mirror the Python contract field by field."""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from pathlib import Path

import pytest

from labtrack.backend.location import BackendKind, LocationSource
from labtrack.server.contract import CONTRACT

TOKENS = Path(__file__).resolve().parents[2] / "js" / "lab" / "tokens.ts"
TS_NAMES = {cls: ts for cls, ts in CONTRACT}
# TypeScript string-literal unions standing for a Python str field, with the enum
# that lists their values.
LITERAL_UNIONS = {"BackendKind": BackendKind, "BackendSource": LocationSource}
SIMPLE = {str: "string", bool: "boolean", int: "number", float: "number"}


def _interface_fields(source: str, name: str) -> dict[str, str]:
    match = re.search(rf"export interface {name} \{{(.*?)\n\}}", source, re.S)
    assert match, f"interface {name} not found in {TOKENS}"
    body = re.sub(r"/\*.*?\*/|//[^\n]*", "", match.group(1), flags=re.S)
    fields = re.findall(r"^\s*(\w+)\??:\s*([^;]+);", body, re.M)
    return {field: " ".join(kind.split()) for field, kind in fields}


def _ts_type(python_type) -> str:
    if python_type in TS_NAMES:
        return TS_NAMES[python_type]
    origin, args = typing.get_origin(python_type), typing.get_args(python_type)
    if origin in (typing.Union, types.UnionType):
        inner = " | ".join(_ts_type(arg) for arg in args if arg is not type(None))
        return f"{inner} | null" if type(None) in args else inner
    if origin is list:
        inner = _ts_type(args[0])
        return f"({inner})[]" if "|" in inner else f"{inner}[]"
    if origin is dict:
        return f"Record<string, {_ts_type(args[1])}>"
    return SIMPLE[python_type]


@pytest.mark.parametrize(("python_class", "interface"), CONTRACT, ids=[c[1] for c in CONTRACT])
def test_interface_has_the_same_fields_and_types(python_class, interface):
    hints = typing.get_type_hints(python_class)
    expected = {f.name: _ts_type(hints[f.name]) for f in dataclasses.fields(python_class)}
    actual = _interface_fields(TOKENS.read_text(), interface)
    actual = {k: "string" if v in LITERAL_UNIONS else v for k, v in actual.items()}
    assert actual == expected


@pytest.mark.parametrize(("alias", "enum"), LITERAL_UNIONS.items())
def test_string_unions_list_exactly_the_python_values(alias, enum):
    match = re.search(rf"export type {alias} =([^;]+);", TOKENS.read_text())
    assert match, f"type {alias} not found"
    assert set(re.findall(r"'([^']+)'", match.group(1))) == {member.value for member in enum}
