"""Fake refunds and Stripe event log, over fake_state.State."""

import copy
from datetime import datetime, timedelta
from uuid import UUID

from conference.domain.refund import Refund, RefundStatus

from .fake_state import State


class FakeRefunds:
    def __init__(self, s: State) -> None:
        self.s = s

    async def add(self, refund: Refund) -> None:
        assert all(r.registration_id != refund.registration_id for r in self.s.refunds.values())  # the UNIQUE
        self.s.refunds[refund.id] = copy.deepcopy(refund)

    async def get(self, refund_id: UUID) -> Refund | None:
        found = self.s.refunds.get(refund_id)
        return copy.deepcopy(found) if found else None

    async def for_payment(self, payment_intent: str) -> Refund | None:
        found = [r for r in self.s.refunds.values() if r.payment_intent == payment_intent]
        return copy.deepcopy(found[0]) if found else None

    async def claim(
        self, now: datetime, lease: timedelta, limit: int, registration_id: UUID | None = None
    ) -> list[Refund]:
        due = [
            r
            for r in self.s.refunds.values()
            if r.status is RefundStatus.OWED
            and (r.next_attempt_at is None or r.next_attempt_at <= now)
            and registration_id in (None, r.registration_id)
        ][:limit]
        for r in due:
            r.next_attempt_at, r.attempts = now + lease, r.attempts + 1
        return copy.deepcopy(due)

    async def save(self, refund: Refund) -> None:
        self.s.refunds[refund.id] = copy.deepcopy(refund)


class FakeStripeEvents:
    def __init__(self, s: State) -> None:
        self.s = s

    async def first_time(self, event_id: str, event_type: str) -> bool:
        if event_id in self.s.stripe_events:
            return False
        self.s.stripe_events.add(event_id)
        return True
