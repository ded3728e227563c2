"""Every service's retention rules (the chassis' own included), on its own migrated database: each
names a period its settings have, and each plain DELETE finds its rows through an index (with
sequential scans off, a plan that still scans the table has no index to use)."""

from datetime import timedelta

import asyncpg
import pytest

from conference.bootstrap import SPEC as CONFERENCE
from convene_delivery.migrations import migrate
from convene_service.runtime import CHASSIS_RULES, migration_sources
from convene_service.spec import ServiceSpec
from membership.bootstrap import SPEC as MEMBERSHIP
from notifications.bootstrap import SPEC as NOTIFICATIONS

SPECS = [MEMBERSHIP, CONFERENCE, NOTIFICATIONS]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_each_rule_names_a_period_of_its_services_settings(spec: ServiceSpec) -> None:
    for rule in (*CHASSIS_RULES, *spec.retention):
        assert rule.period_setting in spec.settings_class.model_fields, f"{spec.name}: {rule.what}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
async def test_each_plain_rule_deletes_by_an_index(spec: ServiceSpec, database: str) -> None:
    conn = await asyncpg.connect(database)
    try:
        await migrate(conn, migration_sources(spec))
        async with conn.transaction():
            await conn.execute("SET LOCAL enable_seqscan = off")
            for rule in (*CHASSIS_RULES, *spec.retention):
                if rule.statement is None:
                    continue  # a service's own function: its tests EXPLAIN it
                plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {rule.statement}", timedelta(days=7), 1000))
                assert "Seq Scan" not in plan, f"{spec.name}, {rule.what}:\n{plan}"
    finally:
        await conn.close()


def test_membership_and_conference_prune_their_stripe_event_ids() -> None:
    assert [rule.what for rule in CONFERENCE.retention] == ["stripe_events by received_at"]
    # membership also prunes the exports it gathered (docs/privacy.md) and the files it checked for import
    assert [rule.what for rule in MEMBERSHIP.retention] == [
        "stripe_events by received_at",
        "export_requests by requested_at",
        "export_parts by received_at",
        "member_imports by checked_at",
    ]
