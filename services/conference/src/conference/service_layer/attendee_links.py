"""Attendees reach their own registration through a link signed with ATTENDEE_LINK_SECRET:
no account needed, and nobody can guess another registration's link."""

import hashlib
import hmac
from uuid import UUID

from conference.service_layer.deps import Deps


def link_token(deps: Deps, registration_id: UUID) -> str:
    key = deps.settings.attendee_link_secret.encode()
    return hmac.new(key, f"registration:{registration_id}".encode(), hashlib.sha256).hexdigest()[:32]


def link_is_valid(deps: Deps, registration_id: UUID, token: str) -> bool:
    return hmac.compare_digest(link_token(deps, registration_id), token)


def registration_url(deps: Deps, registration_id: UUID) -> str:
    return f"{deps.settings.public_base_url}/registrations/{registration_id}?token={link_token(deps, registration_id)}"
