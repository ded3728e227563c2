"""Which staff roles may use each operator route of membership: the one map (docs/staff.md).

A route that is missing here is for owners only (convene_service.staff.allowed_roles), and
`tests/architecture/test_staff_roles.py` fails on any operator route left out.
"""

from http import HTTPMethod as M

from convene_contracts.membership import StaffRole as R
from convene_service.staff import EVERYONE, OWNERS, RouteRoles

READ = frozenset({R.OWNER, R.MEMBERSHIP_STAFF, R.READ_ONLY})
WRITE = frozenset({R.OWNER, R.MEMBERSHIP_STAFF})
NOT_CHECK_IN = EVERYONE - {R.CHECK_IN}

ROLES: RouteRoles = {
    # JSON API
    (M.POST, "/levels"): WRITE,
    (M.PATCH, "/levels/{level_id}"): WRITE,
    (M.POST, "/levels/{level_id}/retire"): WRITE,
    (M.POST, "/offline-payments"): WRITE,
    (M.POST, "/imports"): WRITE,
    (M.GET, "/imports/{import_id}"): READ,
    (M.POST, "/imports/{import_id}/levels"): WRITE,
    (M.POST, "/imports/{import_id}/start"): WRITE,
    (M.GET, "/members"): READ,
    (M.GET, "/members.csv"): READ,
    (M.GET, "/members/{member_id}"): READ,
    # Another person's data, for them (the command line's `person export|erase`): owners only.
    (M.POST, "/members/{member_id}/exports"): OWNERS,
    (M.GET, "/members/{member_id}/exports/{request_id}"): OWNERS,
    (M.POST, "/members/{member_id}/erase"): OWNERS,
    (M.GET, "/staff"): OWNERS,
    (M.GET, "/audit-log"): OWNERS,
    (M.GET, "/audit-log.csv"): OWNERS,
    (M.POST, "/staff"): OWNERS,
    (M.PATCH, "/staff/{staff_id}"): OWNERS,
    (M.DELETE, "/staff/{staff_id}"): OWNERS,
    # Everyone manages their own credentials; owners anyone's (the use case checks which).
    (M.GET, "/staff/{staff_id}/credentials"): EVERYONE,
    (M.POST, "/staff/{staff_id}/api-tokens"): EVERYONE,
    (M.POST, "/staff/credentials/{credential_id}/revoke"): EVERYONE,
    (M.POST, "/staff/{staff_id}/second-step/proposal"): EVERYONE,
    (M.PUT, "/staff/{staff_id}/second-step"): EVERYONE,
    (M.DELETE, "/staff/{staff_id}/second-step"): EVERYONE,
    # Pages
    (M.GET, "/membership/operator"): NOT_CHECK_IN,
    (M.GET, "/membership/operator/members"): READ,
    (M.GET, "/membership/operator/members.csv"): READ,
    (M.GET, "/membership/operator/members/{member_id}"): READ,
    (M.GET, "/membership/operator/levels"): READ,
    (M.GET, "/membership/operator/levels/new"): WRITE,
    (M.POST, "/membership/operator/levels/new"): WRITE,
    (M.GET, "/membership/operator/levels/{level_id}"): READ,
    (M.POST, "/membership/operator/levels/{level_id}"): WRITE,
    (M.POST, "/membership/operator/levels/{level_id}/retire"): WRITE,
    (M.GET, "/membership/operator/imports"): WRITE,
    (M.POST, "/membership/operator/imports"): WRITE,
    (M.GET, "/membership/operator/imports/{import_id}"): READ,
    (M.POST, "/membership/operator/imports/{import_id}/levels"): WRITE,
    (M.POST, "/membership/operator/imports/{import_id}/start"): WRITE,
    (M.GET, "/membership/operator/payments/new"): WRITE,
    (M.POST, "/membership/operator/payments/new"): WRITE,
    (M.GET, "/membership/operator/staff"): EVERYONE,  # one's own credentials; owners also see everyone
    (M.POST, "/membership/operator/staff/tokens"): EVERYONE,
    (M.POST, "/membership/operator/staff/credentials/{credential_id}/revoke"): EVERYONE,
    (M.POST, "/membership/operator/staff/new"): OWNERS,
    (M.POST, "/membership/operator/staff/{staff_id}/role"): OWNERS,
    (M.GET, "/membership/operator/staff/{staff_id}/remove"): OWNERS,
    (M.POST, "/membership/operator/staff/{staff_id}/remove"): OWNERS,
    (M.GET, "/membership/operator/audit-log"): OWNERS,
    (M.GET, "/membership/operator/audit-log.csv"): OWNERS,
}
