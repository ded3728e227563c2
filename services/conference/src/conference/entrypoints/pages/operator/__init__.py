"""The conference's operator pages under /events/operator (docs/web.md): conferences and their
dashboards, registrations, the check-in screen, and the forms that set up what a conference sells.

They go before the public pages and before web_router("/events"): their `/events/operator` home
replaces the default one, and their addresses never fall into a public page's `/events/{...}`.
"""

from conference.entrypoints.pages.operator import (
    check_in,
    comps,
    conference_form,
    conferences,
    discount_codes,
    registrations,
    ticket_types,
)

OPERATOR_PAGES = [
    check_in.router,
    conferences.router,
    conference_form.router,
    registrations.router,
    comps.router,
    ticket_types.router,
    discount_codes.router,
]
