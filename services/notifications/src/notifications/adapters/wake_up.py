"""The sender's wake-up: a connection of its own that LISTENs for new deliveries (a pooled one
must not keep a LISTEN, see convene_service.runtime), setting an event on each NOTIFY."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from notifications.adapters.repository import DELIVERY_CHANNEL


@asynccontextmanager
async def woken_by_new_deliveries(dsn: str) -> AsyncIterator[asyncio.Event]:
    wake = asyncio.Event()
    listener = await asyncpg.connect(dsn)
    try:
        await listener.add_listener(DELIVERY_CHANNEL, lambda *_: wake.set())
        yield wake
    finally:
        listener.terminate()
