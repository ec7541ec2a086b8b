"""Eldercare permissions and the roles that hold them (granted in EldercareConfig.ready).

Institutions, beds and their figures are not personal data: every role with VIEW sees
them (the plan supervisor opens the institutions behind the beds figure). Residents,
allowances and payment lists are: VIEW_PEOPLE and every decision are reserved for the
civil-affairs department's staff (`DEPARTMENT_CODE`)."""

VIEW = "eldercare.view"  # institutions, beds, figures
VIEW_PEOPLE = "eldercare.view_people"  # stays, allowances, payment lists, death matches
INSTITUTIONS = "eldercare.manage_institutions"  # institutions and their beds
ADMIT = "eldercare.admit"  # admissions and discharges
APPLY = "eldercare.apply"  # allowance applications and proposals
DECIDE = "eldercare.decide_allowance"  # approve, reject, stop an allowance; confirm deaths
PAY = "eldercare.pay"  # payment lists: build, death check, export
APPROVE_LIST = "eldercare.approve_payment_list"
RECOVER = "eldercare.recover"  # recovery of payments made after death

ALL = {VIEW, VIEW_PEOPLE, INSTITUTIONS, ADMIT, APPLY, DECIDE, PAY, APPROVE_LIST, RECOVER}
ROLES = {
    "system_admin": ALL,
    "department_admin": {VIEW, VIEW_PEOPLE, INSTITUTIONS, PAY, RECOVER},
    "caseworker": {VIEW, VIEW_PEOPLE, INSTITUTIONS, ADMIT, APPLY},
    "reviewer": {VIEW, VIEW_PEOPLE, APPLY},
    "approver": {VIEW, VIEW_PEOPLE, DECIDE, APPROVE_LIST, RECOVER},
    "plan_supervisor": {VIEW},
    "data_entry": {VIEW},
    "auditor": {VIEW, VIEW_PEOPLE},
}

DEPARTMENT_ONLY = (VIEW_PEOPLE, INSTITUTIONS, ADMIT, APPLY, DECIDE, PAY, APPROVE_LIST, RECOVER)
