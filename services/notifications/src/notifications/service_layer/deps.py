"""What notifications' use cases are given: built once in bootstrap.py, and by the tests with
fakes. Gateways are typed by Protocols, so a fake stands in for each in the unit tier."""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from notifications.config import NotificationsSettings
from notifications.domain.attachments import Attachment, TicketQr
from notifications.domain.email import RenderedEmail
from notifications.domain.unsubscribe_links import UnsubscribeLinks
from notifications.service_layer.unit_of_work import DeliveryLogView, SendingQueue, UnitOfWork


class Renders(Protocol):
    def render(self, template: str, recipient: str, **values: Any) -> RenderedEmail: ...


class Smtp(Protocol):
    """One connection to the SMTP server: one email at a time."""

    async def deliver(
        self, email: RenderedEmail, message_id: str, headers: dict[str, str], attachments: Sequence[Attachment] = ()
    ) -> None:
        """Sends one email, or raises domain.errors.EmailNotSent saying whether to try again."""


class SendCap(Protocol):
    """The send cap (N6): `wait` returns when one more email may go. Postgres hands out the slots
    for every instance (adapters/send_pace.py); the unit tier runs send_rate.SendRate on a clock."""

    async def wait(self) -> None: ...


@dataclass(frozen=True)
class Deps:
    settings: NotificationsSettings
    renderer: Renders
    links: UnsubscribeLinks
    draw_qr: Callable[[TicketQr], Attachment]  # adapters/qr.py
    smtp: Sequence[Smtp]  # one connection per sender worker
    rate: SendCap  # shared by all the workers of all the instances (N6)
    uow: Callable[[], UnitOfWork]
    queue: SendingQueue  # one statement each, on the pool
    views: DeliveryLogView  # on the pool: a page's read needs no transaction
    clock: Callable[[], float] = time.monotonic  # seconds, for the lease's sending window
