"""What the unit tests do again and again: hold a seat, pay, get a seat offered, a Stripe event."""

from uuid import UUID, uuid4

from conference.domain.booking import AttendeeIn
from conference.service_layer import holding, payments, waitlist

from .fake_state import NOW
from .fakes import Service


async def hold(
    svc: Service, conference_id: UUID, ticket: UUID, email: str = "pat@example.org", **kw: object
) -> holding.Held:
    person = AttendeeIn("Pat Payer", email, [ticket], {})
    return await holding.register(svc.deps, uuid4(), conference_id, "Pat Payer", email, [person], **kw)  # type: ignore[arg-type]


async def held_one(svc: Service, capacity: int = 10) -> tuple[UUID, UUID, holding.Held]:
    conference_id = svc.conference()
    ticket = svc.ticket_type(conference_id, capacity=capacity)
    return conference_id, ticket, await hold(svc, conference_id, ticket, discount_code=None)


async def paid(svc: Service, registration_id: UUID, intent: str = "pi_1") -> str:
    return await payments.confirm_payment(svc.deps, registration_id, intent, uuid4(), svc.clock())


async def offered_seat(svc: Service) -> tuple[UUID, UUID, str]:
    conference_id, ticket, held = await held_one(svc, capacity=1)
    entry_id = await waitlist.join(svc.deps, conference_id, ticket, "Ada", "ada@example.org")
    await payments.expire_hold(svc.deps, held.registration_id, uuid4())
    [offer] = svc.database.published("conference.waitlist_offered")
    token = offer.payload.claim_url.split("token=")[1]  # type: ignore[attr-defined]
    return ticket, entry_id, token


def completed(registration_id: UUID, event_id: str = "evt_1") -> dict[str, object]:
    session = {
        "metadata": {"convene_kind": "registration", "registration_id": str(registration_id)},
        "payment_status": "paid",
        "payment_intent": "pi_1",
    }
    return {
        "id": event_id,
        "type": "checkout.session.completed",
        "created": int(NOW.timestamp()),
        "data": {"object": session},
    }
