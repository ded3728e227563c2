"""Fresh Postgres databases on the test cluster, one per test that asks."""

from uuid import uuid4

import asyncpg

from tests.support.stack import postgres_admin_dsn


async def create_database(prefix: str = "t") -> str:
    """Creates an empty database and returns its DSN."""
    name = f"{prefix}_{uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_admin_dsn())
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return postgres_admin_dsn().rsplit("/", 1)[0] + f"/{name}"


async def drop_database(dsn: str) -> None:
    name = dsn.rsplit("/", 1)[1]
    admin = await asyncpg.connect(postgres_admin_dsn())
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
