"""The services' connection pool skips asyncpg's reset query (Convene keeps no session state on
pooled connections); what the reset must still do, it does."""

import asyncpg

from convene_service.runtime import connect_pool


async def test_a_connection_given_back_inside_a_transaction_comes_back_without_it(database: str) -> None:
    pool = await connect_pool(database, wait_seconds=5)
    try:
        await pool.execute("CREATE TABLE given_back (n int)")
        async with pool.acquire() as conn:
            await conn.execute("BEGIN")  # not managed by asyncpg: nothing else would end it
            await conn.execute("INSERT INTO given_back VALUES (1)")
        lent = [await pool.acquire() for _ in range(pool.get_max_size())]  # the same one among them
        try:
            assert not any(conn.is_in_transaction() for conn in lent)
            assert await lent[0].fetchval("SELECT count(*) FROM given_back") == 0
        finally:
            for conn in lent:
                await pool.release(conn)
    finally:
        await pool.close()


async def test_an_error_inside_a_transaction_leaves_the_connection_usable(database: str) -> None:
    pool = await connect_pool(database, wait_seconds=5)
    try:
        async with pool.acquire() as conn:
            try:
                async with conn.transaction():
                    await conn.execute("SELECT 1 / 0")
            except asyncpg.DivisionByZeroError:
                pass
        lent = [await pool.acquire() for _ in range(pool.get_max_size())]
        try:
            assert [await conn.fetchval("SELECT 1") for conn in lent] == [1] * len(lent)
        finally:
            for conn in lent:
                await pool.release(conn)
    finally:
        await pool.close()
