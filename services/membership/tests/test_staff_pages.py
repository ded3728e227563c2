"""Owners change roles and remove people on the staff page (docs/staff.md): through the same use
cases as the API, so the audit log records each change and the person is signed out everywhere;
the last owner is refused with a message on the page, and other roles are refused the forms."""

from typing import Any
from uuid import uuid4

from tests.support.staff import OWNER_ID

from .conftest import OPERATOR, Membership, arrive_signed_in, csrf_of
from .test_staff import PASSWORD, add_staff, sign_in_on_the_page

STAFF = "/membership/operator/staff"


async def live_sessions(membership: Membership, staff_id: str) -> list[dict[str, Any]]:
    listed = (await membership.client.get(f"/staff/{staff_id}/credentials", headers=OPERATOR)).json()
    return [c for c in listed if c["kind"] == "session" and c["revoked_at"] is None]


async def person(membership: Membership, staff_id: str) -> dict[str, Any]:
    listed: list[dict[str, Any]] = (await membership.client.get("/staff", headers=OPERATOR)).json()
    [found] = [s for s in listed if s["id"] == staff_id]
    return found


async def audit_actions(membership: Membership) -> list[tuple[str, Any, str]]:
    rows = await membership.pool.fetch("SELECT action, staff_id, summary FROM audit_log ORDER BY recorded_at")
    return [(r["action"], r["staff_id"], r["summary"]) for r in rows]


async def test_an_owner_changes_a_role_on_the_page_and_the_person_is_signed_out(membership: Membership) -> None:
    staff, headers = await add_staff(membership, "membership_staff")
    assert (await sign_in_on_the_page(membership, staff["email"], PASSWORD)).status_code == 303
    assert len(await live_sessions(membership, staff["id"])) == 1

    arrive_signed_in(membership, "operator")
    page = await membership.client.get(STAFF)
    assert f'action="{STAFF}/{staff["id"]}/role"' in page.text
    changed = await membership.client.post(
        f"{STAFF}/{staff['id']}/role", data={"csrf_token": csrf_of(page), "role": "event_staff"}
    )
    assert changed.status_code == 303, changed.text
    assert (await person(membership, staff["id"]))["role"] == "event_staff"
    assert await live_sessions(membership, staff["id"]) == []  # signed out everywhere, as with the API
    assert (await membership.client.get("/members", headers=headers)).status_code == 403  # token: new role
    action, by, summary = (await audit_actions(membership))[-1]
    assert (action, by) == ("change_staff", OWNER_ID)
    assert "role membership_staff -> event_staff" in summary

    wrong = await membership.client.post(
        f"{STAFF}/{staff['id']}/role", data={"csrf_token": csrf_of(page), "role": "king"}
    )
    assert wrong.status_code == 400
    assert "choose one of the roles" in wrong.text


async def test_removing_asks_first_then_signs_the_person_out_and_revokes_their_tokens(membership: Membership) -> None:
    staff, headers = await add_staff(membership, "event_staff")
    arrive_signed_in(membership, "operator")
    page = await membership.client.get(STAFF)
    assert f'href="{STAFF}/{staff["id"]}/remove"' in page.text
    asked = await membership.client.get(f"{STAFF}/{staff['id']}/remove")
    assert asked.status_code == 200
    assert f"Remove {staff['name']} from the staff?" in asked.text
    assert (await person(membership, staff["id"]))["active"] is True  # asking changes nothing

    removed = await membership.client.post(f"{STAFF}/{staff['id']}/remove", data={"csrf_token": csrf_of(asked)})
    assert removed.status_code == 303, removed.text
    assert (await person(membership, staff["id"]))["active"] is False
    assert (await membership.client.get("/members", headers=headers)).status_code == 401
    action, by, summary = (await audit_actions(membership))[-1]
    assert (action, by) == ("remove_staff", OWNER_ID)
    assert "removed" in summary
    again = await membership.client.get(f"{STAFF}/{staff['id']}/remove")
    assert again.status_code == 404
    assert (await membership.client.get(f"{STAFF}/{uuid4()}/remove")).status_code == 404


async def test_the_last_owner_is_refused_with_a_message_and_other_roles_are_refused(membership: Membership) -> None:
    arrive_signed_in(membership, "operator")
    page = await membership.client.get(STAFF)
    before = await audit_actions(membership)
    demoted = await membership.client.post(
        f"{STAFF}/{OWNER_ID}/role", data={"csrf_token": csrf_of(page), "role": "read_only"}
    )
    assert demoted.status_code == 409
    assert "needs at least one owner" in demoted.text
    removed = await membership.client.post(f"{STAFF}/{OWNER_ID}/remove", data={"csrf_token": csrf_of(page)})
    assert removed.status_code == 409
    assert "needs at least one owner" in removed.text
    assert (await person(membership, str(OWNER_ID)))["role"] == "owner"
    assert await audit_actions(membership) == before  # a refusal records nothing

    staff, _ = await add_staff(membership, "membership_staff")
    assert (await sign_in_on_the_page(membership, staff["email"], PASSWORD)).status_code == 303
    own = await membership.client.get(STAFF)
    assert own.status_code == 200
    assert "/role" not in own.text  # the forms are for owners
    refused = await membership.client.post(
        f"{STAFF}/{OWNER_ID}/role", data={"csrf_token": csrf_of(own), "role": "read_only"}
    )
    assert refused.status_code == 403
    assert "Not for your role" in refused.text
    assert (await membership.client.get(f"{STAFF}/{OWNER_ID}/remove")).status_code == 403
