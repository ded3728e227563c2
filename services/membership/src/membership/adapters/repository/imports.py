"""Member imports (M12): the checked files, their rows and progress, and the bulk reads and
writes that apply a batch of rows in one transaction."""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from membership.adapters.transaction import Transaction
from membership.domain.model import Member, Membership, MembershipStatus, Seat
from membership.service_layer.import_plan import Held


class SqlImports:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def add(self, import_id: UUID, values: dict[str, Any], rows: list[tuple[int, dict[str, Any]]]) -> None:
        await self.conn.execute(
            """INSERT INTO member_imports (id, file_name, encoding, columns, report, status, total, checked_at)
               VALUES ($1, $2, $3, $4, $5, 'checked', $6, $7)""",
            import_id,
            values["file_name"],
            values["encoding"],
            json.dumps(values["columns"]),
            json.dumps(values["report"]),
            len(rows),
            values["checked_at"],
        )
        await (await self.conn.begin()).executemany(
            "INSERT INTO member_import_rows (import_id, row_number, seq, record) VALUES ($1, $2, $3, $4)",
            [(import_id, number, seq, json.dumps(record)) for seq, (number, record) in enumerate(rows)],
        )

    async def get(self, import_id: UUID, *, lock: bool = False) -> dict[str, Any] | None:
        if lock:
            row = await self.conn.fetchrow("SELECT * FROM member_imports WHERE id = $1 FOR UPDATE", import_id)
        else:
            row = await self.conn.fetchrow("SELECT * FROM member_imports WHERE id = $1", import_id)
        if row is None:
            return None
        found = dict(row)
        for field in ("columns", "report", "applied"):
            found[field] = json.loads(found[field])
        return found

    async def records(self, import_id: UUID) -> list[dict[str, Any]]:
        rows = await self.conn.fetch(
            "SELECT record FROM member_import_rows WHERE import_id = $1 ORDER BY row_number", import_id
        )
        return [json.loads(r["record"]) for r in rows]

    async def set_report(self, import_id: UUID, report: dict[str, Any]) -> None:
        await self.conn.execute("UPDATE member_imports SET report = $2 WHERE id = $1", import_id, json.dumps(report))

    async def queue(self, import_id: UUID, send_invitations: bool, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE member_imports SET status = 'queued', send_invitations = $2, started_at = $3 WHERE id = $1",
            import_id,
            send_invitations,
            at,
        )

    async def claim(self, batch: int) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """The oldest queued import, locked (another instance takes the next one, or waits for
        this batch), and its next rows not done."""
        import_id = await self.conn.fetchval(
            "SELECT id FROM member_imports WHERE status = 'queued' ORDER BY started_at LIMIT 1 FOR UPDATE SKIP LOCKED"
        )
        if import_id is None:
            return None
        found = await self.get(import_id)
        assert found is not None
        rows = await self.conn.fetch(
            f"""SELECT record FROM member_import_rows WHERE import_id = $1 AND NOT done
                ORDER BY seq LIMIT {int(batch)}""",  # noqa: S608 - an int from the settings
            import_id,
        )
        return found, [json.loads(r["record"]) for r in rows]

    async def mark_done(self, import_id: UUID, row_numbers: list[int], applied: dict[str, int], at: datetime) -> None:
        await self.conn.execute(
            "UPDATE member_import_rows SET done = true WHERE import_id = $1 AND row_number = ANY($2::int[])",
            import_id,
            row_numbers,
        )
        await self.conn.execute(
            """UPDATE member_imports SET done = done + $2, applied = $3,
                   status = CASE WHEN done + $2 >= total THEN 'done' ELSE status END,
                   finished_at = CASE WHEN done + $2 >= total THEN $4::timestamptz ELSE NULL END
               WHERE id = $1""",
            import_id,
            len(row_numbers),
            json.dumps(applied),
            at,
        )

    # What Convene holds already for a batch's keys.
    async def held(self, keys: dict[str, tuple[str | None, str]]) -> dict[str, Held]:
        """key -> what exists under it: the member (by source id, else address), the membership
        imported under the key, and the addresses holding its seats."""
        source_ids = [s for s, _ in keys.values() if s]
        emails = [e for _, e in keys.values()]
        members = await self.conn.fetch(
            """SELECT id, name, email, source_id FROM members
               WHERE source_id = ANY($1::text[]) OR email = ANY($2::text[])""",
            source_ids,
            emails,
        )
        by_source = {r["source_id"]: r for r in members if r["source_id"]}
        by_email = {r["email"]: r for r in members}
        memberships = {
            r["import_key"]: r
            for r in await self.conn.fetch(
                """SELECT m.id, m.member_id, m.import_key, m.level_id, m.status, m.period_end, m.organization_name,
                          coalesce(array_agg(s.email) FILTER (WHERE s.id IS NOT NULL), '{}') AS holders
                   FROM memberships m LEFT JOIN seats s ON s.membership_id = m.id AND s.removed_at IS NULL
                   WHERE m.import_key = ANY($1::text[]) GROUP BY m.id""",
                list(keys),
            )
        }
        found: dict[str, Held] = {}
        for key, (source_id, email) in keys.items():
            member = (by_source.get(source_id) if source_id else None) or by_email.get(email)
            m = memberships.get(key)
            found[key] = Held(
                member_id=member["id"] if member else (m["member_id"] if m else None),
                member_name=member["name"] if member else None,
                membership_id=m["id"] if m else None,
                level_id=m["level_id"] if m else None,
                status=MembershipStatus(m["status"]) if m else None,
                period_end=m["period_end"] if m else None,
                organization_name=m["organization_name"] if m else None,
                seat_holders=frozenset(m["holders"]) if m else frozenset(),
                member_email=member["email"] if member else None,
            )
        return found

    async def put_members(self, members: list[tuple[Member, str | None, bool]]) -> None:
        conn = await self.conn.begin()
        added = [(m.id, m.name, m.email, source) for m, source, new in members if new]
        if added:
            await conn.executemany("INSERT INTO members (id, name, email, source_id) VALUES ($1, $2, $3, $4)", added)
        changed = [(m.id, m.name, m.email, source) for m, source, new in members if not new]
        if changed:
            await conn.executemany(
                "UPDATE members SET name = $2, email = $3, source_id = coalesce(source_id, $4) WHERE id = $1", changed
            )

    async def put_memberships(self, memberships: list[tuple[Membership, str, bool]]) -> None:
        conn = await self.conn.begin()
        values = [
            (m.id, m.member_id, m.level_id, m.status.value, m.period_start, m.period_end, m.organization_name, key)
            for m, key, _ in memberships
        ]
        added = [v for v, (_, _, new) in zip(values, memberships, strict=True) if new]
        if added:
            await conn.executemany(
                """INSERT INTO memberships (id, member_id, level_id, status, period_start, period_end, auto_renew,
                                            organization_name, import_key)
                   VALUES ($1, $2, $3, $4, $5, $6, false, $7, $8)""",
                added,
            )
        changed = [v[:1] + v[2:7] for v, (_, _, new) in zip(values, memberships, strict=True) if not new]
        if changed:
            await conn.executemany(
                """UPDATE memberships SET level_id = $2, status = $3, period_start = $4, period_end = $5,
                          organization_name = $6, grace_ends_at = NULL, updated_at = now() WHERE id = $1""",
                changed,
            )

    async def add_seats(self, seats: list[tuple[UUID, Seat]]) -> set[UUID]:
        if not seats:
            return set()
        rows = await self.conn.fetch(
            """INSERT INTO seats (id, membership_id, email, name, assigned_at)
               SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
               ON CONFLICT (membership_id, email) WHERE removed_at IS NULL DO NOTHING RETURNING id""",
            [s.id for _, s in seats],
            [m for m, _ in seats],
            [s.email for _, s in seats],
            [s.name for _, s in seats],
            [s.assigned_at for _, s in seats],
        )
        return {r["id"] for r in rows}
