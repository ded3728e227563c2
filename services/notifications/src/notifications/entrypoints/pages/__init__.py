"""Notifications' web pages under /mail: the page behind the footer's unsubscribe link, and
Convene's AsyncAPI document with its page."""

from pathlib import Path

from convene_web.routes import web_router
from notifications.entrypoints.pages import asyncapi, start, unsubscribing

TEMPLATES = Path(__file__).parent / "templates"

# web_router goes last: its default operator home gives way to one defined before it.
ROUTERS = [start.router, unsubscribing.router, asyncapi.router, web_router("/mail")]
