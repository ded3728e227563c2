"""Membership's audit log (docs/staff.md): levels, offline payments and staff changes land in it,
in their own transaction, with who, what and from where; refused requests and reads write none;
owners read and export it, and other roles are refused. Staff sign-ins, allowed and refused, land
in it too, in the sign-in's own transaction."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from tests.support.staff import OWNER_ID, OWNER_NAME

from .conftest import OPERATOR, Membership, arrive_signed_in, csrf_of
from .test_staff import PASSWORD, add_staff, sign_in_on_the_page


async def entries(membership: Membership) -> list[dict[str, object]]:
    """Membership's own entries: the test stack's other services publish theirs on the same Kafka,
    and membership collects them into this log at any moment."""
    rows = await membership.pool.fetch("SELECT * FROM audit_log WHERE service = 'membership' ORDER BY recorded_at")
    return [dict(r) for r in rows]


async def test_levels_payments_and_staff_changes_are_audited_with_who_what_and_where(membership: Membership) -> None:
    level = await membership.level(name="Audited level")
    payment = {
        "name": "Ada Lovelace",
        "email": f"ada-{uuid4().hex[:6]}@example.org",
        "level_id": level["id"],
        "amount_minor": level["price_minor"],
        "currency": "usd",
        "method": "cheque",
        "reference": "CHQ-AUDIT-1",
        "paid_at": datetime.now(UTC).isoformat(),
    }
    assert (await membership.client.post("/offline-payments", json=payment, headers=OPERATOR)).status_code == 201
    staff, _ = await add_staff(membership, "event_staff")
    changed = await membership.client.patch(f"/staff/{staff['id']}", json={"role": "check_in"}, headers=OPERATOR)
    assert changed.status_code == 200
    assert (await membership.client.delete(f"/staff/{staff['id']}", headers=OPERATOR)).status_code == 200

    found = await entries(membership)
    assert [e["action"] for e in found] == [
        "create_level",
        "record_offline_payment",
        "add_staff",
        "issue_api_token",
        "change_staff",
        "remove_staff",
    ]
    assert {(e["service"], e["staff_id"], e["staff_name"], e["client"]) for e in found} == {
        ("membership", OWNER_ID, OWNER_NAME, "127.0.0.1")
    }
    summaries = [str(e["summary"]) for e in found]
    assert "event_staff" in summaries[2]
    assert staff["email"] in summaries[2]
    assert "role event_staff -> check_in" in summaries[4]
    assert "removed" in summaries[5]


async def test_a_refused_request_writes_no_entry_and_only_owners_read_the_log(membership: Membership) -> None:
    _, as_reader = await add_staff(membership, "read_only")
    before = len(await entries(membership))
    level = {"name": "Refused", "price_minor": 100, "currency": "usd", "term": "annual"}
    assert (await membership.client.post("/levels", json=level, headers=as_reader)).status_code == 403
    assert (await membership.client.post("/levels", json=level | {"term": "x"}, headers=OPERATOR)).status_code == 422
    assert (await membership.client.get("/members", headers=as_reader)).status_code == 200
    assert len(await entries(membership)) == before

    assert (await membership.client.get("/audit-log", headers=as_reader)).status_code == 403
    log = await membership.client.get("/audit-log", headers=OPERATOR)
    assert log.status_code == 200
    ours = [e["action"] for e in log.json() if e["service"] == "membership"]
    assert ours[:2] == ["issue_api_token", "add_staff"]  # newest first
    exported = await membership.client.get("/audit-log.csv", headers=OPERATOR)
    assert exported.headers["content-type"].startswith("text/csv")
    header, *rows = exported.text.splitlines()
    assert header == "recorded_at,service,staff_id,staff_name,action,target,summary,client"
    assert len([row for row in rows if row.split(",")[1] == "membership"]) == before


async def test_a_change_on_the_pages_is_audited_too(membership: Membership) -> None:
    arrive_signed_in(membership, "operator")
    form = await membership.client.get("/membership/operator/levels/new")
    body = {"csrf_token": csrf_of(form), "name": "Page level", "price": "75.00", "currency": "usd", "term": "annual"}
    created = await membership.client.post("/membership/operator/levels/new", data=body)
    assert created.status_code == 303, created.text
    *_, entry = await entries(membership)
    assert (entry["action"], entry["staff_id"]) == ("create_level", OWNER_ID)


async def test_staff_sign_ins_are_audited_refused_ones_with_the_address_tried(membership: Membership) -> None:
    staff, _ = await add_staff(membership, "read_only")
    before = len(await entries(membership))
    assert (await sign_in_on_the_page(membership, "nobody@cit.example", PASSWORD)).status_code == 400
    assert (await sign_in_on_the_page(membership, staff["email"], "not-the-password-at-all")).status_code == 400
    assert (await sign_in_on_the_page(membership, staff["email"], PASSWORD)).status_code == 303

    unknown, wrong, signed_in = (await entries(membership))[before:]
    assert (unknown["action"], unknown["staff_id"], unknown["client"]) == ("staff_sign_in_refused", None, "127.0.0.1")
    assert "nobody@cit.example" in str(unknown["summary"])
    assert (wrong["action"], wrong["staff_id"], wrong["client"]) == (
        "staff_sign_in_refused",
        UUID(staff["id"]),
        "127.0.0.1",
    )
    assert staff["email"] in str(wrong["summary"])
    assert "wrong password" in str(wrong["summary"])
    assert (signed_in["action"], signed_in["staff_id"], signed_in["staff_name"], signed_in["client"]) == (
        "staff_sign_in",
        UUID(staff["id"]),
        staff["name"],
        "127.0.0.1",
    )
    # The session and its entry were written by one transaction (Postgres's xmin: its id).
    session_by = await membership.pool.fetchval(
        "SELECT xmin::text FROM staff_credentials WHERE staff_id = $1 AND kind = 'session'", UUID(staff["id"])
    )
    assert session_by == await membership.pool.fetchval(
        "SELECT xmin::text FROM audit_log WHERE id = $1", signed_in["id"]
    )
