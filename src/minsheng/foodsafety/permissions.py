"""Food and drug safety permissions and the roles that hold them. Supervision decisions
(licences, grades, plans and draws, inspections, orders, samples, publication) belong to
the market regulation department's staff (`core.access.reserve`)."""

VIEW = "foodsafety.view"
MANAGE = "foodsafety.manage_operators"  # operators, licences, grading
PLAN = "foodsafety.plan"  # plans, draws, inspector register, recusals
INSPECT = "foodsafety.inspect"  # record inspections and findings
RECTIFY = "foodsafety.rectify"  # rectification orders and re-inspection
SAMPLE = "foodsafety.sample"  # sampling and lab results
PUBLISH = "foodsafety.publish"
ENFORCE = "foodsafety.enforce"  # enforcement cases (立案 to decision)
EXPORT = "foodsafety.export"

ALL = {VIEW, MANAGE, PLAN, INSPECT, RECTIFY, SAMPLE, PUBLISH, ENFORCE, EXPORT}
ROLES = {
    "system_admin": ALL,
    "department_admin": ALL,
    "caseworker": {VIEW, MANAGE, INSPECT, RECTIFY, SAMPLE, ENFORCE, EXPORT},
    "reviewer": {VIEW, RECTIFY},
    "approver": {VIEW, PLAN, PUBLISH, EXPORT},
    "plan_supervisor": {VIEW, EXPORT},
    "data_entry": {VIEW},
    "auditor": {VIEW},
}
DEPARTMENT_ONLY = (MANAGE, PLAN, INSPECT, RECTIFY, SAMPLE, PUBLISH, ENFORCE)
