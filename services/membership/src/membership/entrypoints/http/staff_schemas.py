"""What the staff API accepts and returns (docs/staff.md). Passwords and tokens are never returned,
except a new API token, once, in the answer that creates it."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from convene_contracts.membership import StaffRole
from convene_service.inputs import EmailAddress as Email
from convene_service.inputs import Line, Name, Patch
from membership.domain.staff import Credential, StaffMember
from membership.entrypoints.http.schemas import Input

Password = Field(min_length=12, max_length=200, description="At least 12 characters; kept only as an Argon2 hash.")


class FirstOwnerIn(Input):
    email: Email
    name: Name
    password: str = Password


class StaffIn(Input):
    email: Email
    name: Name
    role: StaffRole
    password: str = Password


class StaffEdit(Patch):
    """A new role signs the person out of every session, in every service."""

    role: StaffRole | None = None
    name: Name | None = None


class ApiTokenIn(Input):
    label: Line = Field(min_length=1, description="What the token is for, e.g. 'check-in scanners'.")


class StaffOut(BaseModel):
    id: UUID
    email: str
    name: str
    role: StaffRole
    active: bool
    second_step: bool = Field(description="Whether signing in asks for an authenticator code.")

    @classmethod
    def of(cls, s: StaffMember) -> "StaffOut":
        return cls(
            id=s.id, email=s.email, name=s.name, role=s.role, active=s.active, second_step=s.totp_secret is not None
        )


class CredentialOut(BaseModel):
    id: UUID
    staff_id: UUID
    kind: Literal["session", "api_token"]
    label: str
    client: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, c: Credential) -> "CredentialOut":
        kind: Literal["session", "api_token"] = "session" if c.kind == "session" else "api_token"
        return cls(
            id=c.id,
            staff_id=c.staff_id,
            kind=kind,
            label=c.label,
            client=c.client,
            created_at=c.created_at,
            expires_at=c.expires_at,
            revoked_at=c.revoked_at,
        )


class IssuedTokenOut(BaseModel):
    credential: CredentialOut
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown this once only.")


class FirstOwnerOut(BaseModel):
    staff: StaffOut
    api_token: IssuedTokenOut


class AuditEntryOut(BaseModel):
    recorded_at: datetime
    service: str
    staff_id: UUID | None = Field(description="None: the bootstrap operator token.")
    staff_name: str
    action: str
    target: str
    summary: str
    client: str = Field(description="The client address the change came from.")


class SecondStepProposal(BaseModel):
    secret: str = Field(description="Base32; add it to an authenticator app, or scan the address.")
    otpauth_uri: str


class SecondStepIn(Input):
    secret: str = Field(pattern=r"^[A-Z2-7]{16,64}$", description="The proposal's secret.")
    code: str = Field(min_length=6, max_length=8, pattern=r"^[0-9 ]+$")
