"""Notifications' HTTP API: the delivery log and resend for operators (N3), unsubscribe (N4)."""

from notifications.entrypoints.http import deliveries, unsubscribing

ROUTERS = [deliveries.router, unsubscribing.router]
