"""A small app with pages, built on convene_web alone: no Kafka or service needed, and Postgres only
for the rate limits (the chassis' table, on a database of its own)."""

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from convene_contracts.membership import StaffRole
from convene_delivery.migrations import MigrationSource, migrate
from convene_service import rate_limits
from convene_service.rate_limits import RateLimits
from convene_service.staff import StaffCaller
from convene_web.access import MemberPage, OperatorPage
from convene_web.csrf import CsrfProtected
from convene_web.forms import posted, validate
from convene_web.handlers import EXCEPTION_HANDLERS
from convene_web.pages import Pages, PagesOf
from convene_web.routes import web_router
from convene_web.settings import WebSettings

OPERATOR_TOKEN = "test-operator-token-0123456789"
SECRET = "test-session-secret-0123456789-0123456789"
STAFF_EMAIL, STAFF_PASSWORD = "olive@cit.example", "olive-password-0123"
STAFF = StaffCaller(UUID(int=1), "Olive Owner", StaffRole.OWNER, UUID(int=2))


class OneStaffMember:
    """The staff directory of this app without a database: one owner, with one credential,
    until `revoked` (the services' own directory is tested on the real stack)."""

    def __init__(self) -> None:
        self.revoked = False

    async def find(self, staff_id: UUID, credential_id: UUID) -> StaffCaller | None:
        known = (staff_id, credential_id) == (STAFF.staff_id, STAFF.credential_id)
        return STAFF if known and not self.revoked else None

    async def sign_in(self, request: Request, email: str, password: str, code: str) -> tuple[UUID, UUID] | None:
        right = (email, password) == (STAFF_EMAIL, STAFF_PASSWORD)
        return (STAFF.staff_id, STAFF.credential_id) if right else None


def web_settings(**overrides: Any) -> WebSettings:
    values: dict[str, Any] = {
        "database_url": "postgresql://nobody@127.0.0.1:1/unused",
        "kafka_bootstrap_servers": "127.0.0.1:1",
        "operator_token_sha256": hashlib.sha256(OPERATOR_TOKEN.encode()).hexdigest(),
        "session_secret": SECRET,
        "association_name": "CIT International",
        "association_address": "PO Box 1, Memphis TN",
        "rate_limit_per_minute": 5,
    }
    return WebSettings(_env_prefix="CONVENE_WEB_TEST_UNUSED_", **(values | overrides))


class Note(BaseModel):
    note: str = Field(min_length=2, max_length=50)


@dataclass
class Notes:
    """The app under test and what its form has written."""

    app: FastAPI
    saved: list[str] = field(default_factory=list)


def notes_app(settings: WebSettings, limits: RateLimits) -> Notes:
    app = FastAPI()
    notes = Notes(app)
    pages = Pages(settings, "/things", "https://pages.example", Path(__file__).parent / "templates")
    directory = OneStaffMember()
    pages.sign_in_staff = directory.sign_in
    app.state.runtime = SimpleNamespace(
        settings=settings, pages=pages, rate_limits=limits, known_caller=None, staff=directory, staff_roles={}
    )
    router = APIRouter(prefix="/things")

    @router.get("/notes")
    async def form(request: Request, pages: PagesOf) -> Response:
        return pages.render(request, "notes.html")

    @router.post("/notes", dependencies=[CsrfProtected])
    async def save(request: Request, pages: PagesOf) -> Response:
        note, state = validate(Note, posted(await request.form()), {"note": "Write a note of 2 to 50 characters"})
        if note is None:
            return pages.render(request, "notes.html", status=400, form=state)
        notes.saved.append(note.note)
        return pages.redirect("/things/notes")

    @router.get("/mine")
    async def mine(session: MemberPage) -> dict[str, str]:
        return {"email": session.email or ""}

    @router.get("/operator/secrets")
    async def secrets(session: OperatorPage) -> dict[str, str]:
        return {"kind": session.kind}

    app.include_router(router)
    app.include_router(web_router("/things"))
    for exception, handler in EXCEPTION_HANDLERS.items():
        app.add_exception_handler(exception, handler)
    return notes


@pytest.fixture
async def limits(database: str) -> AsyncIterator[RateLimits]:
    """The chassis' rate limits, on a database of the test's own."""
    pool = await asyncpg.create_pool(database, min_size=1, max_size=2)
    async with pool.acquire() as conn:
        await migrate(conn, [MigrationSource("chassis", rate_limits.MIGRATIONS)])
    yield RateLimits(pool)
    await pool.close()


@pytest.fixture
def notes(limits: RateLimits) -> Notes:
    return notes_app(web_settings(), limits)


@pytest.fixture
async def client(notes: Notes) -> AsyncIterator[httpx.AsyncClient]:
    # https, so the client sends back the Secure cookies the app sets.
    transport = httpx.ASGITransport(app=notes.app)
    async with httpx.AsyncClient(transport=transport, base_url="https://pages.example") as client:
        yield client
