"""Conference's audit entries (docs/staff.md): a check-in and a comp by a staff member land in the
audit log in their own transaction, with who, what and from where, and go to membership's log
through `conference.audit_recorded`; the check-in names the person; refusals and reads write none."""

from uuid import uuid4

from tests.support.staff import OWNER_ID, OWNER_NAME, bearer, seed_staff

from .conftest import OPERATOR, SESSION_SECRET, Conference, published
from .operator_pages import paid_registration


async def entries(conference: Conference) -> list[dict[str, object]]:
    rows = await conference.pool.fetch("SELECT * FROM audit_log ORDER BY recorded_at")
    return [dict(r) for r in rows]


async def test_a_check_in_is_audited_and_names_the_staff_member(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    before = len(await entries(conference))
    _, code = await paid_registration(conference, conference_id, ticket)
    assert (await conference.client.post("/check-in", json={"ticket_code": code}, headers=OPERATOR)).status_code == 200

    by = await conference.pool.fetchval("SELECT checked_in_by FROM attendees WHERE ticket_code = $1", code)
    assert by == OWNER_NAME
    *_, entry = await entries(conference)
    assert len(await entries(conference)) == before + 1  # the webhook and the hold wrote none
    assert {k: entry[k] for k in ("service", "staff_id", "staff_name", "action", "client")} == {
        "service": "conference",
        "staff_id": OWNER_ID,
        "staff_name": OWNER_NAME,
        "action": "check_in",
        "client": "127.0.0.1",
    }
    assert "Scan a ticket" in str(entry["summary"])
    await published("conference.audit_recorded", entry_id=str(entry["id"]), action="check_in")

    again = await conference.client.post("/check-in", json={"ticket_code": code}, headers=OPERATOR)
    assert again.status_code == 409  # already in: nothing changed, nothing audited
    assert len(await entries(conference)) == before + 1


async def test_a_comp_is_audited_and_a_refused_or_reading_request_writes_none(conference: Conference) -> None:
    reader, credential = uuid4(), uuid4()
    await seed_staff(conference.pool, reader, role="read_only", name="Rita Reader", credentials=(credential,))
    as_reader = bearer(SESSION_SECRET, reader, credential)
    conference_id = await conference.conference()
    comp = {
        "name": "Guest Speaker",
        "email": "guest@example.org",
        "ticket_type_ids": [await conference.ticket_type(conference_id)],
    }
    before = len(await entries(conference))
    refused = await conference.client.post(f"/conferences/{conference_id}/comps", json=comp, headers=as_reader)
    assert refused.status_code == 403
    assert (await conference.client.get(f"/conferences/{conference_id}/report", headers=as_reader)).status_code == 200
    assert len(await entries(conference)) == before

    issued = await conference.client.post(f"/conferences/{conference_id}/comps", json=comp, headers=OPERATOR)
    assert issued.status_code == 201, issued.text
    *_, entry = await entries(conference)
    assert len(await entries(conference)) == before + 1
    assert (entry["action"], entry["staff_id"], entry["target"]) == (
        "issue_comp",
        OWNER_ID,
        f"conference_id={conference_id}",
    )
