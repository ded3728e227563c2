"""Email is pydantic's EmailStr with its answers kept: the same verdicts, messages and schema."""

import pytest
from pydantic import BaseModel, EmailStr, ValidationError

from convene_contracts.email import Email


class Kept(BaseModel):
    email: Email


class Plain(BaseModel):
    email: EmailStr


@pytest.mark.parametrize("address", ["ada@example.org", "Ada.Lovelace@Example.ORG", "zoë@exämple.org"])
def test_a_valid_address_is_normalized_as_emailstr_does_every_time(address: str) -> None:
    expected = Plain(email=address).email
    assert Kept(email=address).email == expected
    assert Kept(email=address).email == expected  # from what was kept


@pytest.mark.parametrize("address", ["not an address", "ada@", "@example.org", "ada@example..org"])
def test_an_invalid_address_is_refused_with_emailstrs_message_every_time(address: str) -> None:
    with pytest.raises(ValidationError) as plain:
        Plain(email=address)
    for _ in range(2):
        with pytest.raises(ValidationError) as kept:
            Kept(email=address)
        assert kept.value.errors()[0]["msg"] == plain.value.errors()[0]["msg"]


def test_the_json_schema_is_emailstrs() -> None:
    assert Kept.model_json_schema()["properties"]["email"] == Plain.model_json_schema()["properties"]["email"]
