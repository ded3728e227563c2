"""Passwordless sign-in (M9): an emailed, single-use, expiring link exchanged for a session.

Only SHA-256 hashes of links and sessions are stored, so a database leak signs nobody in. The
link reaches the member through `membership.sign_in_requested` and the notifications service.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote
from uuid import UUID

from convene_contracts.membership import SignInRequested, SignInRequestedPayload
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context


def hashed(token: str) -> bytes:
    """What is stored of a link's or a session's token."""
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True)
class SignedIn:
    session_token: str  # for the API's Authorization header; pages use their own cookie instead
    expires_at: datetime
    member_id: UUID
    email: str


async def request_link(deps: Deps, ctx: Context, email: str, return_to: str | None = None) -> None:
    """Sends a link if the address belongs to a member. Says nothing either way, so the endpoint
    cannot be used to find out who is a member. The link opens the sign-in page, which sends the
    member on to `return_to` (a page of ours, checked by the caller) once signed in."""
    now = deps.clock()
    async with deps.uow() as uow:
        member = await uow.members.by_email(email)
        if member is None:
            return
        token = secrets.token_urlsafe(32)
        expires_at = now + timedelta(minutes=deps.settings.sign_in_link_minutes)
        await uow.sessions.add_link(hashed(token), member.id, expires_at)
        url = f"{deps.settings.membership_pages_url}/membership/sign-in/{token}"
        if return_to:
            url += f"?next={quote(return_to, safe='')}"
        await uow.commit(
            [
                SignInRequested(
                    **ctx.envelope(),
                    payload=SignInRequestedPayload(
                        member_id=member.id,
                        email=member.email,
                        member_name=member.name,
                        sign_in_url=url,
                        expires_at=expires_at,
                    ),
                )
            ]
        )


async def redeem_link(deps: Deps, token: str) -> SignedIn | None:
    """Exchanges a valid link for a session, once; None if unknown, used or expired."""
    now = deps.clock()
    async with deps.uow() as uow:
        member_id = await uow.sessions.use_link(hashed(token), now)
        if member_id is None:
            return None
        session = secrets.token_urlsafe(32)
        expires_at = now + timedelta(days=deps.settings.session_days)
        await uow.sessions.add_session(hashed(session), member_id, expires_at)
        email = await uow.members.email_of(member_id)
        assert email is not None
        await uow.commit([])
    return SignedIn(session, expires_at, member_id, email)


async def member_of_session(deps: Deps, session: str) -> UUID | None:
    async with deps.uow() as uow:
        return await uow.views.member_of_session(hashed(session), deps.clock())
