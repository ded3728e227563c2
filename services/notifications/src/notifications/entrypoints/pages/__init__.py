"""Notifications' web pages under /mail: for now the page behind the footer's unsubscribe link."""

from pathlib import Path

from convene_web.routes import web_router
from notifications.entrypoints.pages import unsubscribing

TEMPLATES = Path(__file__).parent / "templates"

# web_router goes last: its default operator home gives way to one defined before it.
ROUTERS = [unsubscribing.router, web_router("/mail")]
