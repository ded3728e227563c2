"""A real SMTP server (aiosmtpd) that records every message it accepts.

It can be told to refuse the next messages to one recipient with given replies (e.g. "451 try
later"), to test how Convene retries; other recipients are not affected, so tests sharing the
server do not steal each other's refusals.

The server lives for the whole session and ends up holding thousands of messages, so each one is
filed under its recipient as it arrives: `to` must not parse every message's headers again.
Tests poll `to` in a loop, and a scan holding the lock kept the server from answering DATA in
time: the sender timed out, retried, and the test counted its own harness's duplicates.
"""

import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    refusals: dict[str, list[str]] = field(default_factory=dict)
    held: set[str] = field(default_factory=set)
    arrivals: list[tuple[float, str]] = field(default_factory=list)  # (monotonic time, To) of each accepted
    by_recipient: dict[str, list[EmailMessage]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            for recipient in envelope.rcpt_tos:
                if self.refusals.get(recipient):
                    return self.refusals[recipient].pop(0)
                if recipient in self.held:
                    return "451 4.3.2 held by the test"
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            self.keep(message)
        return "250 Message accepted"

    def keep(self, message: EmailMessage) -> None:
        """Files an accepted message (the caller holds the lock)."""
        to = str(message["To"])
        self.messages.append(message)
        self.arrivals.append((time.monotonic(), to))
        self.by_recipient.setdefault(to, []).append(message)

    def refuse(self, recipient: str, *replies: str) -> None:
        with self.lock:
            self.refusals.setdefault(recipient, []).extend(replies)

    def hold(self, *recipients: str) -> None:
        """Refuses (4xx) every message to these recipients until `release`."""
        with self.lock:
            self.held |= set(recipients)

    def release(self, *recipients: str) -> None:
        with self.lock:
            self.held -= set(recipients)

    def to(self, recipient: str) -> list[EmailMessage]:
        with self.lock:
            return list(self.by_recipient.get(recipient, ()))

    def arrived(self, recipients: set[str]) -> list[float]:
        """When the messages to these recipients arrived, in order (time.monotonic())."""
        with self.lock:
            return sorted(at for at, to in self.arrivals if to in recipients)

    def wait_for(self, recipient: str, count: int = 1, seconds: float = 30) -> list[EmailMessage]:
        """Waits until `recipient` has at least `count` messages; returns them all."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = self.to(recipient)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.to(recipient)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
