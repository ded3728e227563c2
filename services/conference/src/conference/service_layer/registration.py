"""After the hold (C5, C6): payment confirms a registration, time releases it, a late payment is
confirmed again or refunded. Each change runs in one transaction with its outbox event. Holds
themselves are made in holding.py."""

import json
import logging
import secrets
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from conference.domain.model import RegistrationStatus, SoldOut
from conference.service_layer import waitlist
from conference.service_layer.attendee_links import registration_url
from conference.service_layer.deps import Deps
from convene_contracts import CONFERENCE, Event
from convene_contracts import conference as contract
from convene_delivery.outbox import add_to_outbox
from convene_delivery.postgres import Connection

log = logging.getLogger(__name__)
PRODUCER = "conference"
STRIPE_MINIMUM_CHECKOUT = timedelta(minutes=31)  # Stripe refuses sessions that expire sooner


class NotPayable(Exception):
    """The registration is not waiting for payment any more (paid, cancelled, or its hold ended)."""


async def open_checkout(deps: Deps, registration_id: UUID) -> str:
    """Stripe Checkout for a held registration: made on the first visit, the same one after.

    The row stays locked while Stripe answers, so two clicks never make two sessions. Stripe
    needs at least 30 minutes, so the session may outlive the hold: the hold sweeper closes it
    when the hold ends, and a payment that still lands is confirmed again or refunded (C5)."""
    now = deps.clock()
    async with deps.pool.acquire() as conn, conn.transaction():
        r = await conn.fetchrow(
            """SELECT r.*, c.name AS conference_name FROM registrations r JOIN conferences c ON c.id = r.conference_id
               WHERE r.id = $1 FOR UPDATE OF r""",
            registration_id,
        )
        if r is None or r["status"] != RegistrationStatus.HELD.value or r["hold_expires_at"] <= now:
            raise NotPayable(registration_id)
        if r["checkout_url"]:
            return str(r["checkout_url"])
        rows = await conn.fetch(
            """SELECT a.id, a.name, string_agg(t.name, ', ' ORDER BY t.name) AS tickets, sum(p.price_minor) AS amount
               FROM attendees a JOIN attendee_tickets p ON p.attendee_id = a.id
               JOIN ticket_types t ON t.id = p.ticket_type_id
               WHERE a.registration_id = $1 GROUP BY a.id, a.name ORDER BY a.name, a.id""",
            registration_id,
        )
        lines = [(f"{r['conference_name']}: {a['name']} ({a['tickets']})", int(a["amount"])) for a in rows]
        checkout = await deps.stripe.checkout(
            registration_id,
            r["payer_email"],
            [line for line in lines if line[1] > 0],
            r["currency"],
            max(r["hold_expires_at"], now + STRIPE_MINIMUM_CHECKOUT),
            # Back from Stripe: paid, to the registration page (it waits for the webhook); not paid,
            # to the payment page, which still has the Pay button while the hold lasts.
            success_url=registration_url(deps, registration_id),
            cancel_url=registration_url(deps, registration_id, "/pay"),
        )
        await conn.execute(
            "UPDATE registrations SET checkout_session_id = $2, checkout_url = $3 WHERE id = $1",
            registration_id,
            checkout.session_id,
            checkout.url,
        )
        return checkout.url


async def _facts(deps: Deps, conn: Connection, registration_id: UUID) -> contract.RegistrationFacts:
    r = await conn.fetchrow(
        "SELECT r.*, c.name AS conference_name, c.starts_on, c.ends_on, c.venue FROM registrations r"
        " JOIN conferences c ON c.id = r.conference_id"
        " WHERE r.id = $1",
        registration_id,
    )
    assert r is not None
    attendees = await conn.fetch(
        """SELECT a.id, a.name, a.email, a.ticket_code, array_agg(tt.name ORDER BY tt.kind, tt.name) AS types
           FROM attendees a JOIN attendee_tickets t ON t.attendee_id = a.id
           JOIN ticket_types tt ON tt.id = t.ticket_type_id
           WHERE a.registration_id = $1 GROUP BY a.id ORDER BY a.name""",
        registration_id,
    )
    return contract.RegistrationFacts(
        registration_id=registration_id,
        conference_id=r["conference_id"],
        conference_name=r["conference_name"],
        payer_name=r["payer_name"],
        payer_email=r["payer_email"],
        amount_minor=r["amount_minor"],
        currency=r["currency"],
        manage_url=registration_url(deps, registration_id),
        starts_on=r["starts_on"],
        ends_on=r["ends_on"],
        venue=r["venue"] or None,
        attendees=[
            contract.AttendeeTicket(
                attendee_id=a["id"],
                name=a["name"],
                email=a["email"],
                ticket_types=list(a["types"]),
                ticket_code=a["ticket_code"],
            )
            for a in attendees
        ],
    )


def new_ticket_code() -> str:
    return secrets.token_hex(5).upper()  # 10 hex characters: short to type, 2^40 to guess


async def confirm(
    deps: Deps, conn: Connection, registration_id: UUID, now: datetime, payment_intent: str | None, correlation_id: UUID
) -> None:
    await conn.execute(
        "UPDATE registrations SET status = 'confirmed', confirmed_at = $2, payment_intent = $3 WHERE id = $1",
        registration_id,
        now,
        payment_intent,
    )
    for attendee in await conn.fetch("SELECT id FROM attendees WHERE registration_id = $1", registration_id):
        await conn.execute("UPDATE attendees SET ticket_code = $2 WHERE id = $1", attendee["id"], new_ticket_code())
    event = contract.RegistrationConfirmed(
        producer=PRODUCER, correlation_id=correlation_id, payload=await _facts(deps, conn, registration_id)
    )
    await add_to_outbox(conn, CONFERENCE, event)


