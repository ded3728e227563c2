"""A member's export requests and the parts other services sent for them (M10)."""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from membership.adapters.transaction import Transaction


class SqlExports:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def add(self, request_id: UUID, member_id: UUID, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO export_requests (id, member_id, requested_at) VALUES ($1, $2, $3)", request_id, member_id, at
        )

    async def parts(self, request_id: UUID, member_id: UUID) -> dict[str, Any] | None:
        """The parts arrived so far, by service; None when the member made no such request."""
        mine = await self.conn.fetchval(
            "SELECT true FROM export_requests WHERE id = $1 AND member_id = $2", request_id, member_id
        )
        if not mine:
            return None
        rows = await self.conn.fetch("SELECT service, data FROM export_parts WHERE request_id = $1", request_id)
        return {r["service"]: json.loads(r["data"]) for r in rows}

    async def forget_of(self, member_id: UUID) -> None:
        """Erasure: the gathered parts are the person's data."""
        await self.conn.execute(
            "DELETE FROM export_parts WHERE request_id IN (SELECT id FROM export_requests WHERE member_id = $1)",
            member_id,
        )
        await self.conn.execute("DELETE FROM export_requests WHERE member_id = $1", member_id)
