"""`convene-admin` on the real stack: migrations, the outboxes, the reports' numbers on a small
seeded set, and a person's export and erasure through membership's API."""

import csv
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import httpx
import pytest

from tests.e2e.test_erasure import pay_offline, person
from tests.support.databases import create_database, drop_database
from tests.support.services import OPERATOR, Stack
from tests.support.smtp import SmtpServer

from .operator_cli import admin, stack_settings


async def test_migrate_applies_each_file_once(database: str) -> None:
    first = await admin("migrate", "--service", "membership", MEMBERSHIP_DATABASE_URL=database)
    assert first.code == 0, first.err
    assert "membership: applied delivery/0001_outbox_and_inbox.sql" in first.out
    assert "membership: applied chassis/0001_rate_limits.sql" in first.out
    assert "membership: applied membership/0001_levels_members_memberships.sql" in first.out
    again = await admin("migrate", "--service", "membership", MEMBERSHIP_DATABASE_URL=database)
    assert (again.code, again.out.strip()) == (0, "membership: up to date")
    refused = await admin("migrate", "--service", "membership", MEMBERSHIP_DATABASE_URL=database + "_missing")
    assert refused.code == 1
    assert "membership: migrations failed" in refused.err


async def test_outbox_status_names_each_service_and_its_relay_leader(stack: Stack) -> None:
    answer = await admin("outbox", "status", **stack_settings(stack))
    assert answer.code == 0, answer.err
    header, *lines = answer.out.splitlines()
    assert header.split("\t") == ["service", "unpublished", "oldest_age_seconds", "relay_leader"]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines}
    assert set(rows) == {"membership", "conference", "notifications"}
    for _, unpublished, age, leader in rows.values():
        assert int(unpublished) >= 0
        assert age == "-" or float(age) >= 0
        assert leader.startswith("pid "), leader  # each running service's relay holds the lock


@pytest.fixture
async def seeded() -> AsyncIterator[dict[str, str]]:
    """Membership and conference databases of their own, migrated by the command line, with a
    few members, payments and registrations whose sums are known."""
    membership, conference = await create_database("ops_m"), await create_database("ops_c")
    settings = {"MEMBERSHIP_DATABASE_URL": membership, "CONFERENCE_DATABASE_URL": conference}
    migrated = await admin("migrate", "--service", "membership", **settings)
    assert migrated.code == 0, migrated.err
    migrated = await admin("migrate", "--service", "conference", **settings)
    assert migrated.code == 0, migrated.err
    conn = await asyncpg.connect(membership)
    try:
        await conn.execute(MEMBERSHIP_SEED)
    finally:
        await conn.close()
    conn = await asyncpg.connect(conference)
    try:
        await conn.execute(CONFERENCE_SEED)
    finally:
        await conn.close()
    yield settings
    await drop_database(membership)
    await drop_database(conference)


MEMBERSHIP_SEED = """
INSERT INTO levels (id, name, price_minor, currency, term, kind, seat_count) VALUES
  ('00000000-0000-0000-0000-00000000000a', 'Individual', 7500, 'usd', 'annual', 'individual', NULL),
  ('00000000-0000-0000-0000-00000000000b', 'Agency', 50000, 'usd', 'annual', 'organizational', 5);
INSERT INTO members (id, name, email, erased_at) VALUES
  ('00000000-0000-0000-0000-000000000001', 'Ada', 'ada@example.org', NULL),
  ('00000000-0000-0000-0000-000000000002', 'Bea', 'bea@example.org', NULL),
  ('00000000-0000-0000-0000-000000000003', 'Cy', 'cy@example.org', NULL),
  ('00000000-0000-0000-0000-000000000004', 'Erased person', 'erased@erased.invalid', now());
INSERT INTO memberships (id, member_id, level_id, status) VALUES
  ('00000000-0000-0000-0000-000000000011', '00000000-0000-0000-0000-000000000001',
   '00000000-0000-0000-0000-00000000000a', 'active'),
  ('00000000-0000-0000-0000-000000000012', '00000000-0000-0000-0000-000000000002',
   '00000000-0000-0000-0000-00000000000a', 'lapsed'),
  ('00000000-0000-0000-0000-000000000013', '00000000-0000-0000-0000-000000000003',
   '00000000-0000-0000-0000-00000000000b', 'active'),
  ('00000000-0000-0000-0000-000000000014', '00000000-0000-0000-0000-000000000004',
   '00000000-0000-0000-0000-00000000000a', 'active');
INSERT INTO dues_payments (id, membership_id, amount_minor, currency, method, reference, paid_at, refunded_minor)
VALUES
  (gen_random_uuid(), '00000000-0000-0000-0000-000000000011', 7500, 'usd', 'stripe', 'pi_1', '2026-01-15T10:00Z', 0),
  (gen_random_uuid(), '00000000-0000-0000-0000-000000000012', 7500, 'usd', 'cheque', 'C1', '2026-01-31T23:30Z', 2500),
  (gen_random_uuid(), '00000000-0000-0000-0000-000000000013', 50000, 'usd', 'stripe', 'pi_2', '2026-02-03T09:00Z', 0);
"""

