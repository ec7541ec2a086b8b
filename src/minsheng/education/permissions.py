"""Education permissions and the roles that hold them (granted in EducationConfig.ready).

The bureau's decisions (the school register, writing off a dropout case, approving
preschool aid) are reserved for its own staff (`core.access.reserve`, department code
`DEPARTMENT_CODE`); caseworkers of the subdistricts follow up out-of-school children."""

VIEW = "education.view"
ROLLS = "education.manage_rolls"  # enrol, transfer, leave: the schools' roll keepers
SCHOOLS = "education.manage_schools"  # the bureau's register of schools
MATCH = "education.match_rolls"  # run the registry-against-rolls comparison
DROPOUT = "education.follow_dropout"  # verify, visit, persuade, record a return
WRITE_OFF = "education.write_off"  # close a dropout case after observation
AID_APPLY = "education.aid_apply"
AID_DECIDE = "education.aid_decide"
EXPORT = "education.export"

ROLES = {
    "system_admin": {VIEW, ROLLS, SCHOOLS, MATCH, DROPOUT, WRITE_OFF, AID_APPLY, AID_DECIDE,
                     EXPORT},
    "department_admin": {VIEW, ROLLS, SCHOOLS, MATCH, DROPOUT, WRITE_OFF, AID_APPLY,
                         AID_DECIDE, EXPORT},
    "caseworker": {VIEW, DROPOUT, AID_APPLY, EXPORT},
    "reviewer": {VIEW, DROPOUT},
    "approver": {VIEW, WRITE_OFF, AID_DECIDE, EXPORT},
    "plan_supervisor": {VIEW, EXPORT},
    "data_entry": {VIEW, ROLLS},
    "auditor": {VIEW},
}

# Held only by staff of the education bureau (system administrators excepted).
DEPARTMENT_ONLY = (SCHOOLS, MATCH, WRITE_OFF, AID_DECIDE, ROLLS)
