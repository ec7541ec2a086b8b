"""Follow-up permissions and the roles that hold them (granted in CaseworkConfig.ready)."""

VIEW = "casework.view_followups"
HANDLE = "casework.handle_followups"  # close a follow-up (of one's own department)
OPEN = "casework.open_followups"  # open one (as the consequence of a domain action)

STAFF = ("system_admin", "department_admin", "caseworker", "reviewer", "approver",
         "plan_supervisor")
GRANTS = {
    VIEW: (*STAFF, "auditor"),
    HANDLE: STAFF,
    # data entry clerks and auditors do nothing that raises work for a department
    OPEN: STAFF,
}
