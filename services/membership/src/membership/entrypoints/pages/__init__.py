"""Membership's web pages under /membership: levels, joining, signing in, the member's page.

Thin like the JSON routes: they read a form, call the same service-layer code, and render.
"""

from convene_web.routes import web_router
from membership.entrypoints.pages import joining, member, signing_in

# web_router goes last: its default operator home gives way to one defined before it.
ROUTERS = [joining.router, signing_in.router, member.router, web_router("/membership")]
