"""The registration form (C3, C9): one group of fields per attendee (name, email, ticket,
add-ons, the conference's own questions), read into what `holding.register` takes, with
a message for each field at fault. Field names: `a<i>_name`, `a<i>_email`, `a<i>_ticket`,
`a<i>_addon_<ticket type>`, `a<i>_q_<question key>`; then `discount_code`, `payer_name`,
`payer_email`, and `attendees` (how many)."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from conference.domain.errors import RegistrationRefused, SoldOut
from conference.domain.model import TicketKind, TicketType
from conference.service_layer.holding import AttendeeIn
from convene_contracts.email import Email
from convene_web.formatting import money
from convene_web.forms import FormState

MAX_ATTENDEES = 20  # the API takes 50; a page of more than 20 people is better sent as a list to staff
EMAIL = TypeAdapter(Email)
ATTENDEE_FIELD = re.compile(r"^a(\d+)_(.+)$")


@dataclass(frozen=True)
class Registering:
    payer_name: str
    payer_email: str
    attendees: list[AttendeeIn]
    discount_code: str | None


def attendee_count(values: dict[str, str]) -> int:
    raw = values.get("attendees", "1").strip()
    return min(max(int(raw), 1), MAX_ATTENDEES) if raw.isdigit() else 1


def who(i: int, count: int) -> str:
    """How messages name an attendee: nobody needs "attendee 1" when there is only one."""
    return "the attendee" if count == 1 else f"attendee {i + 1}"


def _email(raw: str) -> str | None:
    try:
        return str(EMAIL.validate_python(raw)).lower()
    except ValidationError:
        return None


def _answer(question: dict[str, Any], raw: str) -> tuple[Any, str | None]:
    """The answer as the service layer takes it (text, a choice, true/false), or a message."""
    match question["type"]:
        case "text" if len(raw) > 2000:
            return None, f"Shorten the answer to “{question['label']}” to 2000 characters at most"
        case "choice" if raw not in question.get("choices", []):
            return None, f"Choose one of the answers to “{question['label']}”"
        case "yes_no" if raw not in ("yes", "no"):
            return None, f"Answer “{question['label']}” with yes or no"
        case "yes_no":
            return raw == "yes", None
    return raw, None


def read(values: dict[str, str], conference: dict[str, Any]) -> tuple[Registering | None, FormState]:
    form = FormState(values=dict(values))
    count = attendee_count(values)
    mains = {str(t["id"]) for t in conference["ticket_types"] if t["kind"] == "main"}
    addons = [t["id"] for t in conference["ticket_types"] if t["kind"] == "addon"]
    attendees = []
    for i in range(count):
        p, whom = f"a{i}_", who(i, count)
        name = values.get(f"{p}name", "").strip()
        if not name or len(name) > 200:
            form.errors[f"{p}name"] = f"Enter the full name of {whom}"
        email = _email(values.get(f"{p}email", "").strip())
        if email is None:
            form.errors[f"{p}email"] = f"Enter the email address of {whom} in the right format, like name@example.org"
        ticket = values.get(f"{p}ticket", "")
        if ticket not in mains:
            form.errors[f"{p}ticket"] = f"Choose a ticket for {whom}"
        answers: dict[str, Any] = {}
        for question in conference["questions"]:
            field, raw = f"{p}q_{question['key']}", values.get(f"{p}q_{question['key']}", "").strip()
            if raw == "":
                if question.get("required"):
                    form.errors[field] = f"Answer “{question['label']}” for {whom}"
                continue
            answers[question["key"]], problem = _answer(question, raw)
            if problem:
                form.errors[field] = problem if count == 1 else f"{problem} (attendee {i + 1})"
        chosen = [UUID(ticket)] if ticket in mains else []
        chosen += [a for a in addons if values.get(f"{p}addon_{a}")]
        attendees.append(AttendeeIn(name, email or "", chosen, answers))
    code = values.get("discount_code", "").strip()
    if len(code) > 50:
        form.errors["discount_code"] = "Enter the discount code as it was given to you (50 characters at most)"
    payer_name, payer_email = values.get("payer_name", "").strip(), values.get("payer_email", "").strip()
    if payer_name or payer_email:  # someone else pays: both are needed, for the receipt
        if not payer_name or len(payer_name) > 200:
            form.errors["payer_name"] = "Enter the payer's full name, or leave both payer fields blank"
        if _email(payer_email) is None:
            form.errors["payer_email"] = (
                "Enter the payer's email address in the right format, like name@example.org, "
                "or leave both payer fields blank"
            )
    if form.errors:
        return None, form
    first = attendees[0]
    return Registering(payer_name or first.name, _email(payer_email) or first.email, attendees, code or None), form


def place_refusal(form: FormState, refused: RegistrationRefused, count: int) -> None:
    """Puts what the service layer refused beside the field it is about."""
    message = str(refused)[0].upper() + str(refused)[1:]
    parts = refused.field.split(".")
    match parts:
        case ["attendees", i, "answers", key]:
            form.errors[f"a{i}_q_{key}"] = f"{message} ({who(int(i), count)})"
        case ["attendees", i, "ticket_type_ids"]:
            form.errors[f"a{i}_ticket"] = f"{message} ({who(int(i), count)})"
        case ["discount_code"]:
            form.errors["discount_code"] = message
        case ["conference_id"]:
            form.problem = "Registration for this conference is not open now, so nothing was booked."
        case _:
            form.problem = f"{message}. Nothing was booked."


def place_sold_out(form: FormState, values: dict[str, str], sold_out: SoldOut) -> None:
    """Sold out while the person filled in the form: said beside the first choice of it."""
    wanted = str(sold_out.ticket_type_id)
    message = str(sold_out)[0].upper() + str(sold_out)[1:]
    for i in range(attendee_count(values)):
        if values.get(f"a{i}_ticket") == wanted:
            form.errors[f"a{i}_ticket"] = message
            return
        if values.get(f"a{i}_addon_{wanted}"):
            form.errors[f"a{i}_addon_{wanted}"] = message
            return
    form.problem = message


def change_group(values: dict[str, str], change: str) -> dict[str, str]:
    """One more attendee ("add"), or one fewer ("remove-<i>"): the form's values with that attendee's fields
    taken out and the later ones moved up, so what the person typed stays with its attendee."""
    count = attendee_count(values)
    if change == "add":
        return values | {"attendees": str(min(count + 1, MAX_ATTENDEES))}
    if not change.startswith("remove-") or not change[7:].isdigit() or count == 1:
        return values
    gone, kept = int(change[7:]), {}
    for key, value in values.items():
        found = ATTENDEE_FIELD.match(key)
        if found is None:
            kept[key] = value
        elif (i := int(found[1])) != gone:
            kept[f"a{i - 1 if i > gone else i}_{found[2]}"] = value
    return kept | {"attendees": str(count - 1)}


def price_hint(t: dict[str, Any], currency: str, now: datetime) -> str:
    """A ticket's prices as they would be charged now (early bird included), and what is left."""
    ticket = TicketType(
        t["id"],
        t["conference_id"],
        t["name"],
        TicketKind(t["kind"]),
        t["capacity"],
        t["member_price_minor"],
        t["non_member_price_minor"],
        t["early_member_price_minor"],
        t["early_non_member_price_minor"],
        t["early_bird_until"],
    )

    def shown(minor: int) -> str:
        return "free" if minor == 0 else money(minor, currency)

    member, other = ticket.price(member=True, now=now), ticket.price(member=False, now=now)
    early = " (early bird)" if (member, other) != (t["member_price_minor"], t["non_member_price_minor"]) else ""
    left = f"{t['available']} place{'s' if t['available'] != 1 else ''} left"
    return f"Members {shown(member)}, non-members {shown(other)}{early}. {left}."
