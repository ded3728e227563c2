"""Attendees reach their own registration through a link signed with ATTENDEE_LINK_SECRET:
no account needed, and nobody can guess another registration's link.

Two kinds of link, signed over different words so one never opens the other: the payer's link
(`registration:<id>`) manages the whole group; each attendee's link (`attendee:<id>`) opens that
attendee's own ticket and nothing else of the group.

The links people get (in emails, and from Stripe after paying) open the pages under /events;
the same token also opens the JSON API's /registrations/{id}."""

import hashlib
import hmac
from typing import Protocol
from urllib.parse import quote
from uuid import UUID

from conference.config import ConferenceSettings


class HasSettings(Protocol):
    """Deps, or anything else that carries the settings (the links need only those)."""

    @property
    def settings(self) -> ConferenceSettings: ...


def _signed(deps: HasSettings, words: str) -> str:
    key = deps.settings.attendee_link_secret.encode()
    return hmac.new(key, words.encode(), hashlib.sha256).hexdigest()[:32]


def link_token(deps: HasSettings, registration_id: UUID) -> str:
    return _signed(deps, f"registration:{registration_id}")


def link_is_valid(deps: HasSettings, registration_id: UUID, token: str) -> bool:
    # as bytes: compare_digest raises TypeError on a str that is not ASCII, which anyone can send
    return hmac.compare_digest(link_token(deps, registration_id).encode(), token.encode())


def ticket_token(deps: HasSettings, attendee_id: UUID) -> str:
    return _signed(deps, f"attendee:{attendee_id}")


def ticket_is_valid(deps: HasSettings, attendee_id: UUID, token: str) -> bool:
    return hmac.compare_digest(ticket_token(deps, attendee_id).encode(), token.encode())


def ticket_path(deps: HasSettings, attendee_id: UUID) -> str:
    """One attendee's own ticket page, as a path with the token."""
    return f"/events/tickets/{attendee_id}?token={ticket_token(deps, attendee_id)}"


def ticket_url(deps: HasSettings, attendee_id: UUID) -> str:
    return f"{deps.settings.conference_pages_url}{ticket_path(deps, attendee_id)}"


def member_price_is_valid(deps: HasSettings, attendee_id: UUID, token: str) -> bool:
    return hmac.compare_digest(_signed(deps, f"member-price:{attendee_id}").encode(), token.encode())


def member_price_url(deps: HasSettings, attendee_id: UUID) -> str:
    """Sent to a member's address only: confirming there proves the membership (docs/conference.md)."""
    token = _signed(deps, f"member-price:{attendee_id}")
    return f"{deps.settings.conference_pages_url}/events/attendees/{attendee_id}/member-price?token={token}"


def registration_path(deps: HasSettings, registration_id: UUID, page: str = "") -> str:
    """The attendee's page (or one of its sub-pages, e.g. "/pay"), as a path with the token."""
    return f"/events/registrations/{registration_id}{page}?token={link_token(deps, registration_id)}"


def registration_url(deps: HasSettings, registration_id: UUID, page: str = "") -> str:
    return f"{deps.settings.conference_pages_url}{registration_path(deps, registration_id, page)}"


def claim_url(deps: HasSettings, entry_id: UUID, token: str) -> str:
    """The waitlist offer's page, where the person sees the deadline and claims the seat."""
    return f"{deps.settings.conference_pages_url}/events/waitlist/{entry_id}/claim?token={quote(token)}"
