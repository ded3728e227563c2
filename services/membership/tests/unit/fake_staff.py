"""Staff accounts and credentials kept in the fake store, as `adapters/repository/staff.py` keeps them."""

import copy
import dataclasses
from datetime import datetime
from uuid import UUID

from convene_contracts.membership import StaffRole
from membership.domain.errors import Conflict
from membership.domain.staff import Credential, StaffMember

from .fake_store import FakeStore


class FakeStaff:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def any(self) -> bool:
        return bool(self.store.staff)

    async def add(self, staff: StaffMember) -> None:
        if any(s.email.lower() == staff.email.lower() for s in self.store.staff.values()):
            raise Conflict("a staff member has this email address already", "email")
        self.store.staff[staff.id] = copy.deepcopy(staff)

    async def save(self, staff: StaffMember) -> None:
        self.store.staff[staff.id] = dataclasses.replace(copy.deepcopy(staff), changes=[])

    async def get(self, staff_id: UUID, *, lock: bool = False) -> StaffMember | None:
        found = self.store.staff.get(staff_id)
        return copy.deepcopy(found) if found else None

    async def by_email(self, email: str) -> StaffMember | None:
        found = [s for s in self.store.staff.values() if s.email.lower() == email.lower()]
        return copy.deepcopy(found[0]) if found else None

    async def count_owners(self) -> int:
        return sum(1 for s in self.store.staff.values() if s.role == StaffRole.OWNER and s.active)

    async def all(self) -> list[StaffMember]:
        return [copy.deepcopy(s) for s in self.store.staff.values()]

    async def add_credential(self, credential: Credential, token_sha256: bytes | None) -> None:
        self.store.credentials[credential.id] = credential

    async def credential(self, credential_id: UUID) -> Credential | None:
        found: Credential | None = self.store.credentials.get(credential_id)
        return found

    async def credentials_of(self, staff_id: UUID) -> list[Credential]:
        return [c for c in self.store.credentials.values() if c.staff_id == staff_id]

    async def revoke(
        self, staff_id: UUID, at: datetime, kinds: tuple[str, ...], only: UUID | None = None
    ) -> list[UUID]:
        revoked = []
        for c in list(self.store.credentials.values()):
            live = c.revoked_at is None and c.staff_id == staff_id and c.kind in kinds
            if live and (only is None or c.id == only):
                self.store.credentials[c.id] = dataclasses.replace(c, revoked_at=at)
                revoked.append(c.id)
        return revoked
