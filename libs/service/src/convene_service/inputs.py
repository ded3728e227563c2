"""What every JSON API accepts, declared once so the OpenAPI document states it: text Postgres can
store (no NUL character, no lone surrogate, a length), whole numbers that fit their column, dates
in years an association means, and PATCH bodies where a field may be left out but never be null.

Postgres refuses `\\x00` in `text` and `jsonb`, so such a value would otherwise reach the database
and come back as a 500; pydantic itself refuses a lone surrogate."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)

from convene_contracts.email import Email

INT32_MAX = 2**31 - 1  # Postgres `integer`
INT64_MAX = 2**63 - 1  # Postgres `bigint`
MONEY_MAX = 100_000_000  # in minor units: a million dollars is more than any dues or ticket
COUNT_MAX = 1_000_000  # seats, uses, capacities: far above any conference, well inside `integer`
FIRST_YEAR, LAST_YEAR = 1900, 2200
NO_NUL = r"^[^\x00]*$"


def _storable(value: str) -> str:
    # pydantic already refuses a lone surrogate ("unable to parse raw data as a unicode string")
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value


_NO_NUL = (AfterValidator(_storable), Field(json_schema_extra={"pattern": NO_NUL}))
# Text of any kind; give it a length where it is used: Field(max_length=...).
Text = Annotated[str, *_NO_NUL]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200), *_NO_NUL]  # a person's, a level's, ...
Line = Annotated[str, StringConstraints(max_length=200), *_NO_NUL]  # a short free line, may be empty
Paragraph = Annotated[str, StringConstraints(max_length=5000), *_NO_NUL]  # free text: a description, an answer

# An address as the events carry it, with the length email-validator enforces stated for clients.
EmailAddress = Annotated[Email, WithJsonSchema({"format": "email", "type": "string", "maxLength": 254})]


def _in_years(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must be between the years {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _iso_text(value: object) -> object:
    # pydantic would read a number (or a numeric text, as every query parameter is) as seconds
    # since 1970; the document says ISO 8601, so that is what is accepted.
    if isinstance(value, date) or (isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\d", value)):
        return value
    raise ValueError("must be an ISO 8601 date (YYYY-MM-DD) or date-time")


_YEARS = f"ISO 8601, between the years {FIRST_YEAR} and {LAST_YEAR}."
_DATED = (BeforeValidator(_iso_text), AfterValidator(_in_years), Field(description=_YEARS))
Day = Annotated[date, *_DATED]
Instant = Annotated[AwareDatetime, *_DATED]
# A query parameter's instant: an offset is optional there, as it always was.
QueryInstant = Annotated[datetime, *_DATED]

Offset = Annotated[int, Field(ge=0, le=INT32_MAX, description="Rows to skip.")]


def _not_nullable(schema: dict[str, Any]) -> None:
    """The document says what `_not_null` checks: no field of a PATCH body takes null."""
    for name, field in schema.get("properties", {}).items():
        field.pop("default", None)
        kinds = [kind for kind in field.pop("anyOf", []) if kind != {"type": "null"}]
        if len(kinds) == 1:
            field.update(kinds[0])
        elif kinds:
            field["anyOf"] = kinds
        schema["properties"][name] = field


class Patch(BaseModel):
    """A PATCH body: a field left out stays as it is, and `null` is refused with 422 naming the
    field (the columns are NOT NULL, so null cannot mean "clear it"). Fields are declared
    `name: Name | None = None` for the type checker; `None` only ever means "left out"."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_not_nullable)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("leave the field out to keep it as it is; null is not a value it can take")
        return value
