"""Money rules on the real stack: Stripe is never asked while a database connection or a row
lock is held (a Stripe that never answers shows it), and a discount code's uses never exceed its
limit, late payments included."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID

from conference.service_layer import refunds
from conference.service_layer.payments import release_expired_holds
from tests.support.waiting import wait_until

from .conftest import OPERATOR, Conference, running

IN_TRANSACTION = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"""


class SilentStripe:
    """Accepts connections and never answers: a Stripe call stays in flight until cancelled."""

    def __init__(self) -> None:
        self.asked = 0
        self._open: list[asyncio.StreamWriter] = []

    async def _listen(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.append(writer)
        await reader.read(1)
        self.asked += 1
        await reader.read()  # until the caller gives up

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[int]:
        server = await asyncio.start_server(self._listen, "127.0.0.1", 0)
        try:
            yield server.sockets[0].getsockname()[1]
        finally:
            server.close()
            for writer in self._open:
                writer.transport.abort()


async def nothing_held(conference: Conference, table: str, row_id: UUID) -> None:
    """No transaction left open by the service, and the row free to lock at once.

    The count is waited for, not read once: a background pass (retention, the staff table's
    consumer) may be between two statements of its own short transaction at that instant. A
    transaction held across the Stripe call never ends, because this Stripe never answers."""
    await wait_until(lambda: _none_in_transaction(conference), seconds=10)
    async with conference.pool.acquire() as conn, conn.transaction():
        assert await conn.fetchval(f"SELECT true FROM {table} WHERE id = $1 FOR UPDATE NOWAIT", row_id)  # noqa: S608


async def _none_in_transaction(conference: Conference) -> bool:
    return bool(await conference.pool.fetchval(IN_TRANSACTION) == 0)


async def test_stripe_is_asked_with_no_connection_or_lock_held(database: str) -> None:
    silent = SilentStripe()
    async with silent.serving() as port, running(database, stripe_api_base=f"http://127.0.0.1:{port}") as conference:
        conference_id = await conference.conference()
        ticket = await conference.ticket_type(conference_id)
        held = (await conference.register(conference_id, [ticket])).json()
        registration_id = UUID(held["registration_id"])
        link = urlsplit(held["checkout_url"])
        opening = asyncio.create_task(conference.client.get(f"{link.path}?{link.query}"))
        await wait_until(lambda: silent.asked >= 1 or opening.done())
        assert not opening.done()
        await nothing_held(conference, "registrations", registration_id)
        opening.cancel()

        # A refund owed (a paid registration, cancelled) asked by the refund job.
        paid = (await conference.register(conference_id, [ticket])).json()
        paid_id = UUID(paid["registration_id"])
        await conference.pay(str(paid_id), 45000)
        async with conference.deps.uow() as uow:
            registration = await uow.registrations.get(paid_id)
            assert registration is not None
            registration.cancel(datetime.now(UTC))
            refund = registration.owe_refund(paid_id, "cancelled by the attendee")
            assert refund is not None
            await uow.registrations.save(registration)
            await uow.refunds.add(refund)
            await uow.commit([])
        asking = asyncio.create_task(refunds.issue_due(conference.deps, datetime.now(UTC) + timedelta(minutes=1)))
        await wait_until(lambda: silent.asked >= 2 or asking.done())
        assert not asking.done()
        await nothing_held(conference, "refunds", refund.id)
        await nothing_held(conference, "registrations", paid_id)
        asking.cancel()


async def test_a_late_payment_whose_code_was_used_up_meanwhile_is_refunded_and_uses_stay_within_the_limit(
    conference: Conference,
) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=10)
    made = await conference.client.post(
        f"/conferences/{conference_id}/discount-codes",
        json={"code": "LASTONE", "percent_off": 10, "max_uses": 1},
        headers=OPERATOR,
    )
    assert made.status_code == 201, made.text
    late = await conference.register(conference_id, [ticket], email="late@example.org", discount_code="LASTONE")
    late_id = str(late.json()["registration_id"])
    await release_expired_holds(conference.deps, datetime.now(UTC) + timedelta(minutes=16))  # the use goes back
    other = await conference.register(conference_id, [ticket], email="other@example.org", discount_code="LASTONE")
    assert other.status_code == 201, other.text  # and is taken by someone else

    paid = await conference.pay(late_id, 40500)
    assert paid.json()["outcome"] == "refunded"
    assert await conference.status(late_id) == "cancelled"
    assert await conference.pool.fetchval("SELECT used FROM discount_codes") == 1
    holding = await conference.pool.fetchval(
        "SELECT count(*) FROM registrations WHERE discount_code_id IS NOT NULL AND status IN ('held', 'confirmed')"
    )
    assert holding == 1
    refund = await conference.pool.fetchrow("SELECT amount_minor, reason FROM refunds")
    assert refund is not None
    assert refund["amount_minor"] == 40500
    assert "discount code" in refund["reason"]
