"""What an email is to Convene, before any transport: recipient and three rendered parts."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedEmail:
    template: str
    recipient: str
    subject: str
    text: str
    html: str


def format_amount(amount_minor: int, currency: str) -> str:
    """1500, 'usd' -> 'USD 15.00'. Zero-decimal currencies come with the templates issue."""
    return f"{currency.upper()} {amount_minor / 100:,.2f}"
