"""Indicator permissions and the roles that hold them (granted in IndicatorsConfig.ready)."""

VIEW = "indicators.view"
ENTER = "indicators.enter_values"
APPROVE = "indicators.approve_values"  # approvers of the element's department only
MANAGE = "indicators.manage"  # define data elements and indicators, compute values

GRANTS = {
    VIEW: ("system_admin", "department_admin", "caseworker", "reviewer", "approver",
           "plan_supervisor", "data_entry", "auditor"),
    ENTER: ("system_admin", "department_admin", "data_entry"),
    APPROVE: ("system_admin", "department_admin", "approver"),
    MANAGE: ("system_admin", "plan_supervisor"),
}
