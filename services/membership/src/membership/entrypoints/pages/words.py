"""How membership facts read on a page, in the association's words rather than the code's."""

from decimal import Decimal, InvalidOperation

from convene_web.formatting import ZERO_DECIMAL
from convene_web.pages import Pages
from membership.domain.model import MembershipStatus as S

STATUS = {
    S.PENDING: "Waiting for payment",
    S.ACTIVE: "Active",
    S.PAST_DUE: "Payment failed, card being retried",
    S.IN_GRACE: "In grace period",
    S.LAPSED: "Lapsed",
    S.CANCELLED: "Cancelled",
}
METHOD = {"stripe": "Card (Stripe)", "cheque": "Cheque", "bank_transfer": "Bank transfer", "cash": "Cash"}
PAYMENT_KIND = {"join": "Joining", "renewal": "Renewal", "level_change": "Level change"}
TERM = {"annual": "A year", "monthly": "A month", "lifetime": "For life"}


def status(value: str) -> str:
    return STATUS[S(value)]


def install_words(pages: Pages) -> None:
    """Filters for membership's templates: `status | status_words`, `method | method_words`, ..."""
    pages.env.filters.update(
        status_words=status,
        method_words=lambda m: METHOD.get(m, m),
        payment_kind_words=lambda k: PAYMENT_KIND.get(k, k),
        term_words=lambda t: TERM.get(str(t), str(t)),
    )


def minor_units(amount: str, currency: str) -> int | None:
    """'75' or '75.00' in `currency` as minor units (7500); None when it is not an amount there
    (negative, too many decimals for the currency, or not a number)."""
    try:
        value = Decimal(amount.replace(",", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0:
        return None
    scaled = value.scaleb(0 if currency.lower() in ZERO_DECIMAL else 2)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def major_units(minor: int, currency: str) -> str:
    """The amount as typed into a form: 7500 usd -> '75.00'."""
    return str(minor) if currency.lower() in ZERO_DECIMAL else f"{minor / 100:.2f}"
