"""A registration's events carry the caller's X-Correlation-ID, so one id follows the flow from
the request to the email (docs/operations.md, "Logs"); an id that is not one is refused."""

import json
from uuid import uuid4

from .conftest import Conference


async def test_a_registration_carries_the_callers_correlation_id_into_its_events(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    flow = str(uuid4())
    email = f"a-{uuid4().hex[:8]}@example.org"
    body = {
        "payer_name": "Pat Payer",
        "payer_email": email,
        "attendees": [{"name": "Pat Payer", "email": email, "ticket_type_ids": [ticket]}],
    }
    held = await conference.client.post(
        f"/conferences/{conference_id}/registrations", json=body, headers={"X-Correlation-ID": flow}
    )
    assert held.status_code == 201, held.text
    assert held.headers["X-Correlation-ID"] == flow
    [row] = await conference.pool.fetch("SELECT body FROM outbox WHERE event_type = 'conference.registration_held'")
    assert json.loads(row["body"])["correlation_id"] == flow


async def test_a_correlation_id_that_is_not_a_uuid_is_refused_naming_the_header(conference: Conference) -> None:
    conference_id = await conference.conference()
    for bad in ("not-a-uuid", "x" * 5000, "5f0c9a1e-8d3b-4c2a-9e7f-1b2c3d4e5f6<"):
        refused = await conference.client.post(
            f"/conferences/{conference_id}/registrations",
            json={"payer_name": "P", "payer_email": "p@example.org", "attendees": []},
            headers={"X-Correlation-ID": bad},
        )
        assert refused.status_code == 400
        assert "X-Correlation-ID" in refused.json()["detail"]
    assert await conference.pool.fetchval("SELECT count(*) FROM registrations") == 0
    made = await conference.client.get("/readyz")  # without the header one is made and echoed
    assert len(made.headers["X-Correlation-ID"]) == 36
