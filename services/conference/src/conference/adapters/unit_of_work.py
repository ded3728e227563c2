"""The Postgres unit of work: one transaction on a pooled connection, holding the state change
and its outbox events (convene_delivery.outbox)."""

from collections.abc import Sequence
from types import TracebackType
from typing import Self

import asyncpg

from conference.adapters.capacity import Capacity, ShardedCapacity
from conference.adapters.repository.attendees import SqlAttendees
from conference.adapters.repository.catalog import SqlCatalog, SqlDiscountCodes, SqlSeats
from conference.adapters.repository.people import SqlPeople
from conference.adapters.repository.refunds import SqlRefunds, SqlStripeEvents
from conference.adapters.repository.registrations import SqlRegistrations
from conference.adapters.repository.waitlist import SqlWaitlist
from conference.adapters.views import PostgresViews
from conference.service_layer.unit_of_work import (
    Attendees,
    Catalog,
    DiscountCodes,
    People,
    Refunds,
    Registrations,
    Seats,
    StripeEvents,
    Views,
    Waitlist,
)
from convene_contracts import CONFERENCE, Event
from convene_contracts.audit import ConferenceAuditRecorded
from convene_delivery.outbox import add_to_outbox
from convene_service.audit import write_audit


class PostgresUnitOfWork:
    """Rolls back unless `commit` was called; `commit` writes the events to the outbox first."""

    def __init__(self, pool: asyncpg.Pool, capacity: Capacity | None = None) -> None:
        self._pool = pool
        self._capacity = capacity or ShardedCapacity()

    async def __aenter__(self) -> Self:
        self._conn = await self._pool.acquire()
        try:
            self._transaction = self._conn.transaction()
            await self._transaction.start()
        except BaseException:
            await self._pool.release(self._conn)
            raise
        self._committed = False
        conn = self._conn
        self.registrations: Registrations = SqlRegistrations(conn, self._capacity)
        self.seats: Seats = SqlSeats(conn, self._capacity)
        self.discount_codes: DiscountCodes = SqlDiscountCodes(conn)
        self.waitlist: Waitlist = SqlWaitlist(conn)
        self.catalog: Catalog = SqlCatalog(conn)
        self.attendees: Attendees = SqlAttendees(conn)
        self.refunds: Refunds = SqlRefunds(conn)
        self.stripe_events: StripeEvents = SqlStripeEvents(conn)
        self.people: People = SqlPeople(conn)
        self.views: Views = PostgresViews(conn)
        return self

    async def commit(self, events: Sequence[Event]) -> None:
        audited = await write_audit(self._conn, "conference", ConferenceAuditRecorded)
        await add_to_outbox(self._conn, CONFERENCE, *events, *([audited] if audited else []))
        # No rollback after a COMMIT that failed: its own error (a lost connection: a 503) is the
        # answer, as it was with `async with conn.transaction()`.
        self._committed = True
        await self._transaction.commit()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                await self._transaction.rollback()
        finally:
            await self._pool.release(self._conn)
