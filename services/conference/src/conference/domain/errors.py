"""Every refusal conference's use cases and aggregates raise, in the association's words.
`entrypoints/http/errors.py` turns them into HTTP answers; the pages reuse that mapping."""

from uuid import UUID


class RegistrationRefused(Exception):
    """The registration cannot be made or changed as asked; `field` names what to change."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SoldOut(Exception):
    """No capacity left for this ticket type (or the conference): the waitlist is open."""

    def __init__(self, ticket_type_id: UUID, name: str) -> None:
        super().__init__(f"{name} is sold out: join the waitlist")
        self.ticket_type_id = ticket_type_id


class TooManyUnpaidSeats(Exception):
    """This address or this payer holds as many unpaid seats as one may at once (fair holds)."""


class PriceFinal(Exception):
    """The registration is paid, cancelled or its hold ended: its price cannot change any more."""


class NotFound(Exception):
    """No such thing (its name is the message): a conference, a registration, a ticket, ..."""


class NotPayable(Exception):
    """The registration is not waiting for payment any more (paid, cancelled, or its hold ended)."""


class RefundRefused(Exception):
    """Stripe answered and refused the refund for good (asking again would be refused again)."""
