"""Notifications serves Convene's AsyncAPI document as committed, and a page listing every topic
with who sends and reads it and each of its messages."""

import yaml

from convene_contracts import EVENT_TYPES
from convene_contracts.asyncapi import DOCUMENT
from notifications.bootstrap import SPEC
from tests.support.apps import running_app
from tests.support.smtp import SmtpServer

from .test_sending import settings_for


async def test_the_document_and_its_page_are_served(database: str, smtp_server: SmtpServer) -> None:
    async with running_app(SPEC, settings_for(database, smtp_server)) as (client, _):
        served = await client.get("/mail/asyncapi.yaml")
        page = await client.get("/mail/asyncapi")

    assert served.status_code == 200
    assert served.headers["content-type"] == "application/yaml"
    assert served.content == DOCUMENT.read_bytes()
    assert page.status_code == 200
    assert 'href="/mail/asyncapi.yaml"' in page.text
    channels = yaml.safe_load(served.content)["channels"].values()
    for address in (c["address"] for c in channels):
        assert f"<code>{address}</code></h2>" in page.text
    for event_type in EVENT_TYPES:
        assert f"<code>{event_type}</code>" in page.text
    assert "Sent by: membership. Read by: conference, notifications." in page.text  # convene.membership.v1
