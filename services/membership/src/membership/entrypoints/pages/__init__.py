"""Membership's web pages under /membership: levels, joining and signing in for everyone; the
member's own page; the operators' dashboard, member search and levels.

Thin like the JSON routes: they read a form, call the same service-layer code, and render.
"""

from convene_web.routes import web_router
from membership.entrypoints.pages import (
    joining,
    member,
    member_dues,
    member_privacy,
    member_seats,
    operator_dashboard,
    operator_imports,
    operator_levels,
    operator_members,
    operator_payments,
    operator_staff,
    operator_staff_changes,
    signing_in,
)

PUBLIC = [joining.router, signing_in.router]
MEMBER = [member.router, member_dues.router, member_privacy.router, member_seats.router]
OPERATOR = [
    operator_dashboard.router,
    operator_members.router,
    operator_imports.router,
    operator_levels.router,
    operator_payments.router,
    operator_staff.router,
    operator_staff_changes.router,
]
# web_router goes last: its default operator home gives way to the dashboard defined before it.
ROUTERS = [*PUBLIC, *MEMBER, *OPERATOR, web_router("/membership")]
