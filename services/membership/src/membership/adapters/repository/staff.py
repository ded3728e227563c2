"""Staff accounts and their credentials (docs/staff.md): only hashes of passwords and tokens."""

from datetime import datetime
from uuid import UUID

import asyncpg

from convene_contracts.membership import StaffRole
from membership.adapters.transaction import Transaction
from membership.domain.errors import Conflict
from membership.domain.staff import Credential, StaffMember


def staff_of(row: asyncpg.Record) -> StaffMember:
    return StaffMember(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=StaffRole(row["role"]),
        password_hash=row["password_hash"],
        changed_at=row["changed_at"],
        active=row["active"],
        totp_secret=row["totp_secret"],
    )


def credential_of(row: asyncpg.Record) -> Credential:
    return Credential(
        id=row["id"],
        staff_id=row["staff_id"],
        kind=row["kind"],
        label=row["label"],
        created_at=row["created_at"],
        client=row["client"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
    )


class SqlStaff:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def any(self) -> bool:
        # The lock keeps two first-owner requests at once from both finding no staff.
        await self.conn.execute("LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE")
        return bool(await self.conn.fetchval("SELECT EXISTS (SELECT 1 FROM staff)"))

    async def add(self, staff: StaffMember) -> None:
        try:
            await self.conn.execute(
                """INSERT INTO staff (id, email, name, role, active, password_hash, totp_secret, changed_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
                staff.id,
                staff.email,
                staff.name,
                staff.role.value,
                staff.active,
                staff.password_hash,
                staff.totp_secret,
                staff.changed_at,
            )
        except asyncpg.UniqueViolationError:
            raise Conflict("a staff member has this email address already", "email") from None

    async def save(self, staff: StaffMember) -> None:
        await self.conn.execute(
            """UPDATE staff SET name = $2, role = $3, active = $4, password_hash = $5, totp_secret = $6,
                   changed_at = $7 WHERE id = $1""",
            staff.id,
            staff.name,
            staff.role.value,
            staff.active,
            staff.password_hash,
            staff.totp_secret,
            staff.changed_at,
        )

    async def get(self, staff_id: UUID, *, lock: bool = False) -> StaffMember | None:
        if lock:
            row = await self.conn.fetchrow("SELECT * FROM staff WHERE id = $1 FOR UPDATE", staff_id)
        else:
            row = await self.conn.fetchrow("SELECT * FROM staff WHERE id = $1", staff_id)
        return staff_of(row) if row else None

    async def by_email(self, email: str) -> StaffMember | None:
        row = await self.conn.fetchrow("SELECT * FROM staff WHERE lower(email) = lower($1)", email)
        return staff_of(row) if row else None

    async def count_owners(self) -> int:
        # Locks the owners' rows, so two owners removing each other at once cannot leave none.
        rows = await self.conn.fetch("SELECT id FROM staff WHERE role = 'owner' AND active FOR UPDATE")
        return len(rows)

    async def all(self) -> list[StaffMember]:
        return [staff_of(r) for r in await self.conn.fetch("SELECT * FROM staff ORDER BY lower(name)")]

    async def add_credential(self, credential: Credential, token_sha256: bytes | None) -> None:
        await self.conn.execute(
            """INSERT INTO staff_credentials (id, staff_id, kind, label, token_sha256, client, created_at, expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            credential.id,
            credential.staff_id,
            credential.kind,
            credential.label,
            token_sha256,
            credential.client,
            credential.created_at,
            credential.expires_at,
        )

    async def credential(self, credential_id: UUID) -> Credential | None:
        row = await self.conn.fetchrow("SELECT * FROM staff_credentials WHERE id = $1", credential_id)
        return credential_of(row) if row else None

    async def credentials_of(self, staff_id: UUID) -> list[Credential]:
        rows = await self.conn.fetch(
            "SELECT * FROM staff_credentials WHERE staff_id = $1 ORDER BY created_at DESC", staff_id
        )
        return [credential_of(r) for r in rows]

    async def revoke(
        self, staff_id: UUID, at: datetime, kinds: tuple[str, ...], only: UUID | None = None
    ) -> list[UUID]:
        """Revokes the staff member's live credentials of these kinds (or just `only`); their ids."""
        rows = await self.conn.fetch(
            """UPDATE staff_credentials SET revoked_at = $2
               WHERE staff_id = $1 AND revoked_at IS NULL AND kind = ANY($3::text[]) AND ($4::uuid IS NULL OR id = $4)
               RETURNING id""",
            staff_id,
            at,
            list(kinds),
            only,
        )
        return [r["id"] for r in rows]
