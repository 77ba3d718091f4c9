"""The REST contract's JSON Schema is emitted from the Python dataclasses and committed.

js/lab/generated/contract.schema.json is what ``python -m labtrack.server.contract_schema``
writes; the TypeScript types are generated from it (js/lab/generated/contract.spec.ts checks
that file in ``npm test``), and tests/server/test_api_routes.py validates real answers
against it.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from labtrack.backend.location import BackendKind, LocationSource
from labtrack.backend.shapes import ModelVersionView
from labtrack.server import contract_schema
from labtrack.server.contract import (
    CONTRACT,
    REQUESTS,
    BackendInfo,
    RegisterRequest,
    StatusResponse,
)

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "js" / "lab" / "generated" / "contract.schema.json"
DATACLASSES = [(shape, name) for shape, name in CONTRACT if dataclasses.is_dataclass(shape)]


@pytest.fixture(scope="module")
def schema() -> dict:
    return contract_schema.contract_schema()


def validator(schema: dict, name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]})


def test_the_committed_schema_is_what_the_contract_emits(tmp_path):
    # Given the schema written afresh by the command the build documents
    fresh = tmp_path / "contract.schema.json"
    assert contract_schema.main([str(fresh)]) == 0
    # Then the committed file is the same, byte for byte
    assert COMMITTED.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        "js/lab/generated/contract.schema.json is stale: run `npm run generate:contract` "
        "and commit both generated files"
    )


def test_the_schema_is_valid_json_schema(schema):
    Draft202012Validator.check_schema(schema)


def test_every_shape_is_defined_under_its_typescript_name(schema):
    assert list(schema["$defs"]) == [name for _, name in CONTRACT]
    assert all(schema["$defs"][name]["title"] == name for _, name in CONTRACT)


@pytest.mark.parametrize(("shape", "name"), DATACLASSES, ids=[n for _, n in DATACLASSES])
def test_response_fields_are_all_required_request_defaults_optional(schema, shape, name):
    definition = schema["$defs"][name]
    fields = dataclasses.fields(shape)
    assert list(definition["properties"]) == [f.name for f in fields]
    if shape in REQUESTS:
        expected = [
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ]
    else:
        expected = [f.name for f in fields]
    assert definition.get("required", []) == expected
    assert definition["additionalProperties"] is False


def test_string_unions_list_exactly_the_python_values(schema):
    assert schema["$defs"]["BackendKind"]["enum"] == [kind.value for kind in BackendKind]
    assert schema["$defs"]["BackendSource"]["enum"] == [source.value for source in LocationSource]


def test_a_response_as_the_server_sends_it_validates(schema):
    # Given a status as the handler serialises it
    status = StatusResponse(
        labtrack_version="1",
        mlflow_version="3",
        backend=BackendInfo(BackendKind.REST, "http://x", None, LocationSource.ENV),
        reachable=False,
        error="refused",
    )
    payload = json.loads(json.dumps(status.to_json()))
    # Then it validates, and a missing or extra field or a wrong type does not
    check = validator(schema, "IStatus")
    check.validate(payload)
    assert not check.is_valid({k: v for k, v in payload.items() if k != "unauthorized"})
    assert not check.is_valid({**payload, "extra": 1})
    assert not check.is_valid({**payload, "backend": {**payload["backend"], "kind": "nosql"}})


def test_a_request_may_leave_out_what_has_a_default(schema):
    check = validator(schema, "IRegisterRequest")
    check.validate({"run_id": "abc"})
    check.validate(asdict(RegisterRequest(run_id="abc", alias="champion", tags={"a": "b"})))
    assert not check.is_valid({"path": "model"})
    assert not check.is_valid({"run_id": "abc", "tags": {"a": 1}})


def test_docstrings_become_descriptions_in_markdown(schema):
    description = schema["$defs"]["IModelVersionView"]["description"]
    assert description == inspect.cleandoc(ModelVersionView.__doc__).replace("``", "`")
    assert "``" not in json.dumps(schema)


@dataclass
class Hidden:
    value: int


@dataclass
class Holder:
    hidden: Hidden


def test_a_shape_holding_an_unlisted_dataclass_is_refused(monkeypatch):
    monkeypatch.setattr(contract_schema, "CONTRACT", [(Holder, "IHolder")])
    with pytest.raises(contract_schema.ContractError, match="Hidden"):
        contract_schema.contract_schema()


def test_two_shapes_of_one_class_name_are_refused(monkeypatch):
    first = dataclass(type("Twin", (), {"__annotations__": {"a": int}}))
    second = dataclass(type("Twin", (), {"__annotations__": {"b": int}}))
    monkeypatch.setattr(contract_schema, "CONTRACT", [(first, "ITwin"), (second, "ITwin2")])
    with pytest.raises(contract_schema.ContractError, match="Twin"):
        contract_schema.contract_schema()


def test_the_command_refuses_options(capsys):
    assert contract_schema.main(["--check"]) == 2
    assert "usage" in capsys.readouterr().err


def test_every_request_is_listed_in_the_contract():
    assert {shape for shape, _ in CONTRACT} >= REQUESTS
