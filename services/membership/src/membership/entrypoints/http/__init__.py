"""Membership's HTTP API, one module per audience: the public, members, operators, Stripe."""

from membership.entrypoints.http import (
    exports,
    imports,
    members,
    operator_privacy,
    operators,
    public,
    staff,
    webhooks,
)

ROUTERS = [
    public.router,
    webhooks.router,
    members.router,
    exports.router,
    operators.router,
    imports.router,
    operator_privacy.router,
    staff.router,
]
