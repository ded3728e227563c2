"""Every contract model against its own JSON Schema, with data Hypothesis makes from that schema:
whatever the schema promises a consumer, the model accepts, and what the model writes it reads back
unchanged. A field whose schema says more (or less) than the model checks fails here."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from convene_contracts import EVENT_TYPES
from convene_contracts.envelope import Event

# Formats the contracts use that the schema strategies do not know by themselves.
FORMATS = {"uuid": st.uuids().map(str)}
# Nested optional payloads (anyOf with null) make the strategies draw and discard a lot; that is
# the schemas' shape, not a fault of the test.
SLOW_SCHEMAS = [HealthCheck.too_slow, HealthCheck.filter_too_much]


@pytest.mark.parametrize("model", list(EVENT_TYPES.values()), ids=list(EVENT_TYPES))
def test_every_event_round_trips_through_its_json_schema(model: type[Event]) -> None:
    schema = model.model_json_schema(mode="validation")

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=SLOW_SCHEMAS)
    @given(from_schema(schema, custom_formats=FORMATS))
    def round_trip(document: dict[str, Any]) -> None:
        event = model.model_validate(document)
        assert model.model_validate_json(event.model_dump_json()) == event
        assert model.model_validate(event.model_dump(mode="json")) == event

    round_trip()
