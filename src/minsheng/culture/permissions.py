"""Culture permissions and the roles that hold them (granted in CultureConfig.ready).

The register, the zones and the consent decisions belong to the culture department's
staff (`core.access.reserve`, department code `DEPARTMENT_CODE`); any caseworker of the
district may run a construction check (planning staff do it when a project comes in)."""

VIEW = "culture.view"
REGISTER = "culture.manage_register"  # sites, zones, patrols, facilities
CHECK = "culture.check_projects"  # run and record construction checks
DECIDE = "culture.decide_consent"  # heritage consent and protection-range exceptions
INTANGIBLE = "culture.manage_intangible"  # items, nominations, notices
RECOGNISE = "culture.decide_recognition"  # recognise or revoke inheritors
EXPORT = "culture.export"

ROLES = {
    "system_admin": {VIEW, REGISTER, CHECK, DECIDE, INTANGIBLE, RECOGNISE, EXPORT},
    "department_admin": {VIEW, REGISTER, CHECK, DECIDE, INTANGIBLE, RECOGNISE, EXPORT},
    "caseworker": {VIEW, REGISTER, CHECK, INTANGIBLE},
    "reviewer": {VIEW, CHECK},
    "approver": {VIEW, DECIDE, RECOGNISE, EXPORT},
    "plan_supervisor": {VIEW, EXPORT},
    "data_entry": {VIEW, REGISTER},
    "auditor": {VIEW},
}

# Held only by staff of the culture department (system administrators excepted).
DEPARTMENT_ONLY = (REGISTER, DECIDE, RECOGNISE, INTANGIBLE)
