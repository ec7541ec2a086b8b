"""State machines of food and drug safety supervision (casework workflows)."""

from django.utils.translation import gettext_lazy as _

from minsheng.casework.workflow import Transition, Workflow
from minsheng.foodsafety import permissions as P

LICENCE = Workflow(
    name="foodsafety.licence", area_field="operator__area",
    states={"valid": _("Licence valid"), "superseded": _("Replaced by a change"),
            "cancelled": _("Licence cancelled"), "expired": _("Licence expired")},
    initial="valid",
).add(
    Transition("change", ("valid",), "superseded", P.MANAGE, _("Change licence")),
    Transition("cancel", ("valid", "expired"), "cancelled", P.MANAGE, _("Cancel licence")),
    Transition("expire", ("valid",), "expired", P.MANAGE, _("Mark expired")),
)

OPERATOR = Workflow(
    name="foodsafety.operator",
    states={"active": _("Operating"), "closed": _("Closed down")}, initial="active",
).add(
    Transition("close", ("active",), "closed", P.MANAGE, _("Close down operator")),
)

PLAN = Workflow(
    name="foodsafety.plan",
    states={"planned": _("Plan not drawn"), "drawn": _("Plan drawn"),
            "published": _("Plan results published")},
    initial="planned",
).add(
    Transition("draw", ("planned",), "drawn", P.PLAN, _("Draw operators and inspectors")),
    Transition("publish", ("drawn",), "published", P.PUBLISH, _("Publish plan results")),
)

INSPECTION = Workflow(
    name="foodsafety.inspection",
    states={"scheduled": _("Inspection scheduled"), "done": _("Inspection recorded"),
            "published": _("Inspection result published")},
    initial="scheduled",
).add(
    Transition("record", ("scheduled",), "done", P.INSPECT, _("Record inspection")),
    Transition("publish", ("done",), "published", P.PUBLISH, _("Publish inspection result")),
)

RECTIFICATION = Workflow(
    name="foodsafety.rectification",
    states={"ordered": _("Rectification ordered"), "reinspecting": _("Re-inspection due"),
            "passed": _("Rectification passed")},
    initial="ordered",
).add(
    Transition("reinspect", ("ordered",), "reinspecting", P.RECTIFY,
               _("Schedule re-inspection")),
    Transition("pass", ("reinspecting",), "passed", P.RECTIFY, _("Rectification passed"),
               closes=True),
    Transition("fail", ("reinspecting",), "ordered", P.RECTIFY, _("Order rectification again")),
)

SAMPLE = Workflow(
    name="foodsafety.sample",
    states={"pending": _("Awaiting lab result"), "qualified": _("Sample qualified"),
            "unqualified": _("Sample unqualified"), "handled": _("Unqualified sample handled")},
    initial="pending",
).add(
    Transition("qualify", ("pending",), "qualified", P.SAMPLE, _("Record qualified result")),
    Transition("disqualify", ("pending",), "unqualified", P.SAMPLE,
               _("Record unqualified result")),
    Transition("handle", ("unqualified",), "handled", P.SAMPLE, _("Record handling")),
)

ENFORCEMENT = Workflow(
    name="foodsafety.enforcement",
    states={"clue": _("Clue under verification"), "filed": _("Case filed"),
            "not_filed": _("Not filed"), "decided": _("Penalty decided")},
    initial="clue",
).add(
    Transition("file", ("clue",), "filed", P.ENFORCE, _("File the case")),
    Transition("dismiss", ("clue",), "not_filed", P.ENFORCE, _("Do not file"), closes=True),
    Transition("decide", ("filed",), "decided", P.ENFORCE, _("Record the penalty decision"),
               closes=True),
)
