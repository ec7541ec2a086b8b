"""Petition permissions and the roles that hold them (granted in PetitionsConfig.ready).

The petition office and departments register and accept; only the staff of the
department a petition is assigned to reply to it (`core.access.require_department` in the
service). An extension of the 60-day limit needs the approval of the body's head
(`APPROVE`); reviews and re-reviews are decided by the level above (`REVIEW`). Plan
supervisors see the figures (indicator sources), not the residents' petitions."""

VIEW = "petitions.view"
REGISTER = "petitions.register"  # register a petition and a review request
ACCEPT = "petitions.accept"  # decide acceptance, assign to a department
HANDLE = "petitions.handle"  # reply, record satisfaction, conclude
APPROVE = "petitions.approve_extension"
REVIEW = "petitions.decide_review"  # decide a review (复查) or re-review (复核)
EXPORT = "petitions.export"

ROLES = {
    "system_admin": {VIEW, REGISTER, ACCEPT, HANDLE, APPROVE, REVIEW, EXPORT},
    "department_admin": {VIEW, REGISTER, ACCEPT, HANDLE, APPROVE, EXPORT},
    "caseworker": {VIEW, REGISTER, ACCEPT, HANDLE},
    "reviewer": {VIEW, REVIEW},
    "approver": {VIEW, APPROVE, REVIEW, EXPORT},
    "data_entry": {VIEW, REGISTER},
    "auditor": {VIEW},
}
