"""Plan monitoring permissions and the roles that hold them (granted in PlansConfig.ready)."""

VIEW = "plans.view"
SUPERVISE = "plans.supervise"  # import and review a plan, set targets, assess, review reports
REPORT = "plans.report"  # submit a measure's progress report (its departments' staff)
EXPORT = "core.export"

GRANTS = {
    VIEW: ("system_admin", "department_admin", "caseworker", "reviewer", "approver",
           "plan_supervisor", "data_entry", "auditor"),
    SUPERVISE: ("system_admin", "plan_supervisor"),
    REPORT: ("system_admin", "department_admin", "caseworker", "approver"),
}
