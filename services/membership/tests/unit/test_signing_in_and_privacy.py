"""Passwordless sign-in (M9) and erasure (M10) against in-memory fakes."""

from datetime import timedelta
from urllib.parse import unquote
from uuid import UUID, uuid4

import pytest

from membership.domain.errors import NotFound
from membership.domain.model import LevelKind, Term
from membership.service_layer import joining, levels, privacy, seats, sign_in
from membership.service_layer.events import Context

from .fakes import World, world

CTX = Context(uuid4())


async def a_member(w: World, email: str = "ada@example.org") -> UUID:
    level = await levels.create_level(
        w.deps,
        name=f"Agency {uuid4().hex[:6]}",
        price_minor=7500,
        currency="usd",
        term=Term.ANNUAL,
        kind=LevelKind.ORGANIZATIONAL,
        seat_count=3,
        description="",
    )
    m = await joining.record_offline_payment(
        w.deps,
        CTX,
        name="Ada",
        email=email,
        level_id=level.id,
        amount_minor=7500,
        currency="usd",
        method="cheque",
        reference=f"CHQ-{uuid4()}",
        paid_at=w.clock.now,
        membership_id=None,
    )
    w.store.outbox.clear()
    return m.member_id


def link_of(w: World) -> str:
    [requested] = [e for e in w.store.outbox if e.event_type == "membership.sign_in_requested"]
    url: str = requested.payload.sign_in_url  # type: ignore[attr-defined]
    return url


async def test_a_members_link_signs_in_once_and_the_session_knows_the_member() -> None:
    w = world()
    member_id = await a_member(w)
    await sign_in.request_link(w.deps, CTX, "ada@example.org", return_to="/membership/me")
    url = link_of(w)
    assert url.startswith("https://members.cit.example/membership/sign-in/")
    token = url.split("/sign-in/")[1].split("?")[0]
    assert unquote(url.split("?next=")[1]) == "/membership/me"
    assert token.encode() not in b"".join(w.store.links)  # only its hash is kept
    signed = await sign_in.redeem_link(w.deps, token)
    assert signed is not None
    assert (signed.member_id, signed.email) == (member_id, "ada@example.org")
    assert await sign_in.redeem_link(w.deps, token) is None  # single use
    assert await sign_in.member_of_session(w.deps, signed.session_token) == member_id
    assert await sign_in.member_of_session(w.deps, "not-a-session") is None
    w.clock.now += timedelta(days=w.deps.settings.session_days)
    assert await sign_in.member_of_session(w.deps, signed.session_token) is None


async def test_an_unknown_address_gets_no_link_and_an_expired_link_is_refused() -> None:
    w = world()
    await a_member(w)
    await sign_in.request_link(w.deps, CTX, "nobody@example.org")
    assert w.store.outbox == []
    assert w.store.links == {}
    await sign_in.request_link(w.deps, CTX, "ada@example.org")
    token = link_of(w).rsplit("/", 1)[1]
    w.clock.now += timedelta(minutes=w.deps.settings.sign_in_link_minutes)
    assert await sign_in.redeem_link(w.deps, token) is None


async def test_erasure_pseudonymizes_the_member_and_removes_what_names_them() -> None:
    w = world()
    member_id = await a_member(w)
    [membership] = [m for m in w.store.memberships.values() if m.member_id == member_id]
    w.store.memberships[membership.id].organization_name = "Ada Consulting"
    await seats.assign_seat(w.deps, CTX, member_id, membership.id, "ada@example.org", "Ada")
    await sign_in.request_link(w.deps, CTX, "ada@example.org")
    signed = await sign_in.redeem_link(w.deps, link_of(w).rsplit("/", 1)[1])
    assert signed is not None
    exported = await privacy.export(w.deps, member_id)
    assert exported["member"]["email"] == "ada@example.org"
    assert [s["email"] for s in exported["seats"]] == ["ada@example.org"]
    w.store.outbox.clear()

    await privacy.erase(w.deps, CTX, member_id)

    erased = w.store.members[member_id]
    assert (erased.name, erased.email) == (privacy.ERASED_NAME, privacy.erased_email(member_id))
    assert w.store.memberships[membership.id].organization_name is None
    assert w.store.seats == {}
    assert (w.store.links, w.store.sessions) == ({}, {})
    assert w.store.forgotten_events_of == {member_id}
    assert len(w.store.payments) == 1  # kept: it refers to the member by id only
    assert w.event_types() == ["membership.member_erased"]
    assert await sign_in.member_of_session(w.deps, signed.session_token) is None
    with pytest.raises(NotFound):
        await privacy.erase(w.deps, CTX, member_id)  # once
