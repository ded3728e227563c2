"""A waitlist entry and the offer made to it, without I/O: made, claimed, passed on, refused."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from conference.domain import events as ev
from conference.domain.errors import RegistrationRefused
from conference.domain.waitlist import WaitlistEntry, WaitlistStatus, token_hash

W = WaitlistStatus
NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
SHARDS = [[str(uuid4()), 3]]


def offered() -> tuple[WaitlistEntry, str]:
    entry = WaitlistEntry(uuid4(), uuid4(), uuid4(), "Ada", "ada@example.org")
    token = entry.offer(SHARDS, NOW + timedelta(hours=24))
    return entry, token


def test_a_waiting_person_is_offered_the_freed_seat_with_a_secret_link() -> None:
    entry, token = offered()
    assert entry.status is W.OFFERED
    assert entry.offered_shards == SHARDS
    assert entry.offer_token_sha256 == token_hash(token) != token.encode()
    assert entry.events == [ev.OfferMade(token, NOW + timedelta(hours=24))]


def test_an_offer_is_made_only_to_someone_waiting() -> None:
    entry, _ = offered()
    with pytest.raises(RegistrationRefused):
        entry.offer(SHARDS, NOW)
    assert len(entry.events) == 1


def test_the_offer_is_claimed_with_its_link_in_time() -> None:
    entry, token = offered()
    assert entry.claim(token, NOW + timedelta(hours=23)) == SHARDS
    assert entry.status is W.CLAIMED
    assert entry.events[-1] == ev.OfferClaimed(entry.ticket_type_id, SHARDS)


@pytest.mark.parametrize("late", [timedelta(hours=24), timedelta(hours=30)])
def test_an_offer_past_its_deadline_is_not_claimed(late: timedelta) -> None:
    entry, token = offered()
    with pytest.raises(RegistrationRefused, match="claimed already or expired"):
        entry.claim(token, NOW + late)
    assert entry.status is W.OFFERED


def test_a_wrong_link_claims_nothing() -> None:
    entry, _ = offered()
    with pytest.raises(RegistrationRefused):
        entry.claim("not-the-token", NOW)
    assert entry.status is W.OFFERED


def test_an_offer_is_claimed_once() -> None:
    entry, token = offered()
    entry.claim(token, NOW)
    with pytest.raises(RegistrationRefused):
        entry.claim(token, NOW)


def test_a_waiting_entry_has_nothing_to_claim() -> None:
    entry = WaitlistEntry(uuid4(), uuid4(), uuid4(), "Ada", "ada@example.org")
    with pytest.raises(RegistrationRefused):
        entry.claim("anything", NOW)


def test_an_unclaimed_offer_passes_on_after_its_deadline_only() -> None:
    entry, _ = offered()
    with pytest.raises(RegistrationRefused):
        entry.pass_on(NOW + timedelta(hours=23))
    entry.pass_on(NOW + timedelta(hours=24))
    assert entry.status is W.EXPIRED
    assert entry.events[-1] == ev.OfferPassedOn(entry.ticket_type_id, SHARDS)
    with pytest.raises(RegistrationRefused):
        entry.pass_on(NOW + timedelta(hours=25))


def test_a_claimed_or_waiting_entry_does_not_pass_on() -> None:
    entry, token = offered()
    entry.claim(token, NOW)
    with pytest.raises(RegistrationRefused):
        entry.pass_on(NOW + timedelta(days=2))
    with pytest.raises(RegistrationRefused):
        WaitlistEntry(uuid4(), uuid4(), uuid4(), "Ada", "ada@example.org").pass_on(NOW)
