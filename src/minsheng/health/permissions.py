"""The health module's permissions and which roles hold them.

Aggregate figures (alerts, epidemic curves, life tables, beds, the supplies reserve) are
for every role. Personal health data (case reports) and every write (filing a report,
responding to an alert, keeping the records, configuring detection) belong to the health
department: `core.access.reserve` limits those permissions to health-department staff (and
system administrators), so a caseworker of civil affairs who holds the same role cannot
see a patient's report or respond to an alert."""

from __future__ import annotations

HEALTH_DEPARTMENT = "health"

VIEW = "health.view_surveillance"
VIEW_CASES = "health.view_cases"
REPORT = "health.report_cases"
RESPOND = "health.respond_alerts"
CONFIGURE = "health.configure"
RECORDS = "health.manage_records"

ALL_ROLES = ("system_admin", "department_admin", "caseworker", "reviewer", "approver",
             "plan_supervisor", "auditor", "data_entry")

ROLE_GRANTS: dict[str, tuple[str, ...]] = {
    role: (VIEW, VIEW_CASES) for role in ALL_ROLES
}
for _role in ("system_admin", "department_admin", "caseworker", "data_entry"):
    ROLE_GRANTS[_role] += (REPORT, RECORDS)
for _role in ("system_admin", "department_admin", "caseworker"):
    ROLE_GRANTS[_role] += (RESPOND,)
for _role in ("system_admin", "department_admin"):
    ROLE_GRANTS[_role] += (CONFIGURE,)

# Held only by health-department staff (system administrators excepted).
DEPARTMENT_ONLY = (VIEW_CASES, REPORT, RESPOND, CONFIGURE, RECORDS)


def register() -> None:
    """Called from HealthConfig.ready()."""
    from minsheng.core.access import grant, reserve

    for role, permissions in ROLE_GRANTS.items():
        grant(role, *permissions)
    reserve(HEALTH_DEPARTMENT, *DEPARTMENT_ONLY)
