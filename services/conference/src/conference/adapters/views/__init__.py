"""Read-side queries for pages, dashboards, exports and reports: they change nothing and return
plain rows. `PostgresViews(pool)` reads outside any transaction (one round trip per statement);
inside a unit of work, `uow.views` reads on its connection."""

from conference.adapters.views.attendee import AttendeeViews
from conference.adapters.views.operator import OperatorViews
from conference.adapters.views.reports import ReportViews


class PostgresViews(AttendeeViews, OperatorViews, ReportViews):
    pass
