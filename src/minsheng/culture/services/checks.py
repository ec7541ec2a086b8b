"""Construction checks and the consent cases they open.

A check tests the project against every zone in force (`zonecheck`), records the geometry,
the buffer, each zone touched with the overlap, and the result in words. Inside a
construction-control zone a consent case opens with its legal clock; inside a protection
range the project is refused, unless the applicant invokes the statutory exception, which
opens the special-case procedure instead."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import services as followups
from minsheng.casework.clocks import WORKING_DAYS, Clock
from minsheng.casework.models import FollowUp
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry
from minsheng.culture import permissions as P
from minsheng.culture.config import setting
from minsheng.culture.geometry import Shape
from minsheng.culture.models import ConsentCase, ConstructionCheck, HeritageSite
from minsheng.culture.services.common import culture_department, text, today_or
from minsheng.culture.zonecheck import Match, current_index, result_of

FOLLOWUP_KIND = "culture_consent"
KIND_WORDS = {"protection": "保护范围 protection range",
              "control": "建设控制地带 construction-control zone"}


def explain(result: str, matches: list[Match], buffer_m: float) -> str:
    """The result in words, zone by zone, with the rule that applies."""
    if not matches:
        return _("No protection range or construction-control zone within %(b).0f m of the "
                 "project.") % {"b": buffer_m}
    lines = []
    for m in matches:
        zone = KIND_WORDS[m.kind]
        if m.inside:
            where = _("wholly inside")
        elif m.touches:
            where = _("overlaps (%(a).0f m²)") % {"a": m.overlap_m2} if m.overlap_m2 else \
                _("touches")
        else:
            where = _("outside, %(d).0f m away (within the %(b).0f m buffer)") % {
                "d": m.distance_m, "b": buffer_m}
        lines.append(_("%(code)s %(name)s — %(zone)s: %(where)s.") % {
            "code": m.site_code, "name": m.site_name, "zone": zone, "where": where})
    rule = {"protection": setting("PROTECTION_RANGE_BASIS"),
            "control": setting("CONTROL_ZONE_BASIS"),
            "nearby": _("Near a zone only: no consent is needed; the culture department is "
                        "informed."),
            "exception": setting("PROTECTION_RANGE_BASIS")}.get(result, "")
    return "\n".join(lines + ([rule] if rule else []))


def _numbered(prefix: str, model, obj) -> str:
    number = f"{prefix}{timezone.localdate().year}{obj.pk:06d}"
    model.objects.filter(pk=obj.pk).update(number=number)
    obj.number = number
    return number


def project_check(*, actor, project_name: str, applicant: str, area: Area, shape: Shape,
                  reference: str = "", buffer_m: float | None = None,
                  exception_requested: bool = False, exception_grounds: str = "",
                  today: datetime.date | None = None) -> ConstructionCheck:
    """Check one project and record the check (and open its consent case if needed)."""
    actor = as_actor(actor)
    require(actor, P.CHECK, area)
    today = today_or(today)
    project_name = text(project_name, "project_name", _("Project"), 200)
    applicant = text(applicant, "applicant", _("Applicant"), 200)
    reference = text(reference, "reference", _("Planning reference"), 60, required=False)
    buffer_m = setting("CHECK_BUFFER_METRES") if buffer_m is None else float(buffer_m)
    if not 0 <= buffer_m <= 5000:
        raise ValidationFailed(_("The buffer is between 0 and 5000 metres."), field="buffer_m")
    if exception_requested and not (exception_grounds or "").strip():
        raise ValidationFailed(_("State the special circumstances for the exception."),
                               field="exception_grounds")
    matches = current_index().check(shape.geometry, buffer_m)
    result = result_of(matches)
    if result == "protection" and exception_requested:
        result = "exception"
    explanation = explain(result, matches, buffer_m)
    if exception_requested:
        explanation += "\n" + _("Exception requested: %s") % exception_grounds.strip()[:1000]
    with transaction.atomic():
        check = ConstructionCheck.objects.create(
            number=f"TMP-{timezone.now().timestamp()}", project_name=project_name,
            applicant=applicant, reference=reference, area=area, geometry=shape.geojson,
            buffer_m=buffer_m, result=result, matches=[m.as_dict() for m in matches],
            explanation=explanation, input_note="; ".join(shape.notes)[:300],
            checked_by=actor.user if actor.is_authenticated else None)
        _numbered("JC", ConstructionCheck, check)
        audit.record(actor, AuditEntry.Action.CREATE, obj=check,
                     changes={"result": [None, result],
                              "zones": [None, [m.zone_id for m in matches]]})
        if result in ("control", "exception"):
            _consent_open(actor, check, matches, result, today)
    return check


def _consent_open(actor, check: ConstructionCheck, matches: list[Match], result: str,
                  today: datetime.date) -> ConsentCase:
    kind = "protection" if result == "exception" else "control"
    first = next(m for m in matches if m.touches and m.kind == kind)
    site = HeritageSite.objects.get(pk=first.site_id)
    limit = setting("CONSENT_WORKING_DAYS")
    due = Clock.after("consent", today, limit, WORKING_DAYS).due
    case = ConsentCase.objects.create(
        number=f"TMP-{check.pk}", construction_check=check, site=site, area=check.area,
        state=ConsentCase.workflow.initial,
        kind="exception" if result == "exception" else "control", received_on=today,
        due_on=due)
    _numbered("WS", ConsentCase, case)
    record_event(case, actor=actor, to_state=case.state,
                 note=_("Opened by construction check %s") % check.number)
    audit.record(actor, AuditEntry.Action.CREATE, obj=case, changes={"due_on": [None, str(due)]})
    followups.followup_open(
        actor=system_actor(), kind=FOLLOWUP_KIND,
        title=_("Heritage consent %(n)s: %(p)s") % {"n": case.number, "p": check.project_name},
        area=check.area, department=culture_department(), source_type="culture.consent",
        source_id=case.pk, due_date=due, today=today)
    return case


def consent_clock(case: ConsentCase) -> Clock:
    return Clock.after(_("Heritage consent decision"), case.received_on,
                       setting("CONSENT_WORKING_DAYS"), WORKING_DAYS, done=case.decided_on,
                       waiting_on=_("the culture department"))


def consent_decide(*, actor, case: ConsentCase, version: int, decision: str, reason: str,
                   conditions: str = "", today: datetime.date | None = None) -> ConsentCase:
    """Give or refuse consent (or record the applicant's withdrawal)."""
    today = today_or(today)
    if decision not in ("approve", "refuse", "withdraw"):
        raise ValidationFailed(_("Choose a decision."), field="decision")
    reason = (reason or "").strip()[:4000]
    with transaction.atomic():
        transition(actor=actor, case=case, name=decision, version=version, note=reason,
                   data={"reason": reason, "conditions": conditions},
                   changes={"decided_on": today, "reason": reason,
                            "conditions": (conditions or "").strip()[:4000]})
        for item in FollowUp.objects.filter(kind=FOLLOWUP_KIND, source_type="culture.consent",
                                            source_id=str(case.pk), state="open"):
            followups.followup_close(actor=system_actor(), followup=item,
                                     outcome=case.state_label, version=item.version)
    return case
