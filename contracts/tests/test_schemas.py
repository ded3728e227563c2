"""Committed JSON Schemas and the compatibility rule that guards them."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from convene_contracts import EVENT_TYPES
from convene_contracts.compatibility import breaking_changes
from convene_contracts.schemas import BreakingChange, committed_schemas, current_schema, export, schema_file_name

BASE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "event_id": {"type": "string", "format": "uuid"},
        "payload": {"$ref": "#/$defs/Payload"},
    },
    "required": ["event_id", "payload"],
    "$defs": {
        "Payload": {
            "type": "object",
            "properties": {
                "email": {"type": "string"},
                "amount_minor": {"type": "integer"},
                "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
            },
            "required": ["email", "amount_minor"],
        }
    },
}


def changed(edit: Any) -> dict[str, Any]:
    schema = copy.deepcopy(BASE)
    edit(schema)
    return schema


def test_an_identical_schema_is_compatible() -> None:
    assert breaking_changes(BASE, copy.deepcopy(BASE)) == []


def test_a_new_optional_field_is_compatible() -> None:
    new = changed(lambda s: s["$defs"]["Payload"]["properties"].update(venue={"type": "string", "default": ""}))
    assert breaking_changes(BASE, new) == []


def test_new_descriptions_and_examples_are_compatible() -> None:
    new = changed(lambda s: s["$defs"]["Payload"]["properties"]["email"].update(description="x", examples=["a@b.c"]))
    assert breaking_changes(BASE, new) == []


def test_a_removed_field_is_breaking() -> None:
    new = changed(lambda s: s["$defs"]["Payload"]["properties"].pop("note"))
    assert breaking_changes(BASE, new) == ["$.payload.note: field removed"]


def test_a_retyped_field_is_breaking() -> None:
    new = changed(lambda s: s["$defs"]["Payload"]["properties"].update(amount_minor={"type": "string"}))
    [problem] = breaking_changes(BASE, new)
    assert problem.startswith("$.payload.amount_minor: type changed")


def test_a_new_required_field_is_breaking() -> None:
    def add_required(s: dict[str, Any]) -> None:
        s["$defs"]["Payload"]["properties"]["venue"] = {"type": "string"}
        s["$defs"]["Payload"]["required"].append("venue")

    assert breaking_changes(BASE, changed(add_required)) == ["$.payload.venue: new required field"]


def test_a_required_field_made_optional_is_breaking() -> None:
    new = changed(lambda s: s["$defs"]["Payload"]["required"].remove("amount_minor"))
    assert breaking_changes(BASE, new) == ["$.payload.amount_minor: was required, is not any more"]


def test_a_field_made_nullable_is_breaking() -> None:
    nullable = {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    new = changed(lambda s: s["$defs"]["Payload"]["properties"].update(amount_minor=nullable))
    assert len(breaking_changes(BASE, new)) == 1


@pytest.mark.parametrize("model", EVENT_TYPES.values(), ids=list(EVENT_TYPES))
def test_each_event_is_compatible_with_its_committed_schema(model: Any) -> None:
    committed = committed_schemas().get(schema_file_name(model))
    assert committed is not None, f"no committed schema for {model.__name__}: run python -m convene_contracts.schemas"
    assert breaking_changes(committed, current_schema(model)) == []


def test_the_committed_schemas_are_up_to_date(tmp_path: Path) -> None:
    exported = {p.name: json.loads(p.read_text()) for p in export(tmp_path)}
    assert exported == committed_schemas(), "schemas changed compatibly: run python -m convene_contracts.schemas"


def test_no_committed_schema_lost_its_event() -> None:
    known = {schema_file_name(model) for model in EVENT_TYPES.values()}
    assert set(committed_schemas()) <= known


def test_export_refuses_to_overwrite_a_schema_with_a_breaking_change(tmp_path: Path) -> None:
    [first, *_] = export(tmp_path)
    schema = json.loads(first.read_text())
    schema["properties"]["retired_field"] = {"type": "string"}  # as if the model had dropped it
    first.write_text(json.dumps(schema))
    with pytest.raises(BreakingChange, match="retired_field: field removed"):
        export(tmp_path)
    assert "retired_field" in first.read_text(), "the committed schema must be left as it was"
