"""Importing members (M12): the dry run of an uploaded file, the levels it proposes, and starting
the import, which the import job (`import_job.py`) then applies batch by batch.

The dry run writes no member, membership or event: it keeps the checked file (its rows as read and
the report) so that the operator can confirm without uploading it again.
"""

from contextlib import suppress
from dataclasses import asdict
from typing import Any
from uuid import UUID, uuid4

from membership.domain.errors import Conflict, Invalid, NotFound
from membership.domain.import_file import read_table
from membership.domain.import_rows import Record, Refusal, as_json, columns_of, from_json, read_rows
from membership.domain.model import Level, LevelKind, Term
from membership.service_layer import levels as level_cases
from membership.service_layer.deps import Deps
from membership.service_layer.import_plan import Held, Outcome, check_levels, level_named, outcome, wanted
from membership.service_layer.unit_of_work import UnitOfWork

REFUSED_SHOWN = 1000  # the report lists this many refused rows; the count says how many in all


async def check(deps: Deps, data: bytes, file_name: str, mapping: dict[str, str] | None) -> dict[str, Any]:
    """The dry run: reads the file (a `BadFile` refuses it whole), checks every row and counts
    what importing it would do. Returns the report, with the import's id to confirm it by."""
    table = read_table(data, file_name)
    columns = columns_of(table, mapping)
    records, refused = read_rows(table, columns)
    import_id = uuid4()
    async with deps.uow() as uow:
        report = await _report(deps, uow, records, refused, columns)
        values = {
            "file_name": file_name[:200] or "upload",
            "encoding": table.encoding,
            "columns": {"map": columns, "refused_in_file": [asdict(r) for r in refused]},
            "report": report,
            "checked_at": deps.clock(),
        }
        await uow.imports.add(import_id, values, [(r.row, as_json(r)) for r in records])
        await uow.commit([])
    return await progress(deps, import_id)


async def progress(deps: Deps, import_id: UUID) -> dict[str, Any]:
    async with deps.uow() as uow:
        found = await uow.imports.get(import_id)
    if found is None:
        raise NotFound("import")
    return {
        "id": str(found["id"]),
        "file_name": found["file_name"],
        "encoding": found["encoding"],
        "status": found["status"],
        "total": found["total"],
        "done": found["done"],
        "applied": found["applied"],
        "send_invitations": found["send_invitations"],
        **found["report"],
    }


async def create_proposed_levels(deps: Deps, import_id: UUID, currency: str) -> dict[str, Any]:
    """The operator confirms the levels the dry run proposed: each is created free and annual (an
    export carries no prices; the operator sets them on the levels page), then the file is checked
    again against them."""
    async with deps.uow() as uow:
        found = await uow.imports.get(import_id)
    if found is None:
        raise NotFound("import")
    if found["status"] != "checked":
        raise Conflict("this import has started already; its levels cannot change")
    for proposed in found["report"]["proposed_levels"]:
        organizational = proposed["organizational"]
        with suppress(Conflict):  # created since by someone else: the recheck finds it
            await level_cases.create_level(
                deps,
                name=proposed["name"],
                price_minor=0,
                currency=currency,
                term=Term.ANNUAL,
                kind=LevelKind.ORGANIZATIONAL if organizational else LevelKind.INDIVIDUAL,
                seat_count=proposed["seat_count"] if organizational else None,
                description="Created by a member import",
            )
    return await recheck(deps, import_id)


async def recheck(deps: Deps, import_id: UUID) -> dict[str, Any]:
    async with deps.uow() as uow:
        found = await uow.imports.get(import_id, lock=True)
        if found is None:
            raise NotFound("import")
        records = [from_json(r) for r in await uow.imports.records(import_id)]
        in_file = [Refusal(**r) for r in found["columns"]["refused_in_file"]]
        report = await _report(deps, uow, records, in_file, found["columns"]["map"])
        await uow.imports.set_report(import_id, report)
        await uow.commit([])
    return await progress(deps, import_id)


async def start(deps: Deps, import_id: UUID, *, send_invitations: bool, leave_out_refused: bool) -> dict[str, Any]:
    """Queues the checked import. While rows are refused it starts only if the operator chose to
    leave them out; nothing is written until then."""
    await recheck(deps, import_id)  # levels may have changed since the dry run
    async with deps.uow() as uow:
        found = await uow.imports.get(import_id, lock=True)
        assert found is not None
        if found["status"] != "checked":
            raise Conflict("this import has started already")
        refused = found["report"]["counts"][Outcome.REFUSED]
        if refused and not leave_out_refused:
            first = found["report"]["refused"][0]
            raise Invalid(
                "leave_out_refused",
                f"{refused} rows are refused (the first: row {first['row']}, {first['column']}: {first['reason']});"
                " correct the file and upload it again, or choose to leave them out",
            )
        await uow.imports.queue(import_id, send_invitations, deps.clock())
        await uow.commit([])
    return await progress(deps, import_id)


async def _report(
    deps: Deps, uow: UnitOfWork, records: list[Record], refused: list[Refusal], columns: dict[str, str]
) -> dict[str, Any]:
    levels = await uow.levels.all(include_retired=False)
    kept, level_refusals, proposals = check_levels(records, levels, columns)
    refused = sorted(refused + level_refusals, key=lambda r: r.row)
    counts = {o.value: 0 for o in Outcome}
    counts[Outcome.REFUSED] = len(refused)
    for _, found in await outcomes(deps, uow, kept, levels):
        counts[found] += 1
    return {
        "counts": counts,
        "refused": [asdict(r) for r in refused[:REFUSED_SHOWN]],
        "proposed_levels": [asdict(p) for p in proposals],
        "importable_rows": [r.row for r in kept],
    }


def keys_of(records: list[Record]) -> dict[str, tuple[str | None, str]]:
    """The keys to look up: each member row's, and each seat's bundle (its membership only)."""
    keys = {r.key: (r.source_id, r.email) for r in records if not r.seat}
    for r in records:
        if r.bundle_key and r.bundle_key not in keys:
            keys[r.bundle_key] = (None, "")
    return keys


async def outcomes(
    deps: Deps, uow: UnitOfWork, records: list[Record], levels: list[Level]
) -> list[tuple[Record, Outcome]]:
    """Each row's outcome next to what Convene holds; a seat is judged by its bundle's membership."""
    held = await uow.imports.held(keys_of(records))
    found: list[tuple[Record, Outcome]] = []
    now, zone = deps.clock(), deps.settings.zone
    for record in records:
        if record.seat:
            assert record.bundle_key is not None
            found.append((record, outcome(record, None, Held(), held[record.bundle_key])))
            continue
        level = level_named(levels, record.level_name)
        assert level is not None
        found.append((record, outcome(record, wanted(record, level, zone, now), held[record.key])))
    return found
