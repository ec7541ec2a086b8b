"""Primary-care and insurance-coverage permissions and the roles that hold them (granted in
PrimaryCareConfig.ready)."""

VIEW = "primarycare.view"
CONTRACT = "primarycare.manage_contracts"  # teams, contracts, renewals
REFER = "primarycare.refer"  # send, acknowledge, complete referrals
ALLIANCE = "primarycare.manage_alliances"
COVERAGE = "primarycare.view_coverage"  # insured and uninsured lists
IMPORT = "primarycare.import_enrolments"  # enrolment extracts and match confirmation
OUTREACH = "primarycare.outreach"  # outreach cases for the uninsured
EXPORT = "primarycare.export"

ROLES = {
    "system_admin": {VIEW, CONTRACT, REFER, ALLIANCE, COVERAGE, IMPORT, OUTREACH, EXPORT},
    "department_admin": {VIEW, CONTRACT, REFER, ALLIANCE, COVERAGE, IMPORT, OUTREACH, EXPORT},
    "caseworker": {VIEW, CONTRACT, REFER, COVERAGE, IMPORT, OUTREACH},
    "reviewer": {VIEW, COVERAGE},
    "approver": {VIEW, COVERAGE, EXPORT},
    "plan_supervisor": {VIEW, COVERAGE, EXPORT},
    "data_entry": {VIEW, CONTRACT},
    "auditor": {VIEW, COVERAGE},
}

# Held only by staff of the responsible department (system administrators excepted).
HEALTH_ONLY = (CONTRACT, REFER, ALLIANCE)
INSURANCE_ONLY = (IMPORT, OUTREACH)
