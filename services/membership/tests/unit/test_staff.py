"""Staff use cases against the in-memory unit of work: what each change publishes for the other
services, the last owner, a new role signing the person out, and who may manage whose tokens."""

from uuid import UUID, uuid4

import pytest

from convene_contracts.membership import StaffChanged, StaffCredentialRevoked, StaffRole
from convene_service.staff import read_api_token
from membership.domain.errors import Conflict, NotYours
from membership.domain.staff import Actor
from membership.service_layer import staff
from membership.service_layer.events import Context

from .fakes import World, world

PASSWORD = "correct-horse-battery-staple"
CTX = Context(uuid4())


async def first_owner(w: World) -> Actor:
    owner, issued = await staff.create_first_owner(w.deps, CTX, "ada@cit.example", "Ada", PASSWORD, "10.0.0.1")
    assert read_api_token(w.deps.settings.session_secret, issued.token) == (owner.id, issued.credential.id)
    return Actor(owner.id, owner.name, owner.role, "10.0.0.1")


def revoked_ids(w: World) -> list[UUID]:
    return [e.payload.credential_id for e in w.store.outbox if isinstance(e, StaffCredentialRevoked)]


async def test_only_one_first_owner_and_each_change_is_published_whole() -> None:
    w = world()
    owner = await first_owner(w)
    with pytest.raises(Conflict):
        await staff.create_first_owner(w.deps, CTX, "bob@cit.example", "Bob", PASSWORD, "")
    added = await staff.add_staff(w.deps, CTX, owner, "cy@cit.example", "Cy", StaffRole.EVENT_STAFF, PASSWORD)
    changes = [e.payload for e in w.store.outbox if isinstance(e, StaffChanged)]
    assert [(p.staff_id, p.role, p.active) for p in changes] == [
        (owner.staff_id, "owner", True),
        (added.id, "event_staff", True),
    ]


async def test_a_new_role_revokes_sessions_but_not_api_tokens_and_removal_revokes_both() -> None:
    w = world()
    owner = await first_owner(w)
    cy = await staff.add_staff(w.deps, CTX, owner, "cy@cit.example", "Cy", StaffRole.EVENT_STAFF, PASSWORD)
    signed_in = await staff.sign_in(w.deps, "CY@cit.example", PASSWORD, "", "10.0.0.2")
    assert signed_in is not None
    token = await staff.issue_api_token(w.deps, CTX, owner, cy.id, "scanner")
    await staff.change_staff(w.deps, CTX, owner, cy.id, role=StaffRole.CHECK_IN)
    assert revoked_ids(w) == [signed_in[1]]
    await staff.remove_staff(w.deps, CTX, owner, cy.id)
    assert revoked_ids(w) == [signed_in[1], token.credential.id]
    assert await staff.sign_in(w.deps, "cy@cit.example", PASSWORD, "", "") is None  # removed


async def test_the_last_owner_stays_and_others_manage_only_their_own_credentials() -> None:
    w = world()
    owner = await first_owner(w)
    with pytest.raises(Conflict):
        await staff.remove_staff(w.deps, CTX, owner, owner.staff_id)
    with pytest.raises(Conflict):
        await staff.change_staff(w.deps, CTX, owner, owner.staff_id, role=StaffRole.READ_ONLY)
    cy = await staff.add_staff(w.deps, CTX, owner, "cy@cit.example", "Cy", StaffRole.READ_ONLY, PASSWORD)
    as_cy = Actor(cy.id, cy.name, cy.role)
    await staff.issue_api_token(w.deps, CTX, as_cy, cy.id, "laptop")
    with pytest.raises(NotYours):
        await staff.issue_api_token(w.deps, CTX, as_cy, owner.staff_id, "sneaky")
    assert await staff.sign_in(w.deps, "cy@cit.example", "wrong-password-123", "", "") is None
