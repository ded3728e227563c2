"""A member's export gathers every service's part into one download (M10), through Kafka only:
membership asks, conference and notifications answer on the exports topic."""

from typing import Any
from uuid import uuid4

import httpx

from tests.e2e.test_erasure import conference_with_free_tickets, pay_offline, person, register, signed_in
from tests.support.services import Stack
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until


async def test_the_export_holds_each_services_part_of_the_person(stack: Stack, smtp_server: SmtpServer) -> None:
    name, email = person()
    async with (
        httpx.AsyncClient(base_url=stack.membership.url) as membership,
        httpx.AsyncClient(base_url=stack.conference.url) as conference,
    ):
        await pay_offline(membership, name, email)
        conference_id, day_pass = await conference_with_free_tickets(conference, capacity=5, ended=False)
        registration = await register(conference, conference_id, day_pass, (name, email))
        me = await signed_in(membership, smtp_server, email)

        asked = await membership.post("/me/exports", headers=me)
        assert asked.status_code == 202, asked.text
        url = asked.json()["url"]
        gathered: dict[str, Any] = {}

        async def ready() -> bool:
            answer = await membership.get(url, headers=me)
            assert answer.status_code in (200, 202), answer.text
            gathered.update(answer.json() if answer.status_code == 200 else {})
            return answer.status_code == 200

        await wait_until(ready, seconds=60)
        assert (await membership.get(url, headers={"Authorization": f"Bearer {uuid4().hex}"})).status_code == 401

    assert gathered["membership"]["member"]["email"] == email
    [place] = gathered["conference"]["attendee_places"]
    assert (place["registration_id"], place["name"], place["email"]) == (registration, name, email)
    assert [r["id"] for r in gathered["conference"]["registrations_paid_for"]] == [registration]
    templates = {e["template"] for e in gathered["notifications"]["emails"]}
    assert {"membership.activated", "conference.registration_confirmed"} <= templates
    assert all(e["recipient"] == email for e in gathered["notifications"]["emails"])
