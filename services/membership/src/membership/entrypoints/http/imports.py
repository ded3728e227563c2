"""Operator endpoints for importing members (M12): upload a contacts export for its dry run,
create the levels it proposes, start the import, follow its progress."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from convene_service.audit import add_to_summary
from convene_service.http import Operator
from convene_service.inputs import Line
from convene_service.responses import OPERATORS, WITH_BODY, declared
from membership.domain.errors import BadFile
from membership.domain.import_rows import FIELDS
from membership.entrypoints.http.common import DepsOf
from membership.entrypoints.http.schemas import Currency, Input
from membership.service_layer import imports

router = APIRouter(tags=["imports"], dependencies=[Operator], responses=OPERATORS | declared(404, 409))
TYPES = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
FILE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The file itself: a Wild Apricot contacts export (CSV or XLSX) or a plain CSV.",
        "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in TYPES},
    }
}


Column = Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")]


class Mapping(BaseModel):
    """Which column of a plain CSV holds each field; Wild Apricot's headers need none."""

    model_config = ConfigDict(extra="forbid")

    file_name: Line = Field(default="", description="The uploaded file's name (.xlsx is read as a workbook).")
    # The column of each field, when it is not named as Wild Apricot names it.
    source_id_column: Column = ""
    first_name_column: Column = ""
    last_name_column: Column = ""
    name_column: Column = ""
    organization_column: Column = ""
    email_column: Column = ""
    phone_column: Column = ""
    level_column: Column = ""
    status_column: Column = ""
    member_since_column: Column = ""
    renewal_due_column: Column = ""
    bundle_id_column: Column = ""
    bundle_role_column: Column = ""


class LevelsIn(Input):
    currency: str = Currency


class StartIn(Input):
    send_invitations: bool = Field(default=False, description="Email each member (the welcome email) as imported.")
    leave_out_refused: bool = Field(default=False, description="Import the other rows even though some are refused.")


async def read_upload(request: Request, limit_megabytes: float) -> bytes:
    """The body, refused with 413 once it passes the limit (nothing more of it is read)."""
    limit = int(limit_megabytes * 1024 * 1024)
    declared_length = request.headers.get("content-length", "")
    if declared_length.isdigit() and int(declared_length) > limit:
        raise BadFile("file", f"the file is over {limit_megabytes:g} MB; split it into smaller files", 413)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise BadFile("file", f"the file is over {limit_megabytes:g} MB; split it into smaller files", 413)
    return bytes(data)


@router.post(
    "/imports",
    status_code=status.HTTP_201_CREATED,
    summary="Check a contacts export (the dry run): counts per outcome and every refused row; nothing imported",
    openapi_extra=FILE_BODY,
    responses=declared(400, 413, 422),
)
async def check_import(request: Request, deps: DepsOf, mapping: Annotated[Mapping, Query()]) -> dict[str, Any]:
    data = await read_upload(request, deps.settings.import_max_megabytes)
    chosen = {f: getattr(mapping, f"{f}_column") for f in FIELDS if getattr(mapping, f"{f}_column", "")}
    report = await imports.check(deps, data, mapping.file_name, chosen or None)
    add_to_summary(f"{mapping.file_name or 'upload'}: {report['total']} rows checked")
    return report


@router.get("/imports/{import_id}", summary="An import's report and progress")
async def import_progress(import_id: UUID, deps: DepsOf) -> dict[str, Any]:
    return await imports.progress(deps, import_id)


@router.post(
    "/imports/{import_id}/levels",
    summary="Create the levels the dry run proposed (free, annual) and check the file again",
    responses=WITH_BODY,
)
async def create_levels(import_id: UUID, body: LevelsIn, deps: DepsOf) -> dict[str, Any]:
    return await imports.create_proposed_levels(deps, import_id, body.currency)


@router.post(
    "/imports/{import_id}/start",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start the checked import; follow it at GET /imports/{import_id}",
    responses=WITH_BODY,
)
async def start_import(import_id: UUID, body: StartIn, deps: DepsOf) -> dict[str, Any]:
    return await imports.start(
        deps, import_id, send_invitations=body.send_invitations, leave_out_refused=body.leave_out_refused
    )
