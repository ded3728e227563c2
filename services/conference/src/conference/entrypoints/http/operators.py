"""Operator endpoints: conferences (C1), ticket types (C2), discount codes (C6), member status."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, status
from fastapi.responses import JSONResponse

from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.http.schemas import (
    CheckInIn,
    CompIn,
    ConferenceIn,
    Created,
    DiscountCodeIn,
    MemberStatus,
    StatusIn,
    TicketTypeIn,
)
from conference.service_layer import catalog, certificates, checkin, holding, reports
from convene_delivery.correlation import correlation_or_new
from convene_service.http import Operator, Staff
from convene_service.inputs import EmailAddress as Email
from convene_service.inputs import Text
from convene_service.responses import OPERATORS, WITH_BODY, CsvResponse, declared

router = APIRouter(tags=["operators"], dependencies=[Operator], responses=OPERATORS | WITH_BODY | declared(404, 409))


@router.post("/conferences", status_code=status.HTTP_201_CREATED, summary="Create a conference, open for registration")
async def create_conference(body: ConferenceIn, deps: DepsOf) -> Created:
    fields = body.model_dump()
    fields["questions"] = [q.model_dump() for q in body.questions]
    return Created(id=await catalog.create_conference(deps, catalog.ConferenceSetup(**fields)))


@router.post("/conferences/{conference_id}/ticket-types", status_code=status.HTTP_201_CREATED)
async def add_ticket_type(conference_id: UUID, body: TicketTypeIn, deps: DepsOf) -> Created:
    return Created(id=await catalog.add_ticket_type(deps, conference_id, body.model_dump()))


@router.post("/conferences/{conference_id}/discount-codes", status_code=status.HTTP_201_CREATED)
async def add_discount_code(conference_id: UUID, body: DiscountCodeIn, deps: DepsOf) -> Created:
    return Created(id=await catalog.add_discount_code(deps, conference_id, body.model_dump()))


@router.get("/member-pricing", tags=["members"])
async def member_pricing(deps: DepsOf, email: Annotated[Email, Query()]) -> MemberStatus:
    """Whether registrations by this email get member prices, by the conference's own member table."""
    return MemberStatus(email=email, member_pricing=await deps.views.is_member(email))


@router.post("/check-in", tags=["check-in"], summary="Scan a ticket: once; a second scan says when it was used")
async def check_in(body: CheckInIn, deps: DepsOf, caller: Staff) -> JSONResponse:
    scan = await checkin.check_in(deps, body.ticket_code, by=caller.name)
    answer = {"name": scan.name, "conference": scan.conference_name, "checked_in_at": scan.checked_in_at.isoformat()}
    if scan.first_time:
        return JSONResponse(answer | {"detail": "checked in"})
    return JSONResponse(
        answer | {"detail": f"already checked in at {scan.checked_in_at:%H:%M:%S} UTC"}, status_code=409
    )


@router.delete(
    "/check-in/{ticket_code}",
    tags=["check-in"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Undo a mistaken check-in",
)
async def undo_check_in(ticket_code: Annotated[Text, Path(max_length=40)], deps: DepsOf) -> None:
    await checkin.undo(deps, ticket_code)


@router.get("/conferences/{conference_id}/report", tags=["reports"], summary="Per ticket type: sold, held, left")
async def report(conference_id: UUID, deps: DepsOf) -> list[dict[str, Any]]:
    return await reports.summary(deps, conference_id)


@router.get("/conferences/{conference_id}/registrations.csv", tags=["reports"], response_class=CsvResponse)
async def registrations_csv(conference_id: UUID, deps: DepsOf) -> CsvResponse:
    return CsvResponse(
        await reports.registrations_csv(deps, conference_id),
        headers={"Content-Disposition": 'attachment; filename="registrations.csv"'},
    )


@router.post(
    "/conferences/{conference_id}/certificates",
    tags=["certificates"],
    summary="After the conference: certificates for everyone who checked in (once each)",
)
async def issue_certificates(conference_id: UUID, deps: DepsOf) -> dict[str, int]:
    return {"issued": await certificates.issue(deps, conference_id)}


@router.post(
    "/conferences/{conference_id}/status",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Draft, open (registration follows its instants) or closed",
)
async def set_status(conference_id: UUID, body: StatusIn, deps: DepsOf) -> None:
    await catalog.set_status(deps, conference_id, body.status)


@router.post(
    "/conferences/{conference_id}/comps",
    status_code=status.HTTP_201_CREATED,
    summary="Issue a complimentary registration: a real seat, no payment",
)
async def issue_comp(conference_id: UUID, body: CompIn, deps: DepsOf) -> dict[str, Any]:
    attendee = holding.AttendeeIn(body.name, body.email.lower(), body.ticket_type_ids, {})
    held = await holding.register(
        deps, correlation_or_new(), conference_id, body.name, body.email.lower(), [attendee], None, complimentary=True
    )
    return {"registration_id": held.registration_id, "status": held.status}
