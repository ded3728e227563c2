"""Who the staff are, as every service sees them: roles, credentials, and the local directory.

Membership owns the staff (docs/staff.md). A staff member's session cookie and API tokens each name
the staff id and a credential id, signed with SESSION_SECRET, so any service can read them. On
every request a service asks its own Postgres: is this person active, what is their role, and was
this credential revoked? Conference and notifications keep those two facts in `staff_directory`
and `revoked_credentials`, fed by membership's `staff_changed` and `staff_credential_revoked`
events; membership has views of the same names over its own tables. Nothing is asked over HTTP.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

import asyncpg
from faststream.kafka import KafkaBroker
from itsdangerous import BadSignature, URLSafeSerializer

from convene_contracts import MEMBERSHIP, Event
from convene_contracts import membership as m
from convene_contracts.membership import StaffRole as Role
from convene_delivery.consumer import Handler, RetryPolicy, Subscription
from convene_delivery.inbox import apply_once
from convene_delivery.postgres import Connection
from convene_service.audit import note_change

Roles = frozenset[Role]
EVERYONE: Roles = frozenset(Role)
OWNERS: Roles = frozenset({Role.OWNER})


@dataclass(frozen=True)
class StaffCaller:
    """A signed-in staff member, as a request sees them."""

    staff_id: UUID
    name: str
    role: Role
    credential_id: UUID


RouteRoles = Mapping[tuple[str, str], Roles]
"""(method, route path) -> the roles allowed; a route that is missing allows owners only."""


def allowed_roles(route_roles: RouteRoles, method: str, path: str) -> Roles:
    return route_roles.get((method, path), OWNERS)


def _tokens(secret: str) -> URLSafeSerializer:
    # Its own salt: an API token is never accepted as a session cookie, nor the other way round.
    return URLSafeSerializer(secret, salt="convene-staff-api-token")


def api_token(secret: str, staff_id: UUID, credential_id: UUID) -> str:
    return "cvn_" + str(_tokens(secret).dumps({"staff": str(staff_id), "credential": str(credential_id)}))


def read_api_token(secret: str, token: str) -> tuple[UUID, UUID] | None:
    """(staff id, credential id) of a token we signed; None for anything else."""
    if not token.startswith("cvn_"):
        return None
    try:
        data: Any = _tokens(secret).loads(token[4:])
        return UUID(data["staff"]), UUID(data["credential"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


class StaffDirectory:
    """The service's local view of the staff: one indexed query per request."""

    def __init__(self, pool: asyncpg.Pool, secret: str) -> None:
        self._pool = pool
        self._secret = secret

    async def find(self, staff_id: UUID, credential_id: UUID) -> StaffCaller | None:
        """The staff member behind a credential; None if unknown, removed, or the credential revoked."""
        row = await self._pool.fetchrow(
            """SELECT name, role FROM staff_directory d
               WHERE d.staff_id = $1 AND d.active
                 AND NOT EXISTS (SELECT 1 FROM revoked_credentials r WHERE r.credential_id = $2)""",
            staff_id,
            credential_id,
        )
        if row is None or row["role"] not in Role.__members__.values():
            return None
        return StaffCaller(staff_id, row["name"], Role(row["role"]), credential_id)

    async def bearer(self, token: str) -> StaffCaller | None:
        ids = read_api_token(self._secret, token)
        return await self.find(*ids) if ids else None


async def remember_staff(conn: Connection, staff_id: UUID, name: str, role: str, active: bool, at: datetime) -> None:
    """The newest fact about a staff member wins, whatever order redeliveries come in."""
    await conn.execute(
        """INSERT INTO staff_directory (staff_id, name, role, active, changed_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (staff_id) DO UPDATE SET name = excluded.name, role = excluded.role,
               active = excluded.active, changed_at = excluded.changed_at
           WHERE staff_directory.changed_at <= excluded.changed_at""",
        staff_id,
        name,
        role,
        active,
        at,
    )


async def remember_revoked(conn: Connection, staff_id: UUID, credential_id: UUID) -> None:
    await conn.execute(
        """INSERT INTO revoked_credentials (credential_id, staff_id) VALUES ($1, $2)
           ON CONFLICT (credential_id) DO NOTHING""",
        credential_id,
        staff_id,
    )


async def _on_staff_changed(pool: asyncpg.Pool, consumer: str, event: Event) -> None:
    assert isinstance(event, m.StaffChanged)
    p = event.payload

    async def effect(conn: Connection) -> None:
        await remember_staff(conn, p.staff_id, p.name, p.role, p.active, p.changed_at)

    await apply_once(pool, consumer, event, effect)


async def _on_credential_revoked(pool: asyncpg.Pool, consumer: str, event: Event) -> None:
    assert isinstance(event, m.StaffCredentialRevoked)
    p = event.payload

    async def effect(conn: Connection) -> None:
        await remember_revoked(conn, p.staff_id, p.credential_id)

    await apply_once(pool, consumer, event, effect)


def subscribe_to_staff(broker: KafkaBroker, pool: asyncpg.Pool, service: str, retry: RetryPolicy) -> None:
    """Keeps `staff_directory` and `revoked_credentials` of a service other than membership."""
    consumer = f"{service}-staff"
    handlers: dict[str, Handler] = {
        "membership.staff_changed": partial(_on_staff_changed, pool, consumer),
        "membership.staff_credential_revoked": partial(_on_credential_revoked, pool, consumer),
    }
    Subscription(broker, topic=MEMBERSHIP, group_id=consumer, handlers=handlers, retry=retry)


def note_staff_change(
    caller: StaffCaller, method: str, route: object, path_params: dict[str, Any], client: str
) -> None:
    """The audit note of an operator request that may change something (convene_service.audit)."""
    action = str(getattr(route, "name", "") or "change")
    summary = str(getattr(route, "summary", None) or action.replace("_", " "))
    target = ", ".join(f"{k}={v}" for k, v in path_params.items()) or str(getattr(route, "path", ""))
    note_change(method, caller.staff_id, caller.name, action, target, summary, client)
