"""The AsyncAPI document: the committed file is what the generator writes from the contracts and
the services, it names every topic and event type, and the official AsyncAPI parser accepts it
(and refuses a broken copy, so the check can fail)."""

import importlib.util
import os
import subprocess
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from convene_contracts import ALL_TOPICS, EVENT_TYPES, dead_letter_topic
from convene_contracts.asyncapi import DOCUMENT
from convene_contracts.asyncapi.headers import CONSUMER_DEAD_LETTER, RELAY
from convene_delivery.tracing import TRACE_HEADERS
from tests.support.stack import asyncapi_parser_modules

ROOT = Path(__file__).parents[2]
GENERATOR = ROOT / "tools" / "asyncapi" / "generate.py"
VALIDATOR = ROOT / "tools" / "asyncapi" / "validate.cjs"


@cache
def generator() -> ModuleType:
    """tools/asyncapi/generate.py, imported once (it imports the three services)."""
    spec = importlib.util.spec_from_file_location("asyncapi_generator", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"NODE_PATH": asyncapi_parser_modules()}
    return subprocess.run(["node", VALIDATOR, path], capture_output=True, text=True, timeout=120, env=env, check=False)


def committed() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text())
    return loaded


def test_the_committed_document_is_the_generated_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert generator().main(["--check"]) == 0, capsys.readouterr().err


def test_a_stale_document_is_caught_and_the_message_names_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "asyncapi.yaml"
    stale.write_text(DOCUMENT.read_text().replace("membership.activated", "membership.activated_once", 1))
    assert generator().main(["--check", "--path", str(stale)]) == 1
    assert "run .venv/bin/python tools/asyncapi/generate.py" in capsys.readouterr().err


def test_every_topic_and_event_type_is_described_with_its_key_and_headers() -> None:
    document = committed()
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == {*ALL_TOPICS, *(dead_letter_topic(t) for t in ALL_TOPICS)}
    messages = document["components"]["messages"]
    by_name = {m["name"]: m for m in messages.values() if m["headers"]["$ref"].endswith("/EventHeaders")}
    assert set(by_name) == set(EVENT_TYPES)
    for name, message in by_name.items():
        assert message["bindings"]["kafka"]["key"]["type"] == "string", name
        assert message["examples"][0]["payload"]["event_type"] == name
    schemas = document["components"]["schemas"]
    assert list(schemas["EventHeaders"]["properties"]) == [*RELAY, *TRACE_HEADERS]
    assert schemas["EventHeaders"]["required"] == list(RELAY)  # the trace only when traced
    assert list(schemas["DeadLetterHeaders"]["properties"]) == list(CONSUMER_DEAD_LETTER)
    # Every service both sends and receives something.
    actions = {(op["x-service"], op["action"]) for op in document["operations"].values()}
    for service in ("membership", "conference", "notifications"):
        assert {(service, "send"), (service, "receive")} <= actions


def test_the_official_parser_accepts_the_document() -> None:
    checked = validate(DOCUMENT)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "valid AsyncAPI 3.0.0" in checked.stdout


def test_the_official_parser_refuses_a_broken_copy(tmp_path: Path) -> None:
    document = committed()
    del document["components"]["messages"]["membership_activated"]  # still referenced by its channel
    broken = tmp_path / "asyncapi.yaml"
    broken.write_text(yaml.safe_dump(document, sort_keys=False))
    checked = validate(broken)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "'#/components/messages/membership_activated' does not exist" in checked.stdout
