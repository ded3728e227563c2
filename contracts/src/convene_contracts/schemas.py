"""JSON Schemas of every event, committed under `convene_contracts/schemas/`.

`python -m convene_contracts.schemas` rewrites them from the models, and refuses to overwrite a
schema with a backward-incompatible one: such a change needs a new event version (a new model
with `schema_version=2`, published beside the old one). The contract tests fail when a model
drifts from its committed schema in a breaking way, or compatibly but without a new export.
"""

import json
from pathlib import Path
from typing import Any

from convene_contracts.compatibility import breaking_changes
from convene_contracts.envelope import Event
from convene_contracts.registry import EVENT_TYPES

SCHEMA_DIR = Path(__file__).parent / "schemas"


def schema_file_name(model: type[Event]) -> str:
    fields = model.model_fields
    return f"{fields['event_type'].default}.v{fields['schema_version'].default}.json"


def current_schema(model: type[Event]) -> dict[str, Any]:
    return model.model_json_schema(mode="serialization")


def committed_schemas() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text()) for p in sorted(SCHEMA_DIR.glob("*.json"))}


class BreakingChange(SystemExit):
    """A model changed in a way its committed schema's consumers cannot follow."""


def export(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Writes one schema file per event type; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    planned = {directory / schema_file_name(model): current_schema(model) for model in EVENT_TYPES.values()}
    problems = [
        f"{path.name}: {problem}"
        for path, schema in planned.items()
        if path.exists()
        for problem in breaking_changes(json.loads(path.read_text()), schema)
    ]
    if problems:
        raise BreakingChange("Not exported: breaking changes need a new event version.\n  " + "\n  ".join(problems))
    for path, schema in planned.items():
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    return list(planned)


if __name__ == "__main__":
    for path in export():
        print(path)
