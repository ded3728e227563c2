"""What the fuzzing run found (tests/fuzz): values that used to reach Postgres and come back as a
500 are refused with 422 naming the field, nothing is written, and every answer is declared."""

import httpx
import pytest

from .conftest import OPERATOR, Membership


def fields_of(answer: httpx.Response) -> set[tuple[str | int, ...]]:
    assert answer.status_code == 422, answer.text
    return {tuple(problem["loc"]) for problem in answer.json()["detail"]}


async def test_a_nul_character_in_a_levels_name_is_refused_naming_the_field(membership: Membership) -> None:
    body = {"name": "Gold\x00", "price_minor": 100, "currency": "usd", "term": "annual", "description": "a\x00"}
    answer = await membership.client.post("/levels", json=body, headers=OPERATOR)
    assert fields_of(answer) == {("body", "name"), ("body", "description")}
    assert "NUL" in answer.json()["detail"][0]["msg"]
    assert await membership.pool.fetchval("SELECT count(*) FROM levels") == 0


@pytest.mark.parametrize("field", ["name", "price_minor", "description"])
async def test_an_explicit_null_in_a_level_edit_is_refused_naming_the_field(membership: Membership, field: str) -> None:
    level = await membership.level(description="Voting rights")
    answer = await membership.client.patch(f"/levels/{level['id']}", json={field: None}, headers=OPERATOR)
    assert fields_of(answer) == {("body", field)}
    kept = await membership.pool.fetchrow("SELECT name, price_minor, description FROM levels")
    assert kept is not None
    assert dict(kept) == {k: level[k] for k in ("name", "price_minor", "description")}


async def test_leaving_a_field_out_of_a_level_edit_keeps_it(membership: Membership) -> None:
    level = await membership.level()
    answer = await membership.client.patch(f"/levels/{level['id']}", json={"price_minor": 9000}, headers=OPERATOR)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["name"], answer.json()["price_minor"]) == (level["name"], 9000)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"offset": 2**63}, "offset"),
        ({"q": "ada\x00"}, "q"),
        ({"expires_before": "0001-01-01T00:00:00Z"}, "expires_before"),
    ],
)
async def test_a_member_search_out_of_bounds_is_refused_naming_the_parameter(
    membership: Membership, params: dict[str, str | int], field: str
) -> None:
    answer = await membership.client.get("/members", params=params, headers=OPERATOR)
    assert fields_of(answer) == {("query", field)}


async def test_an_offline_payment_paid_before_1900_is_refused(membership: Membership) -> None:
    level = await membership.level()
    body = {
        "name": "Ada",
        "email": "ada-1850@example.org",
        "level_id": level["id"],
        "amount_minor": 7500,
        "currency": "usd",
        "method": "cheque",
        "reference": "CHQ-1850",
        "paid_at": "1850-01-01T00:00:00Z",
    }
    answer = await membership.client.post("/offline-payments", json=body, headers=OPERATOR)
    assert fields_of(answer) == {("body", "paid_at")}
    assert await membership.pool.fetchval("SELECT count(*) FROM dues_payments") == 0


async def test_the_openapi_document_declares_every_answer_and_the_input_rules(membership: Membership) -> None:
    document = (await membership.client.get("/openapi.json")).json()
    create = document["paths"]["/levels"]["post"]["responses"]
    assert {"201", "400", "401", "403", "409", "422", "503"} <= set(create)
    assert "Retry-After" in create["503"]["headers"]
    assert {"401", "404", "502"} <= set(document["paths"]["/me/billing-portal"]["post"]["responses"])
    assert "429" in document["paths"]["/memberships"]["post"]["responses"]
    csv = document["paths"]["/members.csv"]["get"]["responses"]
    assert "text/csv" in csv["200"]["content"]
    assert list(csv["401"]["content"]) == ["application/json"]  # a CSV route's refusals are JSON
    edit = document["components"]["schemas"]["LevelEdit"]["properties"]
    assert edit["name"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": "^[^\\x00]*$",
        "title": "Name",
    }
    assert "anyOf" not in edit["price_minor"]
    assert edit["price_minor"]["type"] == "integer"
