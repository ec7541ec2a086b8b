"""Social assistance permissions and the roles that hold them (granted in AppConfig.ready).

Each permission applies in the area subtree of the role that grants it (core.access)."""

from __future__ import annotations

from minsheng.core.access import grant

VIEW = "assistance.view"  # every staff page and list of the module
APPLY = "assistance.apply"  # caseworker: intake, investigation, notice, paperwork
REVIEW = "assistance.review"  # subdistrict first review, disputes, small temporary grants
DECIDE = "assistance.decide"  # district approval
MANAGE = "assistance.manage"  # exits, fraud recovery, spot checks, ending support
PAY = "assistance.pay"  # payment rosters and their reconciliation
IMPORT = "assistance.import_registry"  # registry extracts for the economic verification
# confirming or dismissing a verification finding: the caseworker who runs the check and
# the reviewer who decides disputes (upholding a dispute needs REVIEW)
RESOLVE = "assistance.resolve_finding"

ROLE_GRANTS: dict[str, tuple[str, ...]] = {
    "system_admin": (VIEW, APPLY, REVIEW, DECIDE, MANAGE, PAY, IMPORT, RESOLVE),
    "department_admin": (VIEW, MANAGE, PAY, IMPORT),
    "caseworker": (VIEW, APPLY, RESOLVE),
    "reviewer": (VIEW, REVIEW, RESOLVE),
    "approver": (VIEW, DECIDE, MANAGE, PAY),
    "auditor": (VIEW,),
}


def grant_roles() -> None:
    for role, permissions in ROLE_GRANTS.items():
        grant(role, *permissions)
