"""Sign-in links and member sessions (M9), stored only as SHA-256 hashes of their tokens."""

from datetime import datetime
from uuid import UUID

from membership.adapters.transaction import Transaction


class SqlSessions:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def add_link(self, token_sha256: bytes, member_id: UUID, expires_at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO sign_in_links (token_sha256, member_id, expires_at) VALUES ($1, $2, $3)",
            token_sha256,
            member_id,
            expires_at,
        )

    async def use_link(self, token_sha256: bytes, now: datetime) -> UUID | None:
        """Marks a valid link used and returns its member; None if unknown, used or expired."""
        member_id: UUID | None = await self.conn.fetchval(
            """UPDATE sign_in_links SET used_at = $2
               WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > $2 RETURNING member_id""",
            token_sha256,
            now,
        )
        return member_id

    async def add_session(self, token_sha256: bytes, member_id: UUID, expires_at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO member_sessions (token_sha256, member_id, expires_at) VALUES ($1, $2, $3)",
            token_sha256,
            member_id,
            expires_at,
        )

    async def end_all_of(self, member_id: UUID) -> None:
        """Every link and session of the member: nobody signs in as them again."""
        await self.conn.execute("DELETE FROM sign_in_links WHERE member_id = $1", member_id)
        await self.conn.execute("DELETE FROM member_sessions WHERE member_id = $1", member_id)
