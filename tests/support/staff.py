"""Staff for the tests: an owner every test service knows from the start, and others on demand.

Most tests are about something else than staff, so each service a test starts (in-process through
`tests.support.apps.running_app`, or as a process through `ServiceProcess.start`) has one owner
written into its database as membership's events would leave it: in membership's `staff` and
`staff_credentials`, elsewhere in `staff_directory`. The tests of staff accounts themselves
(services/membership/tests/test_staff*.py, tests/e2e/test_staff_everywhere.py) create staff through
the API and wait for the events to reach the other services instead.
"""

import time
from uuid import UUID

import asyncpg
from argon2 import PasswordHasher

from convene_delivery.postgres import Connection
from convene_service.staff import api_token
from convene_web.sessions import Session, signed
from convene_web.settings import WebSettings

OWNER_ID = UUID("00000000-0000-4000-8000-0000000000a1")
OWNER_CREDENTIAL = UUID("00000000-0000-4000-8000-0000000000c1")
OWNER_NAME = "Olive Owner"
OWNER_EMAIL = "olive.owner@cit.example"
OWNER_PASSWORD = "olive-owner-password-0123"
_OWNER_HASH = PasswordHasher().hash(OWNER_PASSWORD)


def bearer(secret: str, staff_id: UUID = OWNER_ID, credential_id: UUID = OWNER_CREDENTIAL) -> dict[str, str]:
    """The Authorization header of a staff member's API token."""
    return {"Authorization": f"Bearer {api_token(secret, staff_id, credential_id)}"}


def staff_cookie(
    settings: WebSettings, staff_id: UUID = OWNER_ID, credential_id: UUID = OWNER_CREDENTIAL, email: str = OWNER_EMAIL
) -> str:
    """The session cookie signing in on the pages would have set."""
    session = Session("operator", None, email, int(time.time()) + 3600, staff_id, credential_id)
    return signed(settings, session)


async def _owns_staff(conn: Connection) -> bool:
    kind = await conn.fetchval("SELECT relkind::text FROM pg_class WHERE relname = 'staff_directory'")
    return bool(kind == "v")  # membership: a view of its own staff table


async def seed_staff(
    dsn_or_pool: str | asyncpg.Pool,
    staff_id: UUID = OWNER_ID,
    role: str = "owner",
    name: str = OWNER_NAME,
    email: str = OWNER_EMAIL,
    credentials: tuple[UUID, ...] = (OWNER_CREDENTIAL,),
) -> None:
    """A staff member (and their API tokens' credentials) as membership's events would have left
    them in this database. Safe to repeat: a restarted service seeds again."""
    if isinstance(dsn_or_pool, str):
        conn = await asyncpg.connect(dsn_or_pool)
        try:
            await _seed(conn, staff_id, role, name, email, credentials)
        finally:
            await conn.close()
    else:
        async with dsn_or_pool.acquire() as pooled:
            await _seed(pooled, staff_id, role, name, email, credentials)


async def _seed(
    conn: Connection, staff_id: UUID, role: str, name: str, email: str, credentials: tuple[UUID, ...]
) -> None:
    if await _owns_staff(conn):
        await conn.execute(
            """INSERT INTO staff (id, email, name, role, password_hash, changed_at)
               VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT DO NOTHING""",
            staff_id,
            email,
            name,
            role,
            _OWNER_HASH,
        )
        for credential in credentials:
            await conn.execute(
                """INSERT INTO staff_credentials (id, staff_id, kind, label, created_at)
                   VALUES ($1, $2, 'api_token', 'the tests', now()) ON CONFLICT DO NOTHING""",
                credential,
                staff_id,
            )
    else:
        await conn.execute(
            """INSERT INTO staff_directory (staff_id, name, role, active, changed_at)
               VALUES ($1, $2, $3, true, now()) ON CONFLICT DO NOTHING""",
            staff_id,
            name,
            role,
        )
