"""In-memory stand-ins for notifications' gateways: a renderer, a QR drawer, an SMTP server
that records or refuses, and a clock that moves only when told."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from notifications.adapters.smtp import not_sent
from notifications.domain.attachments import Attachment, TicketQr
from notifications.domain.email import RenderedEmail


class FakeRenderer:
    """Renders every template the same way: the values are in the text, for the tests to read."""

    def render(self, template: str, recipient: str, **values: Any) -> RenderedEmail:
        text = "\n".join(f"{k}: {v}" for k, v in sorted(values.items()))
        return RenderedEmail(template, recipient, f"{template} for {recipient}", text, f"<pre>{text}</pre>")


def fake_qr(qr: TicketQr) -> Attachment:
    return Attachment(qr.filename, qr.content_type, f"QR {qr.ticket_code}".encode(), qr.content_id)


@dataclass
class Sent:
    email: RenderedEmail
    message_id: str
    headers: dict[str, str]
    attachments: tuple[Attachment, ...]


class FakeSmtp:
    """Accepts every email, except those to addresses told to refuse: each refusal is raised once."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.refusals: dict[str, list[Exception]] = {}
        self.during_send: Any = None  # called as each email goes, e.g. to move a clock

    def refuse(self, recipient: str, *errors: Exception) -> None:
        self.refusals.setdefault(recipient, []).extend(errors)

    async def deliver(
        self, email: RenderedEmail, message_id: str, headers: dict[str, str], attachments: Sequence[Attachment] = ()
    ) -> None:
        if self.during_send is not None:
            self.during_send(email)
        if self.refusals.get(email.recipient):
            # An SMTP error, told in the service's words as the real adapter tells it.
            raise not_sent(self.refusals[email.recipient].pop(0))
        self.sent.append(Sent(email, message_id, headers, tuple(attachments)))

    def to(self, recipient: str) -> list[Sent]:
        return [s for s in self.sent if s.email.recipient == recipient]


class ManualClock:
    """Seconds that move only when a test or the send cap's sleep moves them."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
