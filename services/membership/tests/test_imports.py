"""Importing members (M12) through the API against the real Postgres: the dry run writes no
member, the import runs as the job, carries statuses and renewal dates over, publishes through
the outbox, and the same file twice changes nothing; bad files get a 4xx naming the problem."""

import io
from typing import Any
from uuid import uuid4

import pytest
from openpyxl import Workbook

from tests.support.waiting import wait_until
from tests.support.wild_apricot import HEADER, export, row

from .conftest import OPERATOR, Membership, running


def wa_file(domain: str) -> bytes:
    return export(
        [
            row(1, f"ada@{domain}"),
            row(2, f"grace@{domain}", status="Lapsed"),
            row(3, f"chief@{domain}", "Agency", organization="Agency", bundle="B1", role="Bundle administrator"),
            row(4, f"officer@{domain}", "Agency", organization="Agency", bundle="B1", role="Bundle member"),
        ],
        delimiter=";",
    )


async def upload(service: Membership, data: bytes, **query: str) -> Any:
    return await service.client.post("/imports", content=data, params=query, headers=OPERATOR)


async def imported(service: Membership, data: bytes) -> dict[str, Any]:
    checked = await upload(service, data, file_name="contacts.csv")
    assert checked.status_code == 201, checked.text
    started = await service.client.post(f"/imports/{checked.json()['id']}/start", json={}, headers=OPERATOR)
    assert started.status_code == 202, started.text

    async def finished() -> bool:
        progress = await service.client.get(f"/imports/{checked.json()['id']}", headers=OPERATOR)
        return bool(progress.json()["status"] == "done")

    await wait_until(finished, seconds=60)
    done: dict[str, Any] = (await service.client.get(f"/imports/{checked.json()['id']}", headers=OPERATOR)).json()
    return done


async def outbox_types(service: Membership, domain: str) -> list[str]:
    rows = await service.pool.fetch(
        "SELECT event_type FROM outbox WHERE position(convert_to($1, 'UTF8') IN body) > 0 ORDER BY event_type", domain
    )
    return [r["event_type"] for r in rows]


@pytest.fixture
async def membership(database: str) -> Any:
    async with running(database, import_poll_seconds=0.1, import_max_megabytes=0.05) as service:
        await service.level(name="Individual")
        await service.level(name="Agency", kind="organizational", seat_count=5, price_minor=50000)
        yield service


async def test_the_dry_run_then_the_import_then_the_same_file_again(membership: Membership) -> None:
    domain = f"{uuid4().hex[:8]}.example.org"
    checked = await upload(membership, wa_file(domain), file_name="contacts.csv")
    assert checked.status_code == 201, checked.text
    assert checked.json()["counts"] == {"new": 4, "updated": 0, "unchanged": 0, "refused": 0}
    assert await membership.pool.fetchval("SELECT count(*) FROM members WHERE email LIKE $1", f"%{domain}") == 0

    done = await imported(membership, wa_file(domain))
    assert (done["done"], done["applied"]) == (4, {"new": 4})
    rows = await membership.pool.fetch(
        """SELECT p.email, m.status, m.period_end AT TIME ZONE 'America/Toronto' AS due, m.import_key
           FROM memberships m JOIN members p ON p.id = m.member_id WHERE p.email LIKE $1 ORDER BY p.email""",
        f"%{domain}",
    )
    assert [(r["email"].split("@")[0], r["status"], str(r["due"]), r["import_key"]) for r in rows] == [
        ("ada", "active", "2027-06-30 00:00:00", "id:1"),
        ("chief", "active", "2027-06-30 00:00:00", "id:3"),
        ("grace", "lapsed", "2027-06-30 00:00:00", "id:2"),
    ]
    assert await membership.pool.fetchval("SELECT count(*) FROM seats WHERE email = $1", f"officer@{domain}") == 1
    assert await outbox_types(membership, domain) == [
        "membership.activated",
        "membership.activated",
        "membership.lapsed",
        "membership.seat_assigned",
    ]
    audit = await membership.pool.fetch("SELECT action, summary FROM audit_log WHERE action LIKE '%import%'")
    assert {r["action"] for r in audit} >= {"check_import", "start_import"}

    again = await imported(membership, wa_file(domain))
    assert again["counts"] == {"new": 0, "updated": 0, "unchanged": 4, "refused": 0}
    assert again["applied"] == {"unchanged": 4}
    assert len(await outbox_types(membership, domain)) == 4


async def test_refused_rows_are_listed_and_the_import_waits_until_the_operator_decides(membership: Membership) -> None:
    domain = f"{uuid4().hex[:8]}.example.org"
    data = export([row(1, f"a@{domain}"), row(2, f"A@{domain}"), row(3, f"b@{domain}", "Gold")])
    checked = (await upload(membership, data)).json()
    assert checked["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "refused": 2}
    assert checked["refused"] == [
        {"row": 3, "column": "Email", "reason": "the same address is on row 2"},
        {
            "row": 4,
            "column": "Membership level",
            "reason": "no level named 'Gold' (create it, or rename the level in the file)",
        },
    ]
    assert checked["proposed_levels"] == [{"name": "Gold", "rows": 1, "organizational": False, "seat_count": None}]
    refused = await membership.client.post(f"/imports/{checked['id']}/start", json={}, headers=OPERATOR)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "leave_out_refused"]
    assert await membership.pool.fetchval("SELECT count(*) FROM members WHERE email LIKE $1", f"%{domain}") == 0


def not_really() -> bytes:
    book, buffer = Workbook(), io.BytesIO()
    assert book.active is not None
    book.active.append(HEADER)
    book.save(buffer)
    return buffer.getvalue()[:100]  # a workbook cut short


@pytest.mark.parametrize(
    ("data", "name", "status", "field", "words"),
    [
        (b"Email,Name\r\n\x81\x8d,x\r\n", "a.csv", 400, "file", "neither UTF-8, UTF-16 nor Windows-1252"),
        (not_really(), "a.xlsx", 400, "file", "not an XLSX workbook"),
        (b"Email,Name\r\na@example.org,Ada\r\n", "a.csv", 400, "level", "no column for level"),
        (b"x" * 60_000, "a.csv", 413, "file", "over 0.05 MB"),
    ],
)
async def test_a_bad_file_is_refused_whole_naming_the_problem(
    membership: Membership, data: bytes, name: str, status: int, field: str, words: str
) -> None:
    before = await membership.pool.fetchval("SELECT count(*) FROM member_imports")
    answer = await upload(membership, data, file_name=name)
    assert answer.status_code == status, answer.text
    [problem] = answer.json()["detail"]
    assert problem["loc"] == ["body", field]
    assert words in problem["msg"]
    assert await membership.pool.fetchval("SELECT count(*) FROM member_imports") == before


async def test_only_staff_may_import(membership: Membership) -> None:
    assert (await membership.client.post("/imports", content=b"Email\r\n")).status_code == 401
