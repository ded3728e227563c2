"""The correlation id of the work in hand: one id that follows a flow through all three services.

An HTTP request takes it from `X-Correlation-ID` (or makes one), a consumer takes it from the
event it handles; the events that work publishes carry it in their envelope (`correlation_id`),
and every log line written meanwhile shows it. Kept in a contextvar, so concurrent requests and
handlers each see their own."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID, uuid4

_current: ContextVar[UUID | None] = ContextVar("convene_correlation_id", default=None)


def current_correlation() -> UUID | None:
    """The id of the request or event being handled, or None outside of one."""
    return _current.get()


def correlation_or_new() -> UUID:
    """The id of the work in hand; work that starts on its own (a timer) starts a flow of its own."""
    return _current.get() or uuid4()


@contextmanager
def correlated(correlation_id: UUID | None) -> Iterator[None]:
    token = _current.set(correlation_id)
    try:
        yield
    finally:
        _current.reset(token)
