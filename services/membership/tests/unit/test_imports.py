"""Importing members (M12) against in-memory fakes: the dry run writes nothing, the import
publishes each membership, resumes batch by batch, and the same file twice changes nothing."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from membership.domain.errors import Invalid
from membership.domain.model import LevelKind, MembershipStatus, Term
from membership.service_layer import imports, levels
from membership.service_layer.import_job import import_next_batch
from tests.support.wild_apricot import export, row

from .fakes import World, world

S = MembershipStatus
BUNDLE = [
    row(10, "chief@agency.example", "Agency", organization="Agency", bundle="B1", role="Bundle administrator"),
    row(11, "officer@agency.example", "Agency", organization="Agency", bundle="B1", role="Bundle member"),
]
FILE = export(
    [
        row(1, "ada@example.org"),
        row(2, "grace@example.org", status="Lapsed"),
        row(3, "new@example.org", status="Pending - New"),
        row(4, "bad-address"),
        *BUNDLE,
    ]
)


async def with_levels(w: World) -> None:
    await levels.create_level(
        w.deps, name="Individual", price_minor=7500, currency="usd", term=Term.ANNUAL,
        kind=LevelKind.INDIVIDUAL, seat_count=None, description="",
    )  # fmt: skip
    await levels.create_level(
        w.deps, name="agency", price_minor=50000, currency="usd", term=Term.ANNUAL,
        kind=LevelKind.ORGANIZATIONAL, seat_count=10, description="",
    )  # fmt: skip


async def run_to_the_end(w: World, batch: int = 500) -> int:
    passes = 0
    while (await import_next_batch(w.deps, batch)).import_id is not None:
        passes += 1
    return passes


async def test_the_dry_run_counts_each_outcome_and_writes_no_member() -> None:
    w = world()
    await with_levels(w)
    report = await imports.check(w.deps, FILE, "contacts.csv", None)
    assert report["counts"] == {"new": 5, "updated": 0, "unchanged": 0, "refused": 1}
    assert report["refused"] == [{"row": 5, "column": "Email", "reason": "'bad-address' is not an email address"}]
    assert (w.store.members, w.store.memberships, w.store.outbox) == ({}, {}, [])


async def test_unknown_levels_are_proposed_and_created_when_the_operator_confirms() -> None:
    w = world()
    report = await imports.check(w.deps, FILE, "contacts.csv", None)
    assert report["proposed_levels"] == [
        {"name": "Agency", "rows": 1, "organizational": True, "seat_count": 1},
        {"name": "Individual", "rows": 3, "organizational": False, "seat_count": None},
    ]
    with pytest.raises(Invalid, match="6 rows are refused"):
        await imports.start(w.deps, report_id(report), send_invitations=False, leave_out_refused=False)
    again = await imports.create_proposed_levels(w.deps, report_id(report), "cad")
    assert again["counts"] == {"new": 5, "updated": 0, "unchanged": 0, "refused": 1}
    assert {lv.name: (lv.kind, lv.price_minor, lv.currency) for lv in await levels.list_levels(w.deps)} == {
        "Agency": (LevelKind.ORGANIZATIONAL, 0, "cad"),
        "Individual": (LevelKind.INDIVIDUAL, 0, "cad"),
    }


def report_id(report: dict[str, Any]) -> UUID:
    return UUID(report["id"])


async def test_the_import_carries_statuses_and_dates_over_publishes_quietly_and_twice_changes_nothing() -> None:
    w = world()
    await with_levels(w)
    report = await imports.check(w.deps, FILE, "contacts.csv", None)
    await imports.start(w.deps, report_id(report), send_invitations=False, leave_out_refused=True)
    assert await run_to_the_end(w, batch=2) == 3  # six rows, two per batch: resumable between them
    statuses = {w.store.members[m.member_id].email: (m.status, m.period_end) for m in w.store.memberships.values()}
    due = datetime(2027, 6, 30, 4, tzinfo=UTC)  # midnight in Toronto
    assert statuses == {
        "ada@example.org": (S.ACTIVE, due),
        "grace@example.org": (S.LAPSED, due),
        "new@example.org": (S.PENDING, None),
        "chief@agency.example": (S.ACTIVE, due),
    }
    assert [r["seat"].email for r in w.store.seats.values()] == ["officer@agency.example"]
    assert sorted(w.event_types()) == sorted(
        ["membership.activated", "membership.lapsed", "membership.member_joined", "membership.activated",
         "membership.seat_assigned"]
    )  # fmt: skip
    assert all(e.payload.notify_member is False for e in w.store.outbox)  # type: ignore[attr-defined]
    assert all(e.payload.amount_minor == 0 for e in w.store.outbox if e.event_type == "membership.activated")  # type: ignore[attr-defined]
    progress = await imports.progress(w.deps, report_id(report))
    assert (progress["status"], progress["done"], progress["applied"]) == (
        "done",
        5,  # the refused row is not among the rows to import
        {"new": 5},
    )

    second = await imports.check(w.deps, FILE, "contacts.csv", None)
    assert second["counts"] == {"new": 0, "updated": 0, "unchanged": 5, "refused": 1}
    await imports.start(w.deps, report_id(second), send_invitations=False, leave_out_refused=True)
    published = len(w.store.outbox)
    await run_to_the_end(w)
    assert len(w.store.outbox) == published
    assert len(w.store.memberships) == 4


async def test_a_changed_row_updates_its_membership_and_the_invitation_is_the_operators_choice() -> None:
    w = world()
    await with_levels(w)
    first = await imports.check(w.deps, export([row(1, "ada@example.org")]), "a.csv", None)
    await imports.start(w.deps, report_id(first), send_invitations=False, leave_out_refused=False)
    await run_to_the_end(w)
    changed = export([row(1, "ada.lovelace@example.org", status="Lapsed", first="Augusta")])
    second = await imports.check(w.deps, changed, "b.csv", None)
    assert second["counts"] == {"new": 0, "updated": 1, "unchanged": 0, "refused": 0}
    await imports.start(w.deps, report_id(second), send_invitations=True, leave_out_refused=False)
    await run_to_the_end(w)
    [membership] = w.store.memberships.values()
    assert membership.status is S.LAPSED
    assert w.store.members[membership.member_id].name == "Augusta Lovelace"  # found by User ID, not address
    assert w.store.outbox[-1].payload.notify_member is True  # type: ignore[attr-defined]
