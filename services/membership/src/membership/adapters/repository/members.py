"""Members: the people who hold memberships, their Stripe customer, and their erasure (M10)."""

from datetime import datetime
from uuid import UUID

from membership.adapters.transaction import Transaction
from membership.domain.model import Member


class SqlMembers:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def by_email(self, email: str) -> Member | None:
        row = await self.conn.fetchrow("SELECT id, name, email FROM members WHERE email = $1", email)
        return None if row is None else Member(row["id"], row["name"], row["email"])

    async def get(self, member_id: UUID) -> Member | None:
        row = await self.conn.fetchrow("SELECT id, name, email FROM members WHERE id = $1", member_id)
        return None if row is None else Member(row["id"], row["name"], row["email"])

    async def email_of(self, member_id: UUID) -> str | None:
        found: str | None = await self.conn.fetchval("SELECT email FROM members WHERE id = $1", member_id)
        return found

    async def add(self, member: Member) -> None:
        await self.conn.execute(
            "INSERT INTO members (id, name, email) VALUES ($1, $2, $3)", member.id, member.name, member.email
        )

    async def stripe_customer_of(self, member_id: UUID) -> str | None:
        found: str | None = await self.conn.fetchval("SELECT stripe_customer_id FROM members WHERE id = $1", member_id)
        return found

    async def set_stripe_customer(self, member_id: UUID, customer_id: str) -> None:
        await self.conn.execute(
            "UPDATE members SET stripe_customer_id = coalesce(stripe_customer_id, $2) WHERE id = $1",
            member_id,
            customer_id,
        )

    async def lock_for_erasure(self, member_id: UUID) -> str | None:
        """The address of a member not erased yet, locked; None when there is none."""
        found: str | None = await self.conn.fetchval(
            "SELECT email FROM members WHERE id = $1 AND erased_at IS NULL FOR UPDATE", member_id
        )
        return found

    async def pseudonymize(self, member_id: UUID, name: str, email: str, at: datetime) -> None:
        """The id stays (payments refer to it); the name and the address are replaced."""
        await self.conn.execute(
            "UPDATE members SET name = $2, email = $3, erased_at = $4 WHERE id = $1", member_id, name, email, at
        )

    async def forget_published_events(self, member_id: UUID, mentioning: str) -> None:
        """The outbox rows that went out already and carried the address: those keyed by this
        member, and those of others that name them (an organization's seat_assigned). The second
        reads the bodies of the outbox, which retention keeps to a week."""
        await self.conn.execute(
            """DELETE FROM outbox WHERE published_at IS NOT NULL
                 AND (message_key = $1 OR position(convert_to($2, 'UTF8') IN body) > 0)""",
            str(member_id),
            mentioning,
        )
