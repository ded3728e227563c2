"""Staff accounts: the people who run the association's account, and what each role may do.

Plain data and rules; the service layer hashes passwords and turns changes into events.
"""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from convene_contracts.membership import StaffRole
from membership.domain.errors import Conflict


@dataclass
class StaffMember:
    id: UUID
    email: str
    name: str
    role: StaffRole
    password_hash: str
    changed_at: datetime
    active: bool = True
    totp_secret: str | None = None
    changes: list[str] = field(default_factory=list)  # what changed since loaded, for the audit log

    def change_role(self, role: StaffRole, at: datetime, owners_left: int) -> bool:
        """False when nothing changes. The last owner cannot stop being one: nobody would manage staff."""
        if role == self.role:
            return False
        if self.role == StaffRole.OWNER and owners_left <= 1:
            raise Conflict("the association needs at least one owner", "role")
        self.changes.append(f"role {self.role.value} -> {role.value}")
        self.role, self.changed_at = role, at
        return True

    def rename(self, name: str, at: datetime) -> None:
        if name != self.name:
            self.changes.append("name changed")
            self.name, self.changed_at = name, at

    def remove(self, at: datetime, owners_left: int) -> None:
        if not self.active:
            raise Conflict("this staff member was removed already")
        if self.role == StaffRole.OWNER and owners_left <= 1:
            raise Conflict("the association needs at least one owner")
        self.changes.append("removed")
        self.active, self.changed_at = False, at


@dataclass(frozen=True)
class Credential:
    """A session (signed in on the pages) or an API token of one staff member."""

    id: UUID
    staff_id: UUID
    kind: str  # "session" or "api_token"
    label: str
    created_at: datetime
    client: str = ""
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class Actor:
    """Who is doing something, and from where: a staff member on a page or with an API token."""

    staff_id: UUID
    name: str
    role: StaffRole
    client: str = ""

    def may_manage(self, staff_id: UUID) -> bool:
        """Owners manage everyone's credentials; everyone else only their own."""
        return self.role == StaffRole.OWNER or self.staff_id == staff_id
