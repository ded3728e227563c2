"""Fair holds (docs/conference.md): how many unpaid seats one client address or one payer's email
may hold at once for a conference, counted from the holds in the database."""

from collections.abc import Awaitable
from datetime import datetime
from uuid import UUID

from conference.domain.errors import TooManyUnpaidSeats
from conference.service_layer.deps import Deps


def unpaid(
    deps: Deps, conference_id: UUID, client_address: str | None, payer_email: str, now: datetime, counted: bool
) -> Awaitable[tuple[int, int]]:
    """Seats held unpaid (from this address, by this payer); nothing is read when not `counted`."""
    if counted:
        return deps.views.unpaid_seats(conference_id, client_address, payer_email, now)
    return _none()


async def _none() -> tuple[int, int]:
    return (0, 0)


def check(deps: Deps, unpaid: tuple[int, int], seats: int, payer_email: str) -> None:
    """Counted from the holds in the database, so the caps hold across every instance. Checked
    before the hold and not under a lock: requests in flight at the same instant can each pass,
    which the per-client rate limit bounds."""
    by_client, by_email = unpaid
    settings = deps.settings
    if by_client + seats > settings.unpaid_seats_per_client:
        raise TooManyUnpaidSeats(
            f"too many unpaid seats held from your address: at most {settings.unpaid_seats_per_client} at once"
            " for this conference; pay for the seats you hold or let their hold end first"
        )
    if by_email + seats > settings.unpaid_seats_per_email:
        raise TooManyUnpaidSeats(
            f"too many unpaid seats held for {payer_email}: at most {settings.unpaid_seats_per_email} at once"
            " for this conference; pay for the seats held or let their hold end first"
        )
