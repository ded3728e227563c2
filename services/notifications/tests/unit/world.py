"""A Deps over in-memory fakes (fakes.py, fake_gateways.py), and the fakes, for a unit test to
drive the use cases and look at what they did."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from notifications.config import NotificationsSettings
from notifications.domain.unsubscribe_links import UnsubscribeLinks
from notifications.service_layer.deps import Deps
from notifications.service_layer.send_rate import SendRate

from .fake_gateways import FakeRenderer, FakeSmtp, ManualClock, fake_qr
from .fakes import Database, FakeSendingQueue, FakeUnitOfWork, FakeViews, State


def settings(**overrides: Any) -> NotificationsSettings:
    values: dict[str, Any] = {
        "database_url": "postgresql://unused",
        "kafka_bootstrap_servers": "unused:9092",
        "operator_token_sha256": "0" * 64,
        "smtp_host": "127.0.0.1",
        "smtp_port": 2525,
        "smtp_from": "no-reply@cit.example",
        "association_name": "CIT International",
        "unsubscribe_secret": "u" * 32,
        "session_secret": "s" * 32,
        "public_base_url": "https://mail.cit.example",
        "send_rate_per_second": 1000,
        "send_backoff_seconds": 30,
        "send_max_attempts": 5,
    }
    return NotificationsSettings(**(values | overrides))


@dataclass
class World:
    """A Deps over fakes, and the fakes themselves for the tests to look at."""

    deps: Deps
    db: Database
    smtp: FakeSmtp
    clock: ManualClock

    @property
    def state(self) -> State:
        return self.db.state

    def later(self, seconds: float) -> None:
        """Moves both clocks: the database's and the sender's."""
        self.db.state.now += timedelta(seconds=seconds)
        self.clock.now += seconds


def world(**overrides: Any) -> World:
    config = settings(**overrides)
    db, smtp, clock = Database(), FakeSmtp(), ManualClock()
    deps = Deps(
        settings=config,
        renderer=FakeRenderer(),
        links=UnsubscribeLinks(config.unsubscribe_secret, config.public_base_url, config.notifications_pages_url),
        draw_qr=fake_qr,
        smtp=[smtp],
        rate=SendRate(config.send_rate_per_second, clock=clock, sleep=clock.sleep),
        uow=lambda: FakeUnitOfWork(db),
        queue=FakeSendingQueue(db),
        views=FakeViews(db),
        clock=clock,
    )
    return World(deps, db, smtp, clock)
