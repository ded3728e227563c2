"""Which staff roles may use each operator route of conference: the one map (docs/staff.md).

A route that is missing here is for owners only (convene_service.staff.allowed_roles), and
`tests/architecture/test_staff_roles.py` fails on any operator route left out.
"""

from http import HTTPMethod as M

from convene_contracts.membership import StaffRole as R
from convene_service.staff import RouteRoles

READ = frozenset({R.OWNER, R.EVENT_STAFF, R.READ_ONLY})
WRITE = frozenset({R.OWNER, R.EVENT_STAFF})
CHECK_IN = frozenset({R.OWNER, R.EVENT_STAFF, R.CHECK_IN})
OP = "/events/operator"
ONE = f"{OP}/{{conference_id:uuid}}"

ROLES: RouteRoles = {
    # JSON API
    (M.POST, "/conferences"): WRITE,
    (M.POST, "/conferences/{conference_id}/ticket-types"): WRITE,
    (M.POST, "/conferences/{conference_id}/discount-codes"): WRITE,
    (M.POST, "/conferences/{conference_id}/certificates"): WRITE,
    (M.POST, "/conferences/{conference_id}/status"): WRITE,
    (M.POST, "/conferences/{conference_id}/comps"): WRITE,
    (M.GET, "/member-pricing"): READ,
    (M.GET, "/conferences/{conference_id}/report"): READ,
    (M.GET, "/conferences/{conference_id}/registrations.csv"): READ,
    (M.POST, "/check-in"): CHECK_IN,
    (M.DELETE, "/check-in/{ticket_code}"): CHECK_IN,
    # Pages
    (M.GET, OP): READ | CHECK_IN,  # the list of conferences leads the desk to its check-in screen
    (M.GET, f"{OP}/check-in"): CHECK_IN,
    (M.POST, f"{OP}/check-in"): CHECK_IN,
    (M.POST, f"{OP}/check-in/undo"): CHECK_IN,
    (M.GET, ONE): READ,
    (M.POST, f"{ONE}/status"): WRITE,
    (M.GET, f"{OP}/new"): WRITE,
    (M.POST, f"{OP}/new"): WRITE,
    (M.GET, f"{ONE}/edit"): WRITE,
    (M.POST, f"{ONE}/edit"): WRITE,
    (M.GET, f"{ONE}/registrations"): READ,
    (M.GET, f"{ONE}/registrations.csv"): READ,
    (M.GET, f"{OP}/registrations/{{registration_id:uuid}}"): READ,
    (M.GET, f"{ONE}/comps/new"): WRITE,
    (M.POST, f"{ONE}/comps/new"): WRITE,
    (M.GET, f"{ONE}/tickets"): READ,
    (M.GET, f"{ONE}/ticket-types/new"): WRITE,
    (M.POST, f"{ONE}/ticket-types/new"): WRITE,
    (M.GET, f"{ONE}/discount-codes/new"): WRITE,
    (M.POST, f"{ONE}/discount-codes/new"): WRITE,
}
