"""Each Stripe event once, recorded in the transaction of its effect (reliability: a failure
between "seen" and the effect loses neither; a duplicate in flight waits for the first)."""

import asyncio
from typing import Any
from uuid import UUID

import asyncpg

from tests.support import stripe as shapes
from tests.support.waiting import wait_until

from .conftest import Conference, published

LOCK_WAITERS = """
    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"""


async def held_registration(conference: Conference) -> str:
    conference_id = await conference.conference()
    response = await conference.register(conference_id, [await conference.ticket_type(conference_id)])
    assert response.status_code == 201, response.text
    return str(response.json()["registration_id"])


def paid_event(registration_id: str) -> dict[str, Any]:
    session = shapes.checkout_session(
        {"convene_kind": "registration", "registration_id": registration_id}, amount=45000
    )
    return shapes.event("checkout.session.completed", session)


async def delivered(conference: Conference, event: dict[str, Any]) -> int:
    """The status Stripe would see; an exception escaping the app is what Stripe sees as a 500."""
    try:
        return (await conference.stripe(event)).status_code
    except Exception:  # noqa: BLE001 - the old code let the effect's error out
        return 500


async def test_a_retry_after_a_failure_between_seen_and_effect_applies_the_effect(conference: Conference) -> None:
    registration_id = await held_registration(conference)
    # Through the data, not the code: confirming fails once, and so would forgetting the event.
    await conference.pool.execute("""
        CREATE FUNCTION refuse_confirming() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'the effect fails half way'; END $$;
        CREATE TRIGGER refuse_confirming BEFORE UPDATE ON registrations FOR EACH ROW
            WHEN (NEW.status = 'confirmed') EXECUTE FUNCTION refuse_confirming();
        CREATE FUNCTION keep_stripe_events() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'the clean-up fails too'; END $$;
        CREATE TRIGGER keep_stripe_events BEFORE DELETE ON stripe_events FOR EACH ROW
            EXECUTE FUNCTION keep_stripe_events();""")
    event = paid_event(registration_id)
    status = await delivered(conference, event)
    assert status >= 500  # not applied: Stripe delivers it again
    assert await conference.status(registration_id) == "held"
    await conference.pool.execute("DROP TRIGGER refuse_confirming ON registrations")

    retried = await conference.stripe(event)
    assert retried.status_code == 200
    assert retried.json()["outcome"] == "confirmed"
    assert await conference.status(registration_id) == "confirmed"
    assert len(await published("conference.registration_confirmed", registration_id=registration_id)) == 1


async def test_a_failed_delivery_answers_503_with_retry_after_and_saves_nothing(conference: Conference) -> None:
    registration_id = await held_registration(conference)
    await conference.pool.execute("""
        CREATE FUNCTION refuse_confirming() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'the effect fails'; END $$;
        CREATE TRIGGER refuse_confirming BEFORE UPDATE ON registrations FOR EACH ROW
            WHEN (NEW.status = 'confirmed') EXECUTE FUNCTION refuse_confirming();""")
    response = await conference.stripe(paid_event(registration_id))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "not applied" in response.json()["detail"]
    assert await conference.pool.fetchval("SELECT count(*) FROM stripe_events") == 0


async def test_two_deliveries_at_once_apply_once_and_neither_answers_before_it_is_done(
    conference: Conference,
) -> None:
    registration_id = await held_registration(conference)
    event = paid_event(registration_id)
    # The test's own connection holds the registration, so the first delivery stays in flight.
    blocker = await asyncpg.connect(conference.deps.settings.database_url)
    try:
        hold = blocker.transaction()
        await hold.start()
        await blocker.execute("SELECT 1 FROM registrations WHERE id = $1 FOR UPDATE", UUID(registration_id))
        first = asyncio.create_task(conference.stripe(event))
        second = asyncio.create_task(conference.stripe(event))

        async def both_waiting_or_one_answered() -> bool:
            # Asked on another connection: inside the blocker's transaction the view is a snapshot.
            return second.done() or first.done() or await conference.pool.fetchval(LOCK_WAITERS) >= 2

        await wait_until(both_waiting_or_one_answered)
        assert not first.done()
        assert not second.done()  # the duplicate waits for the first; no 200 for work not done
        await hold.rollback()
        answers = list(await asyncio.gather(first, second))
    finally:
        await blocker.close()
    assert [a.status_code for a in answers] == [200, 200]
    assert sorted(a.json()["outcome"] for a in answers) == ["confirmed", "duplicate"]
    assert await conference.status(registration_id) == "confirmed"
    assert len(await published("conference.registration_confirmed", registration_id=registration_id)) == 1
