"""Work-safety permissions and the roles that hold them (granted in SafetyConfig.ready).

The supervising department's decisions (acceptance and write-off, listed supervision and
suspension, release approval, random inspections, registering major hazard sources) are
reserved for its staff (`core.access.reserve`, department code `DEPARTMENT_CODE`): a
civil-affairs approver holds the approver role but not these. Its inspectors
(caseworkers) carry out the on-site acceptance review and write-off themselves."""

VIEW = "safety.view"
REPORT = "safety.report_hazard"  # record a hazard found by inspection or self-inspection
RECTIFY = "safety.rectify"  # orders, plans, rectification, acceptance applications
ACCEPT = "safety.accept"  # acceptance check and write-off
LIST = "safety.list"  # listed supervision (挂牌督办) and suspension
INSPECT = "safety.inspect"  # random inspection plans and draws
SOURCES = "safety.manage_sources"  # major hazard sources and sensors
ALARMS = "safety.handle_alarms"
ACCIDENTS = "safety.report_accident"
RELEASE_APPROVE = "safety.approve_release"
EMERGENCY = "safety.manage_emergency"  # plans, drills, teams, supplies
EXPORT = "safety.export"

ROLES = {
    "system_admin": {VIEW, REPORT, RECTIFY, ACCEPT, LIST, INSPECT, SOURCES, ALARMS, ACCIDENTS,
                     RELEASE_APPROVE, EMERGENCY, EXPORT},
    "department_admin": {VIEW, REPORT, RECTIFY, ACCEPT, LIST, INSPECT, SOURCES, ALARMS,
                         ACCIDENTS, RELEASE_APPROVE, EMERGENCY, EXPORT},
    "caseworker": {VIEW, REPORT, RECTIFY, ACCEPT, ALARMS, ACCIDENTS, EMERGENCY},
    "reviewer": {VIEW, ACCEPT, ALARMS},
    "approver": {VIEW, ACCEPT, LIST, RELEASE_APPROVE, EXPORT},
    "plan_supervisor": {VIEW, EXPORT},
    "data_entry": {VIEW, REPORT},
    "auditor": {VIEW},
}

# Held only by staff of the supervising department (system administrators excepted).
DEPARTMENT_ONLY = (ACCEPT, LIST, RELEASE_APPROVE, INSPECT, SOURCES)
