"""Postgres types shared by the services."""

from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# A connection of its own or one lent by a pool: every query helper accepts both.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy
