"""Employment permissions and the roles that hold them (granted in AppConfig.ready)."""

VIEW = "employment.view"
MANAGE = "employment.manage"
REVIEW = "employment.review_postings"
REPORT = "employment.report_headcount"
WARNINGS = "employment.view_warnings"
EXPORT = "employment.export"

ROLES = {
    "system_admin": (VIEW, MANAGE, REVIEW, REPORT, WARNINGS, EXPORT),
    "department_admin": (VIEW, MANAGE, REVIEW, REPORT, WARNINGS, EXPORT),
    "caseworker": (VIEW, MANAGE, WARNINGS),
    "reviewer": (VIEW, REVIEW),
    "approver": (VIEW, WARNINGS, EXPORT),
    "plan_supervisor": (VIEW, WARNINGS, EXPORT),
    "data_entry": (REPORT,),
    "auditor": (VIEW, WARNINGS),
}
