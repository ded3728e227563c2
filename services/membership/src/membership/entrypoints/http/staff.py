"""Staff accounts over the API (docs/staff.md): the first owner (the bootstrap operator token's only
use), staff, their credentials, API tokens. Who may call what: `entrypoints/roles.py`."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request, status

from convene_service.audit import note_change
from convene_service.http import Credentials, Operator, Staff, is_bootstrap_token
from convene_service.inputs import Offset
from convene_service.responses import OPERATORS, WITH_BODY, CsvResponse, declared
from convene_service.staff import StaffCaller
from membership.domain.staff import Actor
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.entrypoints.http.staff_schemas import (
    ApiTokenIn,
    AuditEntryOut,
    CredentialOut,
    FirstOwnerIn,
    FirstOwnerOut,
    IssuedTokenOut,
    SecondStepIn,
    SecondStepProposal,
    StaffEdit,
    StaffIn,
    StaffOut,
)
from membership.service_layer import audit_log as audit_log_entries
from membership.service_layer import second_step, staff

router = APIRouter(tags=["staff"], responses=OPERATORS | WITH_BODY | declared(404, 409))


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def actor(caller: StaffCaller, request: Request) -> Actor:
    return Actor(caller.staff_id, caller.name, caller.role, client_of(request))


@router.post("/staff/first-owner", status_code=status.HTTP_201_CREATED, summary="Create the first owner, once")
async def first_owner(
    body: FirstOwnerIn, request: Request, credentials: Credentials, deps: DepsOf, ctx: Ctx
) -> FirstOwnerOut:
    """Needs the bootstrap operator token; answers 409 once any staff member exists."""
    if not is_bootstrap_token(request, credentials):
        raise HTTPException(401, "the bootstrap operator token is needed", headers={"WWW-Authenticate": "Bearer"})
    note_change(
        "POST", None, "bootstrap operator token", "first_owner", "", "Create the first owner", client_of(request)
    )
    owner, issued = await staff.create_first_owner(
        deps, ctx, body.email.lower(), body.name, body.password, client_of(request)
    )
    token = IssuedTokenOut(credential=CredentialOut.of(issued.credential), token=issued.token)
    return FirstOwnerOut(staff=StaffOut.of(owner), api_token=token)


@router.get("/staff", dependencies=[Operator], summary="Every staff member, removed ones too")
async def list_staff(deps: DepsOf) -> list[StaffOut]:
    return [StaffOut.of(s) for s in await staff.all_staff(deps)]


@router.post("/staff", status_code=status.HTTP_201_CREATED, summary="Add a staff member")
async def add_staff(body: StaffIn, request: Request, caller: Staff, deps: DepsOf, ctx: Ctx) -> StaffOut:
    added = await staff.add_staff(
        deps, ctx, actor(caller, request), body.email.lower(), body.name, body.role, body.password
    )
    return StaffOut.of(added)


@router.patch("/staff/{staff_id}", summary="Change a staff member's role or name")
async def change_staff(
    staff_id: UUID, body: StaffEdit, request: Request, caller: Staff, deps: DepsOf, ctx: Ctx
) -> StaffOut:
    return StaffOut.of(await staff.change_staff(deps, ctx, actor(caller, request), staff_id, body.role, body.name))


@router.delete("/staff/{staff_id}", summary="Remove a staff member: signed out and refused everywhere")
async def remove_staff(staff_id: UUID, request: Request, caller: Staff, deps: DepsOf, ctx: Ctx) -> StaffOut:
    return StaffOut.of(await staff.remove_staff(deps, ctx, actor(caller, request), staff_id))


@router.get("/staff/{staff_id}/credentials", summary="A staff member's sessions and API tokens")
async def credentials(staff_id: UUID, request: Request, caller: Staff, deps: DepsOf) -> list[CredentialOut]:
    return [CredentialOut.of(c) for c in await staff.credentials_of(deps, actor(caller, request), staff_id)]


@router.post(
    "/staff/{staff_id}/api-tokens", status_code=status.HTTP_201_CREATED, summary="Issue an API token (shown once)"
)
async def issue_api_token(
    staff_id: UUID, body: ApiTokenIn, request: Request, caller: Staff, deps: DepsOf, ctx: Ctx
) -> IssuedTokenOut:
    issued = await staff.issue_api_token(deps, ctx, actor(caller, request), staff_id, body.label)
    return IssuedTokenOut(credential=CredentialOut.of(issued.credential), token=issued.token)


@router.post("/staff/credentials/{credential_id}/revoke", summary="Sign a session out or revoke an API token")
async def revoke(credential_id: UUID, request: Request, caller: Staff, deps: DepsOf, ctx: Ctx) -> CredentialOut:
    return CredentialOut.of(await staff.revoke_credential(deps, ctx, actor(caller, request), credential_id))


@router.get("/audit-log", dependencies=[Operator], summary="Every operator change in every service, newest first")
async def audit_log(
    deps: DepsOf, limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[Offset, Query()] = 0
) -> list[AuditEntryOut]:
    return [AuditEntryOut(**row) for row in await audit_log_entries.entries(deps, limit, offset)]


@router.get("/audit-log.csv", dependencies=[Operator], response_class=CsvResponse, summary="The audit log as CSV")
async def audit_log_csv(deps: DepsOf) -> CsvResponse:
    body = await audit_log_entries.export_csv(deps)
    return CsvResponse(body, headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})


@router.post("/staff/{staff_id}/second-step/proposal", summary="A new secret for an authenticator app (not kept)")
async def propose_second_step(staff_id: UUID, request: Request, caller: Staff, deps: DepsOf) -> SecondStepProposal:
    if caller.staff_id != staff_id:
        raise HTTPException(403, "only the staff member themself may set up their second step")
    secret, uri = second_step.proposed(deps, caller.name)
    return SecondStepProposal(secret=secret, otpauth_uri=uri)


@router.put("/staff/{staff_id}/second-step", status_code=204, summary="Turn the second step on, with a code")
async def turn_on_second_step(
    staff_id: UUID, body: SecondStepIn, request: Request, caller: Staff, deps: DepsOf
) -> None:
    await second_step.turn_on(deps, actor(caller, request), staff_id, body.secret, body.code)


@router.delete("/staff/{staff_id}/second-step", status_code=204, summary="Turn the second step off")
async def turn_off_second_step(staff_id: UUID, request: Request, caller: Staff, deps: DepsOf) -> None:
    await second_step.turn_off(deps, actor(caller, request), staff_id)
