"""Reading a posted form: what the person typed (kept, to show again) and what is wrong with it,
field by field, in words meant for them rather than pydantic's."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from convene_web.csrf import CSRF_FIELD

M = TypeVar("M", bound=BaseModel)


@dataclass
class FormState:
    """What a form shows: the values to fill in again and one message per field at fault."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # a message about the whole form (e.g. the payment provider is down)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.problem)


def posted(form: FormData) -> dict[str, str]:
    """The text fields of a posted form, without the CSRF token; files and repeats are ignored."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}


def validate(model: type[M], values: Mapping[str, str], messages: Mapping[str, str]) -> tuple[M | None, FormState]:
    """The model if the values fit it; otherwise None and a FormState naming each field at fault
    with `messages[field]` (pydantic's own words only where no message is given)."""
    state = FormState(values=dict(values))
    # A blank optional field means "not given", as a browser sends every field of the form.
    data = {k: v.strip() for k, v in values.items() if v.strip() != ""}
    try:
        return model.model_validate(data), state
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "form"
            state.errors.setdefault(name, messages.get(name, problem["msg"]))
        return None, state
