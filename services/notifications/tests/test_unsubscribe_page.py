"""The unsubscribe page (N4) at the HTTP level: the footer's link shows what unsubscribing means
and asks to confirm with a CSRF-protected form; a link that is not ours is refused and changes
nothing; the one-click API that mail clients post to keeps working without a CSRF token."""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import uuid4

import asyncpg
import httpx
import pytest

from convene_web.csrf import CSRF_COOKIE
from notifications.bootstrap import SPEC
from notifications.service_layer.deps import Deps
from tests.support.apps import running_app
from tests.support.smtp import SmtpServer

from .test_sending import settings_for


@dataclass(frozen=True)
class Intake:
    """What these tests need of the running service: its signatures and its database."""

    deps: Deps
    pool: asyncpg.Pool

    def unsubscribe_signature(self, email: str) -> str:
        return self.deps.links.signature(email)


@pytest.fixture
async def service(database: str, smtp_server: SmtpServer) -> AsyncIterator[tuple[httpx.AsyncClient, Intake]]:
    # Cookies over plain http in the test client, as on the local stack.
    async with running_app(SPEC, settings_for(database, smtp_server, cookie_secure=False)) as (client, runtime):
        yield client, Intake(runtime.deps_as(Deps), runtime.pool)


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, f"no CSRF field on {page.url}"
    return found[1]


async def unsubscribed(intake: Intake) -> int:
    found: int = await intake.pool.fetchval("SELECT count(*) FROM unsubscribes")
    return found


async def test_the_page_asks_first_and_the_button_unsubscribes(service: tuple[httpx.AsyncClient, Intake]) -> None:
    client, intake = service
    email = f"Reader-{uuid4().hex[:6]}@Example.org"
    query = urlencode({"email": email.lower(), "sig": intake.unsubscribe_signature(email)})
    page = await client.get(f"/mail/unsubscribe?{query}")
    assert page.status_code == 200
    assert "Stop reminder emails to" in page.text
    assert "Receipts, conference tickets, sign-in links" in page.text
    assert await unsubscribed(intake) == 0  # opening the link (or a mail scanner doing so) changes nothing

    done = await client.post(
        "/mail/unsubscribe",
        data={"csrf_token": csrf_of(page), "email": email.lower(), "sig": intake.unsubscribe_signature(email)},
    )
    assert done.status_code == 303
    assert await unsubscribed(intake) == 1
    after = await client.get(done.headers["location"])
    assert "You are unsubscribed" in after.text
    again = await client.post(
        "/mail/unsubscribe",
        data={"csrf_token": csrf_of(page), "email": email.lower(), "sig": intake.unsubscribe_signature(email)},
    )
    assert again.status_code == 303
    assert await unsubscribed(intake) == 1


async def test_a_link_that_is_not_ours_is_refused_and_changes_nothing(
    service: tuple[httpx.AsyncClient, Intake],
) -> None:
    client, intake = service
    sig = intake.unsubscribe_signature("someone@example.org")
    for query in ({"email": "other@example.org", "sig": sig}, {"email": "someone@example.org"}, {}):
        page = await client.get(f"/mail/unsubscribe?{urlencode(query)}")
        assert page.status_code == 400
        assert "This unsubscribe link does not work" in page.text
    form = await client.get(f"/mail/unsubscribe?{urlencode({'email': 'someone@example.org', 'sig': sig})}")
    forged = await client.post(
        "/mail/unsubscribe", data={"csrf_token": csrf_of(form), "email": "other@example.org", "sig": sig}
    )
    assert forged.status_code == 400
    assert await unsubscribed(intake) == 0


async def test_the_page_form_needs_the_csrf_pair_but_one_click_does_not(
    service: tuple[httpx.AsyncClient, Intake],
) -> None:
    client, intake = service
    email = f"reader-{uuid4().hex[:6]}@example.org"
    signed = {"email": email, "sig": intake.unsubscribe_signature(email)}
    await client.get(f"/mail/unsubscribe?{urlencode(signed)}")
    assert (await client.post("/mail/unsubscribe", data=signed)).status_code == 403
    assert (await client.post("/mail/unsubscribe", data=signed | {"csrf_token": "f" * 64})).status_code == 403
    assert await unsubscribed(intake) == 0

    client.cookies.delete(CSRF_COOKIE)  # a mail client has no cookie and no token: RFC 8058's one click
    one_click = await client.post(
        f"/unsubscribe?{urlencode(signed)}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200
    assert one_click.json()["unsubscribed"] is True
    assert await unsubscribed(intake) == 1
