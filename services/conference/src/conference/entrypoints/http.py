"""Conference's HTTP API. Registration arrives with its own issue; for now, member pricing status."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, EmailStr

from conference.service_layer.members import is_member
from convene_delivery.http import Operator, Pool

router = APIRouter()


class MemberStatus(BaseModel):
    email: EmailStr
    member_pricing: bool


@router.get("/member-pricing", dependencies=[Operator], tags=["members"])
async def member_pricing(pool: Pool, email: Annotated[EmailStr, Query()]) -> MemberStatus:
    """Whether registrations by this email get member prices, by the conference's own member table."""
    return MemberStatus(email=email, member_pricing=await is_member(pool, email))
