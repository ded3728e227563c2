"""Staff accounts (docs/staff.md): the first owner, adding, changing and removing staff, signing
in, API tokens, and revoking credentials. Each change publishes what conference and notifications
need (`staff_changed`, `staff_credential_revoked`) through the outbox, in its transaction."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from convene_contracts import Event
from convene_contracts.membership import (
    StaffChanged,
    StaffChangedPayload,
    StaffCredentialRevoked,
    StaffCredentialRevokedPayload,
    StaffRole,
)
from convene_service.audit import add_to_summary, note_change
from convene_service.staff import api_token
from membership.domain.errors import Conflict, Invalid, NotFound, NotYours
from membership.domain.staff import Actor, Credential, StaffMember
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context
from membership.service_layer.passwords import (
    MIN_LENGTH,
    UNKNOWN_HASH,
    hash_password,
    password_matches,
    totp_matches,
)
from membership.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class IssuedToken:
    credential: Credential
    token: str  # shown once; only its SHA-256 is kept


def changed(staff: StaffMember, ctx: Context) -> Event:
    payload = StaffChangedPayload(
        staff_id=staff.id, name=staff.name, role=staff.role.value, active=staff.active, changed_at=staff.changed_at
    )
    return StaffChanged(**ctx.envelope(), payload=payload)


def revoked(staff_id: UUID, credential_ids: list[UUID], ctx: Context) -> list[Event]:
    return [
        StaffCredentialRevoked(
            **ctx.envelope(), payload=StaffCredentialRevokedPayload(staff_id=staff_id, credential_id=c)
        )
        for c in credential_ids
    ]


def _check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise Invalid("password", f"a password of at least {MIN_LENGTH} characters")


async def _new_staff(deps: Deps, email: str, name: str, role: StaffRole, password: str) -> StaffMember:
    _check_password(password)
    return StaffMember(uuid4(), email, name, role, await hash_password(password), deps.clock())


async def _issue(uow: UnitOfWork, deps: Deps, staff_id: UUID, label: str, client: str) -> IssuedToken:
    credential = Credential(uuid4(), staff_id, "api_token", label, deps.clock(), client)
    token = api_token(deps.settings.session_secret, staff_id, credential.id)
    await uow.staff.add_credential(credential, hashlib.sha256(token.encode()).digest())
    return IssuedToken(credential, token)


async def create_first_owner(
    deps: Deps, ctx: Context, email: str, name: str, password: str, client: str
) -> tuple[StaffMember, IssuedToken]:
    """What the bootstrap operator token is for, once: the first owner and their first API token."""
    owner = await _new_staff(deps, email, name, StaffRole.OWNER, password)
    async with deps.uow() as uow:
        if await uow.staff.any():
            raise Conflict("the first owner exists already: owners add staff now")
        await uow.staff.add(owner)
        add_to_summary(f"{owner.name} <{owner.email}>, owner")
        issued = await _issue(uow, deps, owner.id, "first owner's token", client)
        await uow.commit([changed(owner, ctx)])
    return owner, issued


async def add_staff(
    deps: Deps, ctx: Context, by: Actor, email: str, name: str, role: StaffRole, password: str
) -> StaffMember:
    staff = await _new_staff(deps, email, name, role, password)
    async with deps.uow() as uow:
        await uow.staff.add(staff)
        add_to_summary(f"{staff.name} <{staff.email}>, {staff.role.value}")
        await uow.commit([changed(staff, ctx)])
    return staff


async def change_staff(
    deps: Deps, ctx: Context, by: Actor, staff_id: UUID, role: StaffRole | None = None, name: str | None = None
) -> StaffMember:
    """A new role signs them out everywhere (their sessions are revoked); API tokens follow the
    new role from the next request, since every service reads the role on each request."""
    now = deps.clock()
    async with deps.uow() as uow:
        owners = await uow.staff.count_owners()
        staff = await uow.staff.get(staff_id, lock=True)
        if staff is None or not staff.active:
            raise NotFound("staff member")
        events: list[Event] = []
        if role is not None and staff.change_role(role, now, owners):
            events += revoked(staff.id, await uow.staff.revoke(staff.id, now, ("session",)), ctx)
        if name is not None:
            staff.rename(name, now)
        if staff.changes:
            add_to_summary(f"{staff.name}: {', '.join(staff.changes)}")
            await uow.staff.save(staff)
            events.insert(0, changed(staff, ctx))
        await uow.commit(events)
    return staff


async def remove_staff(deps: Deps, ctx: Context, by: Actor, staff_id: UUID) -> StaffMember:
    """Removed staff are refused everywhere at once: every session and API token is revoked too."""
    now = deps.clock()
    async with deps.uow() as uow:
        owners = await uow.staff.count_owners()
        staff = await uow.staff.get(staff_id, lock=True)
        if staff is None:
            raise NotFound("staff member")
        staff.remove(now, owners)
        add_to_summary(f"{staff.name} removed")
        await uow.staff.save(staff)
        gone = await uow.staff.revoke(staff.id, now, ("session", "api_token"))
        await uow.commit([changed(staff, ctx), *revoked(staff.id, gone, ctx)])
    return staff


def _refusal(staff: StaffMember | None, right: bool, code: str) -> str | None:
    """Why a sign-in is refused, for the owners' audit log only (the page says the same to all)."""
    if staff is None:
        return "no staff account has this address"
    if not right:
        return "wrong password"
    if not staff.active:
        return "removed from the staff"
    if staff.totp_secret is not None and not totp_matches(staff.totp_secret, code):
        return "second-step code missing or wrong"
    return None


