"""Notifications' operator pages under /mail/operator (docs/web.md): the delivery log with resend.
They go before web_router("/mail"), whose default operator home they replace."""

from notifications.entrypoints.pages.operator import deliveries

OPERATOR_PAGES = [deliveries.router]
