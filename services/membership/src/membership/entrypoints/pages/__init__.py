"""Membership's web pages under /membership: levels, joining and signing in for everyone; the
member's own page.

Thin like the JSON routes: they read a form, call the same service-layer code, and render.
"""

from convene_web.routes import web_router
from membership.entrypoints.pages import (
    joining,
    member,
    member_dues,
    member_privacy,
    member_seats,
    signing_in,
)

PUBLIC = [joining.router, signing_in.router]
MEMBER = [member.router, member_dues.router, member_privacy.router, member_seats.router]
# web_router goes last: its default operator home gives way to one defined before it.
ROUTERS = [*PUBLIC, *MEMBER, web_router("/membership")]
