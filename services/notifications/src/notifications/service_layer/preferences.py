"""Reminder preferences (N4): an address that unsubscribed gets no more reminders; receipts,
tickets and sign-in links still go. Used by the one-click API and by the unsubscribe page."""

import asyncpg


async def is_unsubscribed(pool: asyncpg.Pool, email: str) -> bool:
    found: bool = await pool.fetchval("SELECT EXISTS (SELECT 1 FROM unsubscribes WHERE email = $1)", email.lower())
    return found


async def unsubscribe(pool: asyncpg.Pool, email: str) -> bool:
    """True the first time; False when the address was unsubscribed already."""
    first = await pool.fetchval(
        "INSERT INTO unsubscribes (email) VALUES ($1) ON CONFLICT DO NOTHING RETURNING true", email.lower()
    )
    return bool(first)
