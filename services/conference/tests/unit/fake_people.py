"""The unit tier's erasure: registrations' payers found by the digest of their address."""

import dataclasses
from datetime import datetime
from uuid import UUID

from convene_contracts.privacy import email_digest, erased_address

from .fake_state import State


class FakePeople:
    def __init__(self, s: State) -> None:
        self.s = s

    async def payer_of(self, registration_id: UUID) -> str | None:
        found = self.s.registrations.get(registration_id)
        return None if found is None else found.payer_email

    async def attendee_address(self, attendee_id: UUID) -> str | None:
        found = self.s.attendees.get(attendee_id)
        return None if found is None else str(found["email"])

    async def erase(self, email_sha256: str, at: datetime) -> int:
        erased = 0
        for registration_id, r in list(self.s.registrations.items()):
            if email_digest(r.payer_email) == email_sha256:
                self.s.registrations[registration_id] = dataclasses.replace(r, payer_email=erased_address(r.id))
                self.s.payers[registration_id]["payer_name"] = "Erased person"
                erased += 1
        return erased
