"""Conference's web pages under /events: the public conference pages, registering, an
payer's registration and an attendee's own ticket (each by its signed link), a member's registrations, and the waitlist
offer. Thin like the JSON routes: they read a form, call the service layer, and render."""

from pathlib import Path

from conference.entrypoints.pages import claiming, conferences, member_price, mine, registering, registrations, tickets
from convene_web.routes import web_router

TEMPLATES = Path(__file__).parent / "templates"

# web_router goes last: its default operator home gives way to one defined before it.
ROUTERS = [
    mine.router,
    conferences.router,
    registering.router,
    registrations.router,
    tickets.router,
    member_price.router,
    claiming.router,
    web_router("/events"),
]
