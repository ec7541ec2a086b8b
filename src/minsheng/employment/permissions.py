"""Employment permissions and the roles that hold them (granted in AppConfig.ready)."""

VIEW = "employment.view"
MANAGE = "employment.manage"
REVIEW = "employment.review_postings"
REPORT = "employment.report_headcount"
WARNINGS = "employment.view_warnings"
# Running the early-warning scan writes warnings and opens follow-ups: a write, so the
# read-only roles (auditor, approver, plan supervisor) see warnings but cannot scan.
SCAN = "employment.scan_warnings"
EXPORT = "employment.export"

ROLES = {
    "system_admin": (VIEW, MANAGE, REVIEW, REPORT, WARNINGS, SCAN, EXPORT),
    "department_admin": (VIEW, MANAGE, REVIEW, REPORT, WARNINGS, SCAN, EXPORT),
    "caseworker": (VIEW, MANAGE, WARNINGS, SCAN),
    "reviewer": (VIEW, REVIEW),
    "approver": (VIEW, WARNINGS, EXPORT),
    "plan_supervisor": (VIEW, WARNINGS, EXPORT),
    "data_entry": (REPORT,),
    "auditor": (VIEW, WARNINGS),
}
