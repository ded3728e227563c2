"""Levels (M1): operators create, edit and retire them; retired levels keep their members."""

from typing import Any
from uuid import UUID, uuid4

from membership.domain.errors import Conflict, Invalid, LevelNameTaken, NotFound
from membership.domain.model import Level, LevelKind, Term
from membership.service_layer.deps import Deps


async def create_level(
    deps: Deps,
    *,
    name: str,
    price_minor: int,
    currency: str,
    term: Term,
    kind: LevelKind,
    seat_count: int | None,
    description: str,
) -> Level:
    if (kind is LevelKind.ORGANIZATIONAL) != (seat_count is not None):
        raise Invalid("seat_count", "an organizational level needs a seat count; an individual level has none")
    level = Level(uuid4(), name, price_minor, currency, term, kind, seat_count, description)
    async with deps.uow() as uow:
        try:
            await uow.levels.add(level)
        except LevelNameTaken:
            raise Conflict("a level with this name exists already", field="name") from None
        await uow.commit([])
    return level


async def edit_level(deps: Deps, level_id: UUID, changes: dict[str, Any]) -> Level:
    """Name, description, price and seats may change; existing memberships keep what they paid."""
    async with deps.uow() as uow:
        current = await uow.levels.get(level_id, include_retired=True)
        if current is None:
            raise NotFound("level")
        if "seat_count" in changes and current.kind is not LevelKind.ORGANIZATIONAL:
            raise Invalid("seat_count", "only an organizational level has seats")
        try:
            level = await uow.levels.update(level_id, changes)
        except LevelNameTaken:
            raise Conflict("a level with this name exists already", field="name") from None
        await uow.commit([])
    assert level is not None
    return level


async def retire_level(deps: Deps, level_id: UUID) -> Level:
    async with deps.uow() as uow:
        level = await uow.levels.retire(level_id, deps.clock())
        if level is None:
            raise NotFound("level")
        await uow.commit([])
    return level


async def list_levels(deps: Deps, *, include_retired: bool = False) -> list[Level]:
    async with deps.uow() as uow:
        return await uow.levels.all(include_retired=include_retired)


async def get_level(deps: Deps, level_id: UUID, *, include_retired: bool = True) -> Level | None:
    async with deps.uow() as uow:
        return await uow.levels.get(level_id, include_retired=include_retired)
