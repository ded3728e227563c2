"""The fake repository of member imports (M12) over the unit tier's `FakeStore`."""

import copy
from datetime import datetime
from typing import Any
from uuid import UUID

from membership.domain.model import Member, Membership, Seat
from membership.service_layer.import_plan import Held

from .fake_store import FakeStore


class FakeImports:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def add(self, import_id: UUID, values: dict[str, Any], rows: list[tuple[int, dict[str, Any]]]) -> None:
        self.store.imports[import_id] = copy.deepcopy(values) | {
            "id": import_id,
            "status": "checked",
            "send_invitations": False,
            "total": len(rows),
            "done": 0,
            "applied": {},
            "started_at": None,
            "rows": [{"row": n, "record": copy.deepcopy(r), "done": False} for n, r in rows],
        }

    async def get(self, import_id: UUID, *, lock: bool = False) -> dict[str, Any] | None:
        found = self.store.imports.get(import_id)
        return None if found is None else {k: copy.deepcopy(v) for k, v in found.items() if k != "rows"}

    async def records(self, import_id: UUID) -> list[dict[str, Any]]:
        return [copy.deepcopy(r["record"]) for r in self.store.imports[import_id]["rows"]]

    async def set_report(self, import_id: UUID, report: dict[str, Any]) -> None:
        self.store.imports[import_id]["report"] = copy.deepcopy(report)

    async def queue(self, import_id: UUID, send_invitations: bool, at: datetime) -> None:
        self.store.imports[import_id] |= {"status": "queued", "send_invitations": send_invitations, "started_at": at}

    async def claim(self, batch: int) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        queued = [i for i in self.store.imports.values() if i["status"] == "queued"]
        if not queued:
            return None
        found = queued[0]
        rows = [copy.deepcopy(r["record"]) for r in found["rows"] if not r["done"]][:batch]
        got = await self.get(found["id"])
        assert got is not None
        return got, rows

    async def mark_done(self, import_id: UUID, row_numbers: list[int], applied: dict[str, int], at: datetime) -> None:
        found = self.store.imports[import_id]
        for row in found["rows"]:
            if row["row"] in row_numbers:
                row["done"] = True
        found["done"] += len(row_numbers)
        found["applied"] = dict(applied)
        if found["done"] >= found["total"]:
            found["status"] = "done"

    async def held(self, keys: dict[str, tuple[str | None, str]]) -> dict[str, Held]:
        found: dict[str, Held] = {}
        for key, (source_id, email) in keys.items():
            by_source = [i for i, s in self.store.source_ids.items() if source_id and s == source_id]
            members = by_source or [m.id for m in self.store.members.values() if m.email == email]
            ms = [m for m in self.store.memberships.values() if self.store.import_keys.get(m.id) == key]
            m = ms[0] if ms else None
            member_id = members[0] if members else (m.member_id if m else None)
            holders = frozenset(r["seat"].email for r in self.store.seats.values() if m and r["membership_id"] == m.id)
            found[key] = Held(
                member_id,
                self.store.members[member_id].name if member_id else None,
                m.id if m else None,
                m.level_id if m else None,
                m.status if m else None,
                m.period_end if m else None,
                m.organization_name if m else None,
                holders,
                self.store.members[member_id].email if member_id else None,
            )
        return found

    async def put_members(self, members: list[tuple[Member, str | None, bool]]) -> None:
        for member, source_id, _ in members:
            self.store.members[member.id] = member
            if source_id:
                self.store.source_ids.setdefault(member.id, source_id)

    async def put_memberships(self, memberships: list[tuple[Membership, str, bool]]) -> None:
        for m, import_key, _ in memberships:
            self.store.memberships[m.id] = copy.deepcopy(m)
            self.store.import_keys[m.id] = import_key

    async def add_seats(self, seats: list[tuple[UUID, Seat]]) -> set[UUID]:
        added = set()
        for membership_id, seat in seats:
            rows = self.store.seats.values()
            if any(r["membership_id"] == membership_id and r["seat"].email == seat.email for r in rows):
                continue
            self.store.seats[seat.id] = {"membership_id": membership_id, "seat": seat, "removed_at": None}
            added.add(seat.id)
        return added
