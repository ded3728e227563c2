"""Migrations: applied once, in order, even when two instances start together."""

import asyncio
from pathlib import Path

import asyncpg
import pytest

from convene_delivery.migrations import MigrationSource, migrate


def write(folder: Path, name: str, sql: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(sql)


async def test_pending_files_are_applied_in_order_and_only_once(database: str, tmp_path: Path) -> None:
    write(tmp_path, "0001_levels.sql", "CREATE TABLE levels (id int PRIMARY KEY)")
    write(tmp_path, "0002_seed.sql", "INSERT INTO levels VALUES (1)")
    source = MigrationSource("svc", tmp_path)
    conn = await asyncpg.connect(database)
    try:
        assert await migrate(conn, [source]) == ["svc/0001_levels.sql", "svc/0002_seed.sql"]
        assert await migrate(conn, [source]) == []
        write(tmp_path, "0003_more.sql", "INSERT INTO levels VALUES (2)")
        assert await migrate(conn, [source]) == ["svc/0003_more.sql"]
        assert await conn.fetchval("SELECT count(*) FROM levels") == 2
    finally:
        await conn.close()


async def test_two_instances_starting_at_once_apply_each_file_once(database: str, tmp_path: Path) -> None:
    # CREATE TABLE without IF NOT EXISTS fails if run twice: the lock must serialise the two.
    write(tmp_path, "0001_members.sql", "CREATE TABLE members (id int); SELECT pg_sleep(0.3)")
    source = MigrationSource("svc", tmp_path)
    first, second = await asyncpg.connect(database), await asyncpg.connect(database)
    try:
        results = await asyncio.gather(migrate(first, [source]), migrate(second, [source]))
        assert sorted(results) == [[], ["svc/0001_members.sql"]]
        assert await first.fetchval("SELECT count(*) FROM schema_migrations") == 1
    finally:
        await first.close()
        await second.close()


async def test_a_failing_file_leaves_nothing_half_applied(database: str, tmp_path: Path) -> None:
    write(tmp_path, "0001_ok.sql", "CREATE TABLE ok (id int)")
    write(tmp_path, "0002_broken.sql", "CREATE TABLE broken (id int); SELECT no_such_function()")
    conn = await asyncpg.connect(database)
    try:
        with pytest.raises(asyncpg.UndefinedFunctionError):
            await migrate(conn, [MigrationSource("svc", tmp_path)])
        assert await conn.fetchval("SELECT to_regclass('ok')") is None
    finally:
        await conn.close()


def test_a_badly_named_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "add-members.sql", "SELECT 1")
    with pytest.raises(ValueError, match=r"NNNN_description\.sql"):
        MigrationSource("svc", tmp_path).files()
