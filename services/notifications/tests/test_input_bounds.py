"""What the fuzzing run found (tests/fuzz): a NUL character in a query reached Postgres (a 500);
now it is a 422 naming the parameter, and every answer is declared in the OpenAPI document."""

from collections.abc import AsyncIterator

import httpx
import pytest

from notifications.bootstrap import SPEC
from tests.support.apps import running_app
from tests.support.smtp import SmtpServer

from .test_sending import OPERATOR, settings_for


@pytest.fixture
async def client(database: str, smtp_server: SmtpServer) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(SPEC, settings_for(database, smtp_server)) as (client, _):
        yield client


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"recipient": "ada\x00@example.org"}, "recipient"),
        ({"since": "0001-01-01T00:00:00"}, "since"),
        ({"since": "0.5"}, "since"),
    ],
)
async def test_a_delivery_log_query_out_of_bounds_is_refused_naming_it(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    answer = await client.get("/deliveries", params=params, headers=OPERATOR)
    assert answer.status_code == 422, answer.text
    assert [problem["loc"] for problem in answer.json()["detail"]] == [["query", field]]


async def test_a_nul_character_in_an_unsubscribe_address_is_refused(client: httpx.AsyncClient) -> None:
    answer = await client.post("/unsubscribe", params={"email": "ada\x00@example.org", "sig": "abc"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["query", "email"]


async def test_a_signature_that_is_not_ascii_is_a_400_like_any_wrong_signature(client: httpx.AsyncClient) -> None:
    answer = await client.post("/unsubscribe", params={"email": "ada@example.org", "sig": "é" * 32})
    assert answer.status_code == 400, answer.text
    assert (await client.get("/unsubscribe", params={"email": "ada@example.org", "sig": "é"})).status_code == 400


async def test_the_openapi_document_declares_every_answer(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {"200", "401", "403", "422", "503"} <= set(paths["/deliveries"]["get"]["responses"])
    assert {"202", "404"} <= set(paths["/deliveries/{delivery_id}/resend"]["post"]["responses"])
    assert {"200", "400", "409"} <= set(paths["/unsubscribe"]["post"]["responses"])
