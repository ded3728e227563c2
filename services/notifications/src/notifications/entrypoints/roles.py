"""Which staff roles may use each operator route of notifications: the one map (docs/staff.md).

A route that is missing here is for owners only (convene_service.staff.allowed_roles), and
`tests/architecture/test_staff_roles.py` fails on any operator route left out.
"""

from http import HTTPMethod as M

from convene_contracts.membership import StaffRole as R
from convene_service.staff import EVERYONE, RouteRoles

READ = frozenset({R.OWNER, R.MEMBERSHIP_STAFF, R.EVENT_STAFF, R.READ_ONLY})
RESEND = frozenset({R.OWNER, R.MEMBERSHIP_STAFF, R.EVENT_STAFF})

ROLES: RouteRoles = {
    (M.GET, "/deliveries"): READ,
    (M.POST, "/deliveries/{delivery_id}/resend"): RESEND,
    (M.GET, "/mail/operator"): EVERYONE,
    (M.GET, "/mail/operator/deliveries"): READ,
    (M.POST, "/mail/operator/deliveries/{delivery_id:uuid}/resend"): RESEND,
}