def _note_sign_in(staff: StaffMember | None, email: str, client: str, refusal: str | None) -> None:
    # Nobody is signed in yet, so no operator check notes this request: the sign-in notes itself,
    # and the unit of work writes the row in the sign-in's own transaction (convene_service.audit).
    staff_id, name = (staff.id, staff.name) if staff else (None, "not signed in")
    if refusal is None:
        action, summary = "staff_sign_in", f"Signed in as {email}"
    else:
        action, summary = "staff_sign_in_refused", f"Sign-in refused for {email!r}: {refusal}"
    note_change("POST", staff_id, name, action, "", summary, client)


async def sign_in(deps: Deps, email: str, password: str, code: str, client: str) -> tuple[UUID, UUID] | None:
    """A new session credential for the right email, password (and code, once turned on). Every
    attempt lands in the audit log with the address tried and the client's, in its transaction."""
    async with deps.uow() as uow:
        staff = await uow.staff.by_email(email)
    right = await password_matches(staff.password_hash if staff else UNKNOWN_HASH, password)
    refusal = _refusal(staff, right, code)
    _note_sign_in(staff, email, client, refusal)
    if staff is None or refusal is not None:
        async with deps.uow() as uow:
            await uow.commit([])  # the audit row alone
        return None
    now = deps.clock()
    hours = deps.settings.operator_session_hours
    session = Credential(
        uuid4(), staff.id, "session", "signed in on the pages", now, client, now + timedelta(hours=hours)
    )
    async with deps.uow() as uow:
        await uow.staff.add_credential(session, None)
        await uow.commit([])  # the session and its audit row, together
    return staff.id, session.id


async def issue_api_token(deps: Deps, ctx: Context, by: Actor, staff_id: UUID, label: str) -> IssuedToken:
    if not by.may_manage(staff_id):
        raise NotYours()
    async with deps.uow() as uow:
        staff = await uow.staff.get(staff_id)
        if staff is None or not staff.active:
            raise NotFound("staff member")
        issued = await _issue(uow, deps, staff_id, label, by.client)
        add_to_summary(f"API token '{label}' for {staff.name}")
        await uow.commit([])
    return issued


async def revoke_credential(deps: Deps, ctx: Context, by: Actor, credential_id: UUID) -> Credential:
    """Signs a session out, or revokes an API token, in every service (through the event)."""
    now = deps.clock()
    async with deps.uow() as uow:
        credential = await uow.staff.credential(credential_id)
        if credential is None or not by.may_manage(credential.staff_id):
            raise NotFound("credential")
        gone = await uow.staff.revoke(credential.staff_id, now, ("session", "api_token"), only=credential.id)
        add_to_summary(f"{credential.kind.replace('_', ' ')} '{credential.label}'")
        await uow.commit(revoked(credential.staff_id, gone, ctx))
    return credential


async def sign_out(deps: Deps, ctx: Context, staff_id: UUID, credential_id: UUID) -> None:
    """Signing out on the pages ends that session in every service, not just in this browser."""
    async with deps.uow() as uow:
        gone = await uow.staff.revoke(staff_id, deps.clock(), ("session",), only=credential_id)
        await uow.commit(revoked(staff_id, gone, ctx))


async def credentials_of(deps: Deps, by: Actor, staff_id: UUID) -> list[Credential]:
    if not by.may_manage(staff_id):
        raise NotYours()
    async with deps.uow() as uow:
        return await uow.staff.credentials_of(staff_id)


async def all_staff(deps: Deps) -> list[StaffMember]:
    async with deps.uow() as uow:
        return await uow.staff.all()


def is_live(credential: Credential, now: datetime) -> bool:
    return credential.revoked_at is None and (credential.expires_at is None or credential.expires_at > now)
