"""An attendee erases themselves from their own ticket page (M10, issue 15): a confirmation page,
then a CSRF-protected form. Their link erases them only, never the payer or another attendee of
the group; the registration and its payment stay; `conference.attendee_erased` carries their
digest so the other services erase theirs. Another attendee's link is a 404."""

import json
from typing import Any
from uuid import UUID, uuid4

from convene_contracts.privacy import email_digest

from .conftest import Conference, published
from .pages import csrf_of, path_of

PEOPLE = "SELECT name, email, answers FROM attendees WHERE registration_id = $1 ORDER BY id"


async def _group(conference: Conference, ada: str, bob: str, payer: str) -> dict[str, Any]:
    """A paid group of Ada and Bob, each with an answer, paid for by someone who does not attend."""
    questions = [{"key": "diet", "label": "Dietary needs", "type": "text"}]
    conference_id = await conference.conference(questions=questions)
    ticket = await conference.ticket_type(conference_id)
    attendees = [
        {"name": name, "email": email, "ticket_type_ids": [ticket], "answers": {"diet": f"{name} eats no nuts"}}
        for name, email in (("Ada Attendee", ada), ("Bob Attendee", bob))
    ]
    body = {"payer_name": "Pat Payer", "payer_email": payer, "attendees": attendees}
    answer = await conference.client.post(f"/conferences/{conference_id}/registrations", json=body)
    assert answer.status_code == 201, answer.text
    registration_id = str(answer.json()["registration_id"])
    await conference.pay(registration_id, answer.json()["amount_minor"])
    [event] = await published("conference.registration_confirmed", registration_id=registration_id)
    return event.payload


async def _people(conference: Conference, registration_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
    rows = await conference.pool.fetch(PEOPLE, UUID(registration_id))
    return {
        r["email"]: (r["name"], json.loads(r["answers"]) if isinstance(r["answers"], str) else r["answers"])
        for r in rows
    }


async def test_an_attendees_own_link_erases_them_and_not_the_others_or_the_payer(conference: Conference) -> None:
    tag = uuid4().hex[:8]
    ada, bob, payer = f"ada-{tag}@example.org", f"bob-{tag}@example.org", f"pat-{tag}@example.org"
    payload = await _group(conference, ada, bob, payer)
    registration_id = payload["registration_id"]
    links = {a["email"]: path_of(a["ticket_url"]) for a in payload["attendees"]}
    ada_id = next(a["attendee_id"] for a in payload["attendees"] if a["email"] == ada)
    before = await conference.pool.fetchrow(
        "SELECT payer_name, payer_email, amount_minor, status FROM registrations WHERE id = $1", UUID(registration_id)
    )

    ticket = await conference.client.get(links[ada])
    assert ticket.status_code == 200
    erase_path = links[ada].replace(f"/events/tickets/{ada_id}?", f"/events/tickets/{ada_id}/erase?")
    assert f'href="{erase_path}"' in ticket.text.replace("&amp;", "&")
    confirm = await conference.client.get(erase_path)
    assert confirm.status_code == 200
    assert "What is kept" in confirm.text
    token = erase_path.split("token=", 1)[1]
    form = {"csrf_token": csrf_of(confirm), "token": token}
    without_csrf = await conference.client.post(f"/events/tickets/{ada_id}/erase", data={"token": token})
    assert without_csrf.status_code == 403
    assert ada in await _people(conference, registration_id)

    done = await conference.client.post(f"/events/tickets/{ada_id}/erase", data=form)
    assert done.status_code == 303
    assert done.headers["location"] == "/events/tickets/erased"
    assert "Your data is erased" in (await conference.client.get("/events/tickets/erased")).text

    people = await _people(conference, registration_id)
    assert ada not in people
    assert people[bob] == ("Bob Attendee", {"diet": "Bob Attendee eats no nuts"})
    [(erased_address, erased_person)] = [(e, p) for e, p in people.items() if e != bob]
    assert erased_person == ("Erased person", {})
    assert erased_address.endswith("@erased.example")
    after = await conference.pool.fetchrow(
        "SELECT payer_name, payer_email, amount_minor, status FROM registrations WHERE id = $1", UUID(registration_id)
    )
    assert after == before  # the payer, the payment and the booking stay for the books
    [erased] = await published("conference.attendee_erased", email_sha256=email_digest(ada))
    assert ada not in erased.model_dump_json()
    assert await published("conference.attendee_erased", seconds=1, email_sha256=email_digest(payer)) == []
    assert await published("conference.attendee_erased", seconds=1, email_sha256=email_digest(bob)) == []
    # Erased once, the link opens nothing any more; Bob's still opens his ticket.
    assert (await conference.client.get(links[ada])).status_code == 404
    assert (await conference.client.get(erase_path)).status_code == 404
    assert (await conference.client.get(links[bob])).status_code == 200


async def test_another_attendees_or_the_groups_link_erases_nobody(conference: Conference) -> None:
    tag = uuid4().hex[:8]
    ada, bob, payer = f"ada-{tag}@example.org", f"bob-{tag}@example.org", f"pat-{tag}@example.org"
    payload = await _group(conference, ada, bob, payer)
    by_email = {a["email"]: a for a in payload["attendees"]}
    ada_id = by_email[ada]["attendee_id"]
    bob_link = path_of(by_email[bob]["ticket_url"])
    csrf = csrf_of(await conference.client.get(bob_link.replace("?", "/erase?")))
    for token in (bob_link.split("token=", 1)[1], payload["manage_url"].split("token=", 1)[1], "", "0" * 32):
        page = await conference.client.get(f"/events/tickets/{ada_id}/erase", params={"token": token})
        assert page.status_code == 404
        post = await conference.client.post(
            f"/events/tickets/{ada_id}/erase", data={"csrf_token": csrf, "token": token}
        )
        assert post.status_code == 404
    people = await _people(conference, payload["registration_id"])
    assert people[ada] == ("Ada Attendee", {"diet": "Ada Attendee eats no nuts"})
    assert await published("conference.attendee_erased", seconds=1, email_sha256=email_digest(ada)) == []