CONFERENCE_SEED = """
INSERT INTO conferences (id, name, time_zone, starts_on, ends_on, registration_opens_at, registration_closes_at,
                         currency)
VALUES ('00000000-0000-0000-0000-0000000000c1', 'Annual', 'UTC', '2026-06-01', '2026-06-03',
        '2026-01-01T00:00Z', '2026-05-31T00:00Z', 'usd');
INSERT INTO registrations (id, conference_id, status, payer_name, payer_email, amount_minor, currency,
                           hold_expires_at, confirmed_at, refunded_minor)
VALUES
  (gen_random_uuid(), '00000000-0000-0000-0000-0000000000c1', 'confirmed', 'Ada', 'ada@example.org', 20000, 'usd',
   '2026-02-10T10:15Z', '2026-02-10T10:05Z', 0),
  (gen_random_uuid(), '00000000-0000-0000-0000-0000000000c1', 'cancelled', 'Bea', 'bea@example.org', 12000, 'usd',
   '2026-02-11T10:15Z', '2026-02-11T10:05Z', 12000),
  (gen_random_uuid(), '00000000-0000-0000-0000-0000000000c1', 'held', 'Cy', 'cy@example.org', 9000, 'usd',
   '2026-02-12T10:15Z', NULL, 0),
  (gen_random_uuid(), '00000000-0000-0000-0000-0000000000c1', 'confirmed', 'Di', 'di@example.org', 0, 'usd',
   '2026-02-13T10:15Z', '2026-02-13T10:05Z', 0);
"""


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


async def test_the_reports_count_the_seeded_set(seeded: dict[str, str], tmp_path: Path) -> None:
    members = await admin("reports", "members", "--format", "csv", **seeded)
    assert members.code == 0, members.err
    assert rows_of(members.out) == [
        ["level", "status", "members"],
        ["Agency", "active", "1"],
        ["Individual", "active", "1"],  # the erased member is left out
        ["Individual", "lapsed", "1"],
    ]
    output = tmp_path / "revenue.csv"
    revenue = await admin("reports", "revenue", "--format", "csv", "--output", str(output), **seeded)
    assert revenue.code == 0, revenue.err
    assert revenue.out == ""
    assert rows_of(output.read_text()) == [
        ["month", "source", "currency", "paid_minor", "refunded_minor", "net_minor"],
        ["2026-01", "dues", "usd", "15000", "2500", "12500"],
        ["2026-02", "dues", "usd", "50000", "0", "50000"],
        # confirmed registrations with a payment; the held one and the free one are no revenue
        ["2026-02", "tickets", "usd", "32000", "12000", "20000"],
    ]
    table = await admin("reports", "revenue", **seeded)
    assert table.code == 0, table.err
    assert "2026-02" in table.out
    assert "50000" in table.out


async def test_person_export_writes_every_services_part_and_erase_reaches_the_member(
    stack: Stack, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    name, email = person()
    async with httpx.AsyncClient(base_url=stack.membership.url) as membership:
        await pay_offline(membership, name, email)
    settings = stack_settings(stack)
    output = tmp_path / "export.json"
    exported = await admin("person", "export", email, "--output", str(output), **settings)
    assert exported.code == 0, exported.err
    data = json.loads(output.read_text())
    assert set(data) >= {"membership", "conference", "notifications"}
    assert data["membership"]["member"]["email"] == email

    unknown = f"nobody-{uuid4().hex[:8]}@example.org"
    assert (await admin("person", "export", unknown, "--output", str(output), **settings)).code == 3
    erased = await admin("person", "erase", email, "--yes", **settings)
    assert erased.code == 0, erased.err
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as membership:
        found = await membership.get("/members", params={"q": email})
        assert found.json() == []
    assert (await admin("person", "erase", email, "--yes", **settings)).code == 3
