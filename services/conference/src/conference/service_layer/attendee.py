"""What an attendee does through their signed link: see the registration, cancel it under the
conference's refund policy (C8), claim a waitlist offer (C7)."""

import logging
from typing import Any
from uuid import UUID, uuid4

from conference.domain.model import RefundPolicy, RegistrationStatus, require
from conference.service_layer import holding, waitlist
from conference.service_layer import registration as reg
from conference.service_layer.catalog import NotFound
from conference.service_layer.deps import Deps
from convene_contracts import CONFERENCE
from convene_contracts import conference as contract
from convene_delivery.outbox import add_to_outbox

log = logging.getLogger(__name__)


async def view(deps: Deps, registration_id: UUID) -> dict[str, Any]:
    async with deps.pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT r.*, c.full_refund_until, c.partial_refund_until, c.partial_refund_percent
               FROM registrations r JOIN conferences c ON c.id = r.conference_id WHERE r.id = $1""",
            registration_id,
        )
        if row is None:
            raise NotFound("registration")
        facts = await reg._facts(deps, conn, registration_id)
    policy = RefundPolicy(row["full_refund_until"], row["partial_refund_until"], row["partial_refund_percent"])
    paid = row["amount_minor"] if row["status"] == "confirmed" else 0
    return facts.model_dump(mode="json") | {
        "status": row["status"], "hold_expires_at": row["hold_expires_at"].isoformat(),
        "refund_if_cancelled_now": policy.refund(paid - row["refunded_minor"], deps.clock()),
    }  # fmt: skip


async def cancel(deps: Deps, registration_id: UUID) -> int:
    """Cancels, gives the seats back (to the waitlist first) and refunds what the policy gives;
    returns the refund. Calling it again on a cancelled registration retries an unpaid refund."""
    now, correlation_id = deps.clock(), uuid4()
    async with deps.pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            """SELECT r.*, c.full_refund_until, c.partial_refund_until, c.partial_refund_percent
               FROM registrations r JOIN conferences c ON c.id = r.conference_id WHERE r.id = $1 FOR UPDATE OF r""",
            registration_id,
        )
        if row is None:
            raise NotFound("registration")
        status = RegistrationStatus(row["status"])
        if status is RegistrationStatus.CANCELLED and row["refund_due_minor"] > row["refunded_minor"]:
            due = int(row["refund_due_minor"] - row["refunded_minor"])
        else:
            require("cancel", status)
            policy = RefundPolicy(row["full_refund_until"], row["partial_refund_until"], row["partial_refund_percent"])
            paid = row["amount_minor"] if status is RegistrationStatus.CONFIRMED else 0
            due = policy.refund(int(paid), now)
            await conn.execute(
                "UPDATE registrations SET status = 'cancelled', cancelled_at = $2, refund_due_minor = $3 WHERE id = $1",
                registration_id, now, due,
            )  # fmt: skip
            await reg._give_back(deps, conn, registration_id, now)
            facts = await reg._facts(deps, conn, registration_id)
            await add_to_outbox(conn, CONFERENCE, contract.RegistrationCancelled(
                producer="conference", correlation_id=correlation_id, payload=contract.RegistrationCancelledPayload(
                    **facts.model_dump(), refund_minor=due, reason="cancelled by the attendee")))  # fmt: skip
        payment_intent = row["payment_intent"]
    if due > 0 and payment_intent:
        # The key refund:<registration> makes Stripe create one refund however often this runs.
        await deps.stripe.refund(registration_id, payment_intent, due)
        async with deps.pool.acquire() as conn, conn.transaction():
            await conn.execute("UPDATE registrations SET refunded_minor = refund_due_minor WHERE id = $1",
                               registration_id)  # fmt: skip
            facts = await reg._facts(deps, conn, registration_id)
            await add_to_outbox(conn, CONFERENCE, contract.RefundIssued(
                producer="conference", correlation_id=correlation_id, payload=contract.RefundIssuedPayload(
                    **facts.model_dump(), refund_minor=due, reason="cancelled by the attendee")))  # fmt: skip
    return due


async def claim_offer(deps: Deps, entry_id: UUID, token: str) -> holding.Held:
    """The person offered a freed seat takes it: a registration holding exactly that seat."""
    now = deps.clock()
    async with deps.pool.acquire() as conn, conn.transaction():
        ticket_type_id, name, email, shards = await waitlist.claim(conn, entry_id, token, now)
        conference_id = await conn.fetchval("SELECT conference_id FROM ticket_types WHERE id = $1", ticket_type_id)
    try:
        return await holding.register(deps, uuid4(), conference_id, name, email,
                                  [holding.AttendeeIn(name, email, [ticket_type_id], {})], None,
                                  reserved={ticket_type_id: shards})  # fmt: skip
    except Exception:
        async with deps.pool.acquire() as conn, conn.transaction():  # never lose the kept seat
            await waitlist.give_back(deps, conn, ticket_type_id, shards, now)
        raise
