"""The member's "Download my data" on their page (M10): it asks every service, waits on a page
that says what is still awaited while conference's and notifications' parts arrive over Kafka,
then offers one JSON file. The parts are published here as those services publish them."""

import json
from uuid import UUID, uuid4

from convene_contracts import EXPORTS
from convene_contracts.envelope import Event
from convene_contracts.exports import ConferenceExportPart, ExportPartPayload, NotificationExportPart
from convene_contracts.privacy import email_digest
from tests.support.kafka import produce
from tests.support.waiting import wait_until

from .conftest import Membership, published
from .test_member_pages import form_token, paid_member


async def answer(part: Event) -> None:
    await produce(EXPORTS, part.model_dump_json().encode(), key=part.aggregate_id().encode())


def part_of(
    kind: type[ConferenceExportPart] | type[NotificationExportPart], request_id: str, data: dict[str, object]
) -> Event:
    service = "conference" if kind is ConferenceExportPart else "notifications"
    payload = ExportPartPayload(request_id=UUID(request_id), service=service, data=data)
    return kind(producer=service, correlation_id=uuid4(), payload=payload)


async def test_download_my_data_waits_for_every_part_then_gives_one_file(membership: Membership) -> None:
    _, email = await paid_member(membership)
    token = await form_token(membership)
    assert 'action="/membership/me/exports"' in (await membership.client.get("/membership/me")).text
    assert (await membership.client.post("/membership/me/exports")).status_code == 403  # no CSRF token

    asked = await membership.client.post("/membership/me/exports", data={"csrf_token": token})
    assert asked.status_code == 303
    page_url = asked.headers["location"]
    request_id = page_url.rsplit("/", 1)[1]
    assert page_url == f"/membership/me/exports/{request_id}"
    [event] = await published("membership.export_requested", request_id=request_id)
    assert event.payload["email_sha256"] == email_digest(email)

    waiting = await membership.client.get(page_url)
    assert waiting.status_code == 200
    assert "Gathering your data" in waiting.text
    assert "conference registrations, emails sent to you" in waiting.text
    assert f'href="{page_url}/download"' not in waiting.text
    early = await membership.client.get(f"{page_url}/download")
    assert (early.status_code, early.headers["location"]) == (303, page_url)

    await answer(part_of(ConferenceExportPart, request_id, {"attendee_places": [{"email": email}]}))

    async def only_emails_awaited() -> bool:
        text = (await membership.client.get(page_url)).text
        return "Still waiting for: emails sent to you." in text

    await wait_until(only_emails_awaited, seconds=30)
    await answer(part_of(NotificationExportPart, request_id, {"emails": [{"recipient": email}]}))

    async def ready() -> bool:
        return "Your data is ready" in (await membership.client.get(page_url)).text

    await wait_until(ready, seconds=30)
    assert f'href="{page_url}/download"' in (await membership.client.get(page_url)).text
    downloaded = await membership.client.get(f"{page_url}/download")
    assert downloaded.status_code == 200
    assert downloaded.headers["content-disposition"] == 'attachment; filename="my-convene-data.json"'
    data = json.loads(downloaded.text)
    assert data["membership"]["member"]["email"] == email
    assert data["conference"] == {"attendee_places": [{"email": email}]}
    assert data["notifications"] == {"emails": [{"recipient": email}]}


async def test_another_members_export_is_not_found_on_the_pages(membership: Membership) -> None:
    await paid_member(membership)
    asked = await membership.client.post("/membership/me/exports", data={"csrf_token": await form_token(membership)})
    page_url = asked.headers["location"]
    assert (await membership.client.get(page_url)).status_code == 200

    await paid_member(membership)  # someone else signs in on the same browser
    assert (await membership.client.get(page_url)).status_code == 404
    assert (await membership.client.get(f"{page_url}/download")).status_code == 404
    assert (await membership.client.get(f"/membership/me/exports/{uuid4()}")).status_code == 404