async def _give_back(deps: Deps, conn: Connection, registration_id: UUID, now: datetime) -> None:
    """Returns every unit this registration took (main tickets to the waitlist first) and its
    discount code use."""
    for row in await conn.fetch(
        """SELECT t.ticket_type_id, t.shards FROM attendee_tickets t JOIN attendees a ON a.id = t.attendee_id
           WHERE a.registration_id = $1""",
        registration_id,
    ):
        await waitlist.give_back(deps, conn, row["ticket_type_id"], json.loads(row["shards"]), now)
    await conn.execute(
        "UPDATE discount_codes SET used = used - 1"
        " WHERE id = (SELECT discount_code_id FROM registrations WHERE id = $1)",
        registration_id,
    )


async def _retake(deps: Deps, conn: Connection, registration_id: UUID) -> bool:
    """For a payment that arrived after its hold expired: takes the same seats again if there is
    room (recording the new shards); False, with nothing taken, if not."""
    rows = await conn.fetch(
        """SELECT t.attendee_id, t.ticket_type_id, t.shards FROM attendee_tickets t
           JOIN attendees a ON a.id = t.attendee_id WHERE a.registration_id = $1""",
        registration_id,
    )
    async with conn.transaction():  # a savepoint: all seats again, or none
        try:
            for row in rows:
                taken = []
                for pool_id, _ in json.loads(row["shards"]):
                    shard = await deps.capacity.take(conn, UUID(pool_id))
                    if shard is None:
                        raise SoldOut(row["ticket_type_id"], "")
                    taken.append([pool_id, shard])
                await conn.execute(
                    "UPDATE attendee_tickets SET shards = $3 WHERE attendee_id = $1 AND ticket_type_id = $2",
                    row["attendee_id"],
                    row["ticket_type_id"],
                    json.dumps(taken),
                )
        except SoldOut:
            raise _Rollback from None
    return True


class _Rollback(Exception):
    pass


async def confirm_payment(
    deps: Deps, registration_id: UUID, payment_intent: str | None, correlation_id: UUID, at: datetime
) -> str:
    """Stripe says it is paid. Held: confirmed. Expired: confirmed if the seats can be taken again,
    otherwise refunded in full, once (C5). Anything else: nothing more to do."""
    refund: tuple[str, int] | None = None
    async with deps.pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            "SELECT status, amount_minor FROM registrations WHERE id = $1 FOR UPDATE", registration_id
        )
        if row is None:
            return "ignored"
        status = RegistrationStatus(row["status"])
        if status is RegistrationStatus.HELD:
            await confirm(deps, conn, registration_id, at, payment_intent, correlation_id)
            return "confirmed"
        if status is not RegistrationStatus.EXPIRED:
            return "ignored"
        try:
            await _retake(deps, conn, registration_id)
        except _Rollback:
            if payment_intent is None:
                return "ignored"
            await conn.execute(
                "UPDATE registrations SET status = 'cancelled', cancelled_at = $2, payment_intent = $3,"
                " refunded_minor = amount_minor WHERE id = $1",
                registration_id,
                at,
                payment_intent,
            )
            refund = (payment_intent, row["amount_minor"])
            facts = await _facts(deps, conn, registration_id)
            await add_to_outbox(
                conn,
                CONFERENCE,
                contract.RefundIssued(
                    producer=PRODUCER,
                    correlation_id=correlation_id,
                    payload=contract.RefundIssuedPayload(
                        **facts.model_dump(),
                        refund_minor=row["amount_minor"],
                        reason="paid after the hold expired, and the seats were taken meanwhile",
                    ),
                ),
            )
        else:
            await confirm(deps, conn, registration_id, at, payment_intent, correlation_id)
            return "confirmed late"
    # Committed first: the refund is owed whatever Stripe answers now; the idempotency key
    # (refund:<registration>) makes a retry of this call create one refund, never two.
    await deps.stripe.refund(registration_id, refund[0], refund[1])
    return "refunded"


async def release(
    deps: Deps, registration_id: UUID, to: RegistrationStatus, correlation_id: UUID, announce: bool = True
) -> bool:
    """A held registration ends unpaid: its seats go back, exactly once (the status guard)."""
    async with deps.pool.acquire() as conn, conn.transaction():
        changed = await conn.fetchval(
            "UPDATE registrations SET status = $2 WHERE id = $1 AND status = 'held' RETURNING true",
            registration_id,
            to.value,
        )
        if not changed:
            return False
        await _give_back(deps, conn, registration_id, deps.clock())
        if announce:
            event: Event = contract.HoldExpired(
                producer=PRODUCER, correlation_id=correlation_id, payload=await _facts(deps, conn, registration_id)
            )
            await add_to_outbox(conn, CONFERENCE, event)
    return True


async def release_expired_holds(deps: Deps, now: datetime) -> int:
    """Every hold past its time goes back once; its Stripe page is closed so nobody pays for it."""
    rows = await deps.pool.fetch(
        "SELECT id, checkout_session_id FROM registrations WHERE status = 'held' AND hold_expires_at <= $1"
        " ORDER BY hold_expires_at LIMIT 500",
        now,
    )
    released = 0
    for row in rows:
        if await release(deps, row["id"], RegistrationStatus.EXPIRED, uuid4()):
            released += 1
            if row["checkout_session_id"]:
                try:
                    await deps.stripe.expire_checkout(row["checkout_session_id"])
                except Exception:  # a payment that still arrives is confirmed or refunded
                    log.warning("could not close checkout %s", row["checkout_session_id"], exc_info=True)
    return released
