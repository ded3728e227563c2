"""A place on a sold-out ticket type's waitlist (C7), and the offer of a freed seat made to it.

Plain Python, no I/O. A freed seat's capacity units stay taken and are offered to the first
person waiting, with a claim link valid for a while; claimed, they become that person's
registration; unclaimed, they pass to the next person (or back to sale).
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from conference.domain import events as ev
from conference.domain.errors import RegistrationRefused

UNKNOWN_OFFER = "this offer is unknown, claimed already or expired"


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"  # a seat is kept for this person until offer_expires_at
    CLAIMED = "claimed"
    EXPIRED = "expired"  # the offer was not claimed in time and passed on


def token_hash(token: str) -> bytes:
    """Only the claim link's hash is kept: the database never holds a usable link."""
    return hashlib.sha256(token.encode()).digest()


@dataclass
class WaitlistEntry:
    id: UUID
    conference_id: UUID
    ticket_type_id: UUID
    name: str
    email: str
    status: WaitlistStatus = WaitlistStatus.WAITING
    offer_token_sha256: bytes | None = None
    offer_expires_at: datetime | None = None
    offered_shards: list[list[Any]] | None = None
    events: list[ev.OfferEvent] = field(default_factory=list)

    def offer(self, shards: list[list[Any]], expires_at: datetime) -> str:
        """Keeps the freed units for this person; returns the claim link's secret."""
        if self.status is not WaitlistStatus.WAITING:
            raise RegistrationRefused("status", f"a {self.status} waitlist entry cannot be offered a seat")
        token = secrets.token_urlsafe(24)
        self.status = WaitlistStatus.OFFERED
        self.offer_token_sha256 = token_hash(token)
        self.offer_expires_at = expires_at
        self.offered_shards = shards
        self.events.append(ev.OfferMade(token, expires_at))
        return token

    def is_open(self, now: datetime) -> bool:
        """Still offered and in time."""
        return (
            self.status is WaitlistStatus.OFFERED and self.offer_expires_at is not None and now < self.offer_expires_at
        )

    def claim(self, token: str, now: datetime) -> list[list[Any]]:
        """The person takes the kept seat with the link's secret; returns the kept units."""
        if not self.is_open(now) or self.offer_token_sha256 != token_hash(token) or self.offered_shards is None:
            raise RegistrationRefused("token", UNKNOWN_OFFER)
        self.status = WaitlistStatus.CLAIMED
        self.events.append(ev.OfferClaimed(self.ticket_type_id, self.offered_shards))
        return self.offered_shards

    def pass_on(self, now: datetime) -> None:
        """The offer ran out unclaimed: its units go to the next person waiting, or back to sale."""
        due = self.offer_expires_at is not None and now >= self.offer_expires_at
        if self.status is not WaitlistStatus.OFFERED or not due or self.offered_shards is None:
            raise RegistrationRefused("status", "only an offer past its deadline passes on")
        self.status = WaitlistStatus.EXPIRED
        self.events.append(ev.OfferPassedOn(self.ticket_type_id, self.offered_shards))
