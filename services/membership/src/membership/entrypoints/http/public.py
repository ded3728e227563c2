"""Public endpoints: levels, joining, sign-in. Those that cost something are rate-limited."""

from fastapi import APIRouter, Depends, HTTPException, status

from convene_service.http import RateLimit
from convene_service.responses import WITH_BODY, declared
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.entrypoints.http.schemas import JoinIn, JoinOut, LevelOut, MembershipOut, SessionOut, SignInIn
from membership.service_layer import joining, levels, sign_in

router = APIRouter(tags=["public"])


@router.get("/levels", summary="Membership levels open for joining")
async def list_levels(deps: DepsOf) -> list[LevelOut]:
    return [LevelOut.of(level) for level in await levels.list_levels(deps)]


@router.post(
    "/memberships",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(RateLimit("join"))],
    responses=WITH_BODY | declared(409, 429, 502),
    summary="Apply for a membership and get the Stripe Checkout link to pay the dues",
)
async def join(body: JoinIn, deps: DepsOf, ctx: Ctx) -> JoinOut:
    joined = await joining.join(
        deps,
        ctx,
        name=body.name,
        email=body.email.lower(),
        level_id=body.level_id,
        auto_renew=body.auto_renew,
        organization_name=body.organization_name,
    )
    return JoinOut(membership=MembershipOut.of(joined.membership), checkout_url=joined.checkout_url)


@router.post(
    "/sign-in",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[Depends(RateLimit("sign-in"))],
    responses=WITH_BODY | declared(429),
    summary="Email a single-use sign-in link to a member (the answer is the same for anyone)",
)
async def request_sign_in(body: SignInIn, deps: DepsOf, ctx: Ctx) -> dict[str, str]:
    await sign_in.request_link(deps, ctx, body.email.lower())
    return {"detail": "if this address belongs to a member, a sign-in link is on its way"}


@router.post("/sign-in/{token}", responses=declared(401), summary="Exchange an emailed sign-in link for a session")
async def redeem_sign_in(token: str, deps: DepsOf) -> SessionOut:
    session = await sign_in.redeem_link(deps, token)
    if session is None:
        raise HTTPException(401, "this sign-in link is unknown, used already or expired: ask for a new one")
    return SessionOut(session_token=session.session_token, expires_at=session.expires_at)
