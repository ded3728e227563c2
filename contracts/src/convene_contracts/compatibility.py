"""Decides whether a new JSON Schema of an event is compatible with the committed one.

Events live on in Kafka and are replayed, so a change must work both ways: consumers built
against the old schema read new events, and new consumers read old events. Within a version
the only allowed change is a new optional field; anything else needs a new event version.
"""

from typing import Any

Schema = dict[str, Any]


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """Every backward-incompatible difference from `old` to `new`, as readable sentences."""
    return _compare(_resolve(old, old), _resolve(new, new), "$")


def _resolve(node: Any, root: Schema) -> Any:
    """Inlines local `$ref`s so two schemas compare by shape, not by where pydantic put a model."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = root
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _resolve(target, root)
        return {k: _resolve(v, root) for k, v in node.items() if k not in ("$defs", "title", "description")}
    if isinstance(node, list):
        return [_resolve(item, root) for item in node]
    return node


def _signature(node: Any) -> Any:
    """What a value must look like, without the parts that do not constrain data."""
    if not isinstance(node, dict):
        return node
    ignored = {"default", "examples", "title", "description", "properties", "required"}
    return {k: _signature(v) for k, v in sorted(node.items()) if k not in ignored}


def _compare(old: Any, new: Any, path: str) -> list[str]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [] if old == new else [f"{path}: changed from {old!r} to {new!r}"]
    problems: list[str] = []
    old_props: dict[str, Any] = old.get("properties", {})
    new_props: dict[str, Any] = new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name, old_prop in old_props.items():
        where = f"{path}.{name}"
        if name not in new_props:
            problems.append(f"{where}: field removed")
            continue
        if (name in old_required) != (name in new_required):
            was = "required" if name in old_required else "optional"
            problems.append(f"{where}: was {was}, is not any more")
        problems.extend(_compare(old_prop, new_props[name], where))
    for name in sorted(new_required - set(old_props)):
        problems.append(f"{path}.{name}: new required field")
    if _signature(old) != _signature(new):
        problems.append(f"{path}: type changed from {_signature(old)} to {_signature(new)}")
    return problems
