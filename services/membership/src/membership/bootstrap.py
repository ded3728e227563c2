"""Wires the membership service together: settings, Stripe, routes, pages, the dues calendar."""

import asyncio
from pathlib import Path
from uuid import UUID

from fastapi import Request

from convene_contracts import CONFERENCE, EXPORTS, MEMBERSHIP, NOTIFICATIONS
from convene_delivery.retention import RetentionRule
from convene_service.audit import collect_audit
from convene_service.spec import Runtime, ServiceSpec
from convene_service.staff import StaffDirectory
from convene_web.handlers import EXCEPTION_HANDLERS as PAGE_EXCEPTION_HANDLERS
from convene_web.pages import install_pages
from membership.adapters.stripe_gateway import StripeGateway
from membership.adapters.unit_of_work import PostgresUnitOfWork
from membership.config import MembershipSettings
from membership.entrypoints.http import ROUTERS
from membership.entrypoints.http.common import request_context
from membership.entrypoints.http.errors import EXCEPTION_HANDLERS
from membership.entrypoints.jobs import run_dues_calendar, run_member_imports
from membership.entrypoints.pages import ROUTERS as PAGE_ROUTERS
from membership.entrypoints.pages.words import install_words
from membership.entrypoints.roles import ROLES
from membership.entrypoints.subscribers import subscribe
from membership.service_layer import staff
from membership.service_layer.deps import Deps
from membership.service_layer.sign_in import member_of_session


async def start(runtime: Runtime) -> None:
    settings = runtime.settings
    assert isinstance(settings, MembershipSettings)
    pool = runtime.pool
    deps = Deps(settings, StripeGateway(settings), uow=lambda: PostgresUnitOfWork(pool))
    runtime.deps = deps
    pages = install_pages(runtime, "/membership", Path(__file__).parent / "entrypoints" / "pages" / "templates")
    install_words(pages)

    async def is_member_session(request: Request, token: str) -> bool:
        return await member_of_session(deps, token) is not None

    async def sign_in_staff(request: Request, email: str, password: str, code: str) -> tuple[UUID, UUID] | None:
        return await staff.sign_in(deps, email, password, code, request.client.host if request.client else "")

    async def sign_out_staff(request: Request, staff_id: UUID, credential_id: UUID) -> None:
        await staff.sign_out(deps, await request_context(request), staff_id, credential_id)

    pages.sign_in_staff = sign_in_staff
    pages.sign_out_staff = sign_out_staff
    runtime.known_caller = is_member_session
    subscribe(runtime)
    runtime.staff = StaffDirectory(pool, settings.session_secret)
    runtime.staff_roles = ROLES
    collect_audit(runtime.broker, pool, runtime.retry)
    runtime.tasks.append(asyncio.create_task(run_dues_calendar(deps), name="dues-calendar"))
    runtime.tasks.append(asyncio.create_task(run_member_imports(deps), name="member-imports"))


SPEC = ServiceSpec(
    name="membership",
    settings_class=MembershipSettings,
    migrations=Path(__file__).parent / "migrations",
    topics=[MEMBERSHIP, EXPORTS, CONFERENCE, NOTIFICATIONS],  # the other two: their audit entries (collect_audit)
    routers=[*ROUTERS, *PAGE_ROUTERS],
    start=start,
    # A Stripe event id stops a repeated webhook; Stripe retries for 3 days, so a month is plenty.
    retention=[
        RetentionRule.rows("stripe_events", "received_at", "stripe_events_retention_days"),
        # A gathered export holds the person's data from every service: a day, then gone.
        RetentionRule.rows("export_requests", "requested_at", "export_retention_days"),
        RetentionRule.rows("export_parts", "received_at", "export_retention_days"),
        # An import's checked rows name people: kept a month for looking into an import, then gone.
        RetentionRule.rows("member_imports", "checked_at", "import_retention_days"),
    ],
    exception_handlers=EXCEPTION_HANDLERS | PAGE_EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    description="Levels, members, memberships and dues. Publishes convene.membership.v1.",
)
