"""Waiting for something the system does in the background, without sleeping blind."""

import asyncio
from collections.abc import Awaitable, Callable


async def wait_until(condition: Callable[[], bool | Awaitable[bool]], seconds: float = 30) -> None:
    """Returns as soon as `condition` holds; fails the test with TimeoutError after `seconds`."""
    async with asyncio.timeout(seconds):
        while True:
            result = condition()
            if await result if isinstance(result, Awaitable) else result:
                return
            await asyncio.sleep(0.05)
