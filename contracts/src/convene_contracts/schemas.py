"""JSON Schemas of every event, committed under `convene_contracts/schemas/`.

`python -m convene_contracts.schemas` rewrites them from the models; the contract tests fail
when a model drifts from its committed schema in a backward-incompatible way.
"""

import json
from pathlib import Path
from typing import Any

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


def export(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Writes one schema file per event type; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for model in EVENT_TYPES.values():
        path = directory / schema_file_name(model)
        path.write_text(json.dumps(current_schema(model), indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in export():
        print(path)
