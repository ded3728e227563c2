"""A registration: seats held for a payer's attendees, then paid, expired or cancelled (C5, C8).

Plain Python, no I/O. Each change checks the state it starts from (model.ALLOWED_FROM) and
records what happened in `events`; the service layer saves the registration and turns those into
published contract events in the same transaction. A refund is owed work (refund.py): the
transaction that decides it writes it, and RefundIssued is recorded only once Stripe accepted it.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from conference.domain import events as ev
from conference.domain.errors import NotPayable
from conference.domain.model import RefundPolicy, RegistrationStatus, require
from conference.domain.refund import Refund

S = RegistrationStatus
LATE_REFUND_REASON = "paid after the hold expired, and the seats were taken meanwhile"
CODE_USED_UP = "paid after the hold expired, and the discount code's last use was taken meanwhile"
CANCELLED_BY_ATTENDEE = "cancelled by the attendee"


def new_ticket_code() -> str:
    return secrets.token_hex(5).upper()  # 10 hex characters: short to type, 2^40 to guess


@dataclass
class Registration:
    id: UUID
    conference_id: UUID
    status: RegistrationStatus
    payer_email: str
    amount_minor: int
    currency: str
    hold_expires_at: datetime
    refund_policy: RefundPolicy = field(default_factory=lambda: RefundPolicy(None, None, None))
    conference_name: str = ""
    payment_intent: str | None = None
    checkout_session_id: str | None = None
    checkout_url: str | None = None
    confirmed_at: datetime | None = None
    cancelled_at: datetime | None = None
    refund_due_minor: int = 0
    refunded_minor: int = 0
    events: list[ev.RegistrationEvent] = field(default_factory=list)

    def check_payable(self, now: datetime) -> None:
        """Only a hold still in time can be paid for."""
        if self.status is not S.HELD or self.hold_expires_at <= now:
            raise NotPayable(self.id)

    def attach_checkout(self, session_id: str, url: str) -> None:
        self.checkout_session_id, self.checkout_url = session_id, url

    def confirm(self, at: datetime, payment_intent: str | None) -> None:
        """Paid (or nothing to pay) while held."""
        require("confirm", self.status)
        self._confirmed(at, payment_intent, late=False)

    def confirm_late(self, at: datetime, payment_intent: str | None) -> None:
        """Paid after the hold expired, and its seats could be taken again."""
        require("confirm late", self.status)
        self._confirmed(at, payment_intent, late=True)

    def _confirmed(self, at: datetime, payment_intent: str | None, late: bool) -> None:
        self.status = S.CONFIRMED
        self.confirmed_at = at
        self.payment_intent = payment_intent
        self.events.append(ev.Confirmed(late=late))

    def refund_late(self, at: datetime, payment_intent: str) -> None:
        """Paid after the hold expired, and the seats (or the discount code's last use) are gone:
        cancelled, and the whole payment owed back (owe_refund)."""
        require("refund late", self.status)
        self.status = S.CANCELLED
        self.cancelled_at = at
        self.payment_intent = payment_intent
        self.refund_due_minor = self.amount_minor

    def expire(self) -> None:
        """Not paid in time: the hold ends, once."""
        require("expire", self.status)
        self.status = S.EXPIRED
        self.events.append(ev.HoldExpired())

    @property
    def refund_owed(self) -> int:
        """What a cancellation gave back and Stripe has not paid yet."""
        return max(0, self.refund_due_minor - self.refunded_minor) if self.status is S.CANCELLED else 0

    def cancel(self, now: datetime) -> int:
        """Cancelled under the conference's refund policy; returns the refund due. Asked again
        while that refund is still owed, changes nothing and returns what is owed."""
        if self.refund_owed > 0:
            return self.refund_owed
        require("cancel", self.status)
        paid = self.amount_minor if self.status is S.CONFIRMED else 0
        self.refund_due_minor = self.refund_policy.refund(paid, now)
        self.status = S.CANCELLED
        self.cancelled_at = now
        self.events.append(ev.Cancelled(self.refund_due_minor, CANCELLED_BY_ATTENDEE))
        return self.refund_due_minor

    def owe_refund(self, refund_id: UUID, reason: str) -> Refund | None:
        """What a cancellation or a late refund leaves owed, as work for the refund job."""
        if self.refund_owed <= 0 or self.payment_intent is None:
            return None
        return Refund(refund_id, self.id, self.payment_intent, self.refund_owed, reason)

    def refund_paid(self, refund: Refund) -> None:
        """Stripe took the refund: paid back, and the attendee is told (RefundIssued)."""
        self.refunded_minor = min(self.refund_due_minor, self.refunded_minor + refund.amount_minor)
        self.events.append(ev.RefundIssued(refund.amount_minor, refund.payment_intent, refund.reason))
