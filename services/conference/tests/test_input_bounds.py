"""What the fuzzing run found (tests/fuzz): numbers past their column, NUL characters and years
no conference has used to reach Postgres (a 500) or be stored; now each is a 422 naming the field."""

from typing import Any

import pytest

from .conftest import OPERATOR, Conference


def fields_of(answer: Any) -> set[tuple[str | int, ...]]:
    assert answer.status_code == 422, answer.text
    return {tuple(problem["loc"]) for problem in answer.json()["detail"]}


@pytest.mark.parametrize(
    ("field", "value"),
    [("member_price_minor", 2**63), ("capacity", 2**31), ("name", "Main\x00")],
)
async def test_a_ticket_type_out_of_its_columns_is_refused_naming_the_field(
    conference: Conference, field: str, value: object
) -> None:
    conference_id = await conference.conference()
    body = {"name": "Main", "capacity": 10, "member_price_minor": 100, "non_member_price_minor": 200, field: value}
    answer = await conference.client.post(f"/conferences/{conference_id}/ticket-types", json=body, headers=OPERATOR)
    assert fields_of(answer) == {("body", field)}
    assert await conference.pool.fetchval("SELECT count(*) FROM ticket_types") == 0


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"capacity": 2**31}, ("body", "capacity")),
        ({"starts_on": "0973-01-13"}, ("body", "starts_on")),
        ({"registration_opens_at": 0}, ("body", "registration_opens_at")),
        ({"venue": "Hall\x00"}, ("body", "venue")),
        ({"questions": [{"key": "diet", "label": "Diet\x00", "type": "text"}]}, ("body", "questions", 0, "label")),
    ],
)
async def test_a_conference_out_of_bounds_is_refused_naming_the_field(
    conference: Conference, overrides: dict[str, Any], loc: tuple[str | int, ...]
) -> None:
    body = {
        "name": "CIT 2027",
        "time_zone": "America/Chicago",
        "starts_on": "2027-08-16",
        "ends_on": "2027-08-19",
        "registration_opens_at": "2027-01-01T00:00:00Z",
        "registration_closes_at": "2027-08-01T00:00:00Z",
        "currency": "usd",
    }
    answer = await conference.client.post("/conferences", json=body | overrides, headers=OPERATOR)
    assert loc in fields_of(answer)
    assert await conference.pool.fetchval("SELECT count(*) FROM conferences") == 0


async def test_a_nul_character_in_an_answer_is_refused_naming_the_answer(conference: Conference) -> None:
    conference_id = await conference.conference(questions=[{"key": "diet", "label": "Diet", "type": "text"}])
    ticket_type_id = await conference.ticket_type(conference_id)
    attendee = {"name": "Ada", "email": "ada@example.org", "ticket_type_ids": [ticket_type_id]}
    body = {
        "payer_name": "Ada",
        "payer_email": "ada@example.org",
        "attendees": [attendee | {"answers": {"diet": "x\x00"}}],
    }
    answer = await conference.client.post(f"/conferences/{conference_id}/registrations", json=body)
    # one problem per kind an answer may be (text, yes/no), each naming the answer
    assert {loc[:5] for loc in fields_of(answer)} == {("body", "attendees", 0, "answers", "diet")}
    assert await conference.pool.fetchval("SELECT count(*) FROM registrations") == 0


async def test_undoing_a_check_in_of_a_code_with_a_nul_character_is_refused(conference: Conference) -> None:
    answer = await conference.client.delete("/check-in/abcd%00", headers=OPERATOR)
    assert fields_of(answer) == {("path", "ticket_code")}


@pytest.mark.parametrize("token", ["é" * 32, "\x00"])
async def test_a_link_token_that_is_not_ascii_is_a_404_like_any_wrong_token(conference: Conference, token: str) -> None:
    registration = "8d5a6f0e-8f5c-4c61-9a55-3f0a8b0c2d11"
    assert (await conference.client.get(f"/registrations/{registration}", params={"token": token})).status_code == 404
    cancel = await conference.client.post(f"/registrations/{registration}/cancel", params={"token": token})
    assert cancel.status_code == 404
    certificate = await conference.client.get(f"/certificates/{registration}.pdf", params={"token": token})
    assert certificate.status_code == 404


async def test_the_openapi_document_declares_every_answer(conference: Conference) -> None:
    paths = (await conference.client.get("/openapi.json")).json()["paths"]
    register = paths["/conferences/{conference_id}/registrations"]["post"]["responses"]
    assert {"201", "400", "404", "409", "422", "429", "502", "503"} <= set(register)
    assert {"401", "403"} <= set(paths["/conferences"]["post"]["responses"])
    assert "400" in paths["/stripe/webhook"]["post"]["responses"]
    csv = paths["/conferences/{conference_id}/registrations.csv"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in csv
    refused = paths["/conferences/{conference_id}/registrations.csv"]["get"]["responses"]["404"]["content"]
    assert list(refused) == ["application/json"]  # a CSV route's refusals are JSON
