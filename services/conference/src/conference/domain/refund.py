"""A refund owed to a payer (C5, C8): decided in the transaction that cancels a registration or
turns a late payment away, then asked of Stripe by the refund job until Stripe answers. Only
Stripe's acceptance makes it issued; only a refusal Stripe will not change makes it failed."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class RefundStatus(StrEnum):
    OWED = "owed"
    ISSUED = "issued"
    FAILED = "failed"


@dataclass
class Refund:
    id: UUID
    registration_id: UUID
    payment_intent: str
    amount_minor: int
    reason: str
    status: RefundStatus = RefundStatus.OWED
    attempts: int = 0
    next_attempt_at: datetime | None = None
    stripe_refund_id: str | None = None
    last_error: str | None = None
    issued_at: datetime | None = None

    @property
    def idempotency_key(self) -> str:
        """The same refund is one Stripe refund however often it is asked for, by any job."""
        return f"refund:{self.id}:{self.amount_minor}"

    def issued(self, stripe_refund_id: str | None, at: datetime) -> bool:
        """Stripe accepted it (the job's answer, or Stripe's charge.refunded): True the first time."""
        if self.status is RefundStatus.ISSUED:
            return False
        self.status, self.issued_at = RefundStatus.ISSUED, at
        self.stripe_refund_id = stripe_refund_id or self.stripe_refund_id
        self.last_error = None
        return True

    def try_again(self, at: datetime, error: str) -> None:
        """Stripe did not answer: owed still, tried again from `at`."""
        if self.status is RefundStatus.OWED:
            self.next_attempt_at, self.last_error = at, error

    def refused(self, error: str) -> None:
        """Stripe refused it for good (e.g. the charge was disputed): an operator has to act."""
        if self.status is RefundStatus.OWED:
            self.status, self.last_error = RefundStatus.FAILED, error
