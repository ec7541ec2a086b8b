"""Every write of plan monitoring: import, review of drafts, targets and their cascade,
early warning, progress reports."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import followups
from minsheng.core import audit, workdays
from minsheng.core.access import as_actor, require
from minsheng.core.concurrency import save_versioned
from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.indicators.catalogue import suggest_indicator
from minsheng.indicators.models import Indicator
from minsheng.plans import status as target_status
from minsheng.plans import textparse
from minsheng.plans.config import setting
from minsheng.plans.documents import PlanDocumentError, read_plan_text
from minsheng.plans.models import Plan, PlanItem, ProgressReport, Target, TargetDraft

SUPERVISE = "plans.supervise"
REPORT = "plans.report"
FOLLOWUP_KIND = "plan_supervision"
WARN_STATUSES = (Target.Status.AT_RISK, Target.Status.OFF_TRACK)
KIND_BY_COMPARATOR = {">=": Target.Kind.FLOOR, "<=": Target.Kind.CEILING, "=": Target.Kind.POINT}


def _root_area() -> Area:
    area = Area.objects.filter(parent=None).order_by("code").first()
    if area is None:
        raise ValidationFailed(_("Create the district's areas before importing a plan"))
    return area


def read_plan(path: str | Path) -> textparse.ParsedPlan:
    """Read and parse a plan file; unreadable or empty files raise ValidationFailed."""
    try:
        return textparse.parse_plan(read_plan_text(path))
    except (PlanDocumentError, textparse.PlanParseError) as exc:
        raise ValidationFailed(str(exc), field="file") from None


def plan_import(*, actor, path: str | Path | None = None, text: str | None = None,
                name: str = "", area: Area | None = None) -> Plan:
    """Create a draft plan: its item tree and the target drafts the importer found."""
    actor = as_actor(actor)
    area = area or _root_area()
    require(actor, SUPERVISE, area)
    if text is None:
        if path is None:
            raise ValidationFailed(_("Give a file or the text of the plan"))
        parsed = read_plan(path)
        name = name or Path(path).name
    else:
        try:
            parsed = textparse.parse_plan(text)
        except textparse.PlanParseError as exc:
            raise ValidationFailed(str(exc), field="text") from None
    with transaction.atomic():
        plan = Plan.objects.create(
            # an untitled plan is named after its area and kind (滨海…区 + 实施方案)
            title=(parsed.plan.title or (area.name + parsed.plan.doc_kind
                                         if parsed.plan.doc_kind else "")
                   or name or _("Imported plan"))[:300],
            doc_kind=parsed.plan.doc_kind[:40], preamble=parsed.plan.preamble,
            closing=parsed.plan.closing, source_name=name[:200], area=area,
            skipped=[{"line": s.line, "text": s.text, "reason": s.reason}
                     for s in parsed.skipped],
            imported_by=actor.user if actor.is_authenticated else None)
        by_number: dict[str, PlanItem] = {}
        position = 0

        def add(item: textparse.PlanItem, parent: PlanItem | None, chapter: PlanItem | None):
            nonlocal position
            position += 1
            row = PlanItem.objects.create(
                plan=plan, parent=parent, chapter=chapter, level=item.level, number=item.path,
                local_number=item.number, implicit_number=item.implicit_number,
                title=item.title[:300], text=item.text, line=item.line, position=position)
            by_number[item.path] = row
            for child in item.children:
                add(child, row, chapter or row)

        for item in parsed.items:
            add(item, None, None)
        TargetDraft.objects.bulk_create([
            TargetDraft(plan=plan, item=by_number.get(t.item_number), text=t.text,
                        indicator_phrase=t.indicator[:200], comparator=t.comparator or "",
                        value=t.value, raw_value=(t.raw_value or "")[:40],
                        unit=(t.unit or "")[:20], per=t.per, year=t.year,
                        periodicity=t.periodicity or "", needs_review=t.needs_review,
                        review_reasons=t.review_reasons,
                        suggested_indicator=suggest_indicator(t.indicator) or "")
            for t in parsed.targets])
        audit.record(actor, AuditEntry.Action.IMPORT, obj=plan,
                     changes={"items": [None, len(by_number)],
                              "targets": [None, len(parsed.targets)],
                              "skipped": [None, len(parsed.skipped)]})
    return plan


def plan_activate(*, actor, plan: Plan, version: int) -> Plan:
    actor = as_actor(actor)
    require(actor, SUPERVISE, plan.area)
    plan.state = Plan.State.ACTIVE
    with transaction.atomic():
        save_versioned(plan, version, ["state"])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=plan, changes={"state": ["draft",
                                                                                  "active"]})
    return plan


ITEM_FIELDS = ("title", "text", "lead_department", "deadline")


def item_update(*, actor, item: PlanItem, version: int,
                co_departments: list[Organization] | None = None, **changes) -> PlanItem:
    actor = as_actor(actor)
    require(actor, SUPERVISE, item.plan.area)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationFailed(_("The title cannot be empty"), field="title")
    before = audit.snapshot(item, changes)
    for k, v in changes.items():
        setattr(item, k, v)
    with transaction.atomic():
        save_versioned(item, version, list(changes))
        if co_departments is not None:
            item.co_departments.set(co_departments)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=item,
                     changes=audit.diff(before, changes))
    return item


def item_merge(*, actor, item: PlanItem, into: PlanItem, version: int) -> PlanItem:
    """Merge an item the importer split wrongly into another one (its text is appended; its
    drafts, targets and children move; the item is kept, marked as merged)."""
    actor = as_actor(actor)
    require(actor, SUPERVISE, item.plan.area)
    if item.plan_id != into.plan_id or item.pk == into.pk:
        raise ValidationFailed(_("Items can only be merged within the same plan"))
    if into.merged_into_id:
        raise ValidationFailed(_("That item was itself merged away"))
    with transaction.atomic():
        item.merged_into = into
        save_versioned(item, version, ["merged_into"])
        PlanItem.objects.filter(pk=into.pk).update(text=(into.text + "\n" + item.text).strip())
        PlanItem.objects.filter(parent=item).update(parent=into)
        TargetDraft.objects.filter(item=item).update(item=into)
        Target.objects.filter(item=item).update(item=into)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=item,
                     changes={"merged_into": [None, into.pk]})
    into.refresh_from_db()
    return into


def draft_confirm(*, actor, draft: TargetDraft, version: int, indicator: Indicator | None,
                  kind: str, value: float | None, deadline: datetime.date,
                  name: str = "", area: Area | None = None,
                  baseline_value: float | None = None,
                  baseline_date: datetime.date | None = None,
                  lead_department: Organization | None = None) -> Target:
    """Turn a reviewed draft into a target. The supervisor decides every number the text
    left open; nothing is filled in silently."""
    actor = as_actor(actor)
    area = area or draft.plan.area
    require(actor, SUPERVISE, area)
    if draft.state != TargetDraft.State.DRAFT:
        raise ValidationFailed(_("This draft has already been decided"))
    if kind not in Target.Kind.values:
        raise ValidationFailed(_("Unknown target type"), field="kind")
    if value is not None and value < 0:
        raise ValidationFailed(_("The target value cannot be negative"), field="value")
    if indicator is not None and indicator.unit == "%" and value is not None \
            and not 0 <= value <= 100:
        raise ValidationFailed(_("A rate target must be between 0 and 100"), field="value")
    with transaction.atomic():
        target = Target.objects.create(
            plan=draft.plan, item=draft.item, name=(name or draft.indicator_phrase)[:200],
            indicator=indicator, area=area, kind=kind, value=value, deadline=deadline,
            baseline_value=baseline_value, baseline_date=baseline_date,
            lead_department=lead_department or (draft.item.lead_department
                                                if draft.item else None),
            source_text=draft.text)
        draft.state, draft.target = TargetDraft.State.CONFIRMED, target
        save_versioned(draft, version, ["state", "target"])
        audit.record(actor, AuditEntry.Action.CREATE, obj=target,
                     changes={"value": [draft.value, value], "kind": [draft.comparator, kind]})
    return target


def draft_discard(*, actor, draft: TargetDraft, version: int) -> TargetDraft:
    actor = as_actor(actor)
    require(actor, SUPERVISE, draft.plan.area)
    draft.state = TargetDraft.State.DISCARDED
    with transaction.atomic():
        save_versioned(draft, version, ["state"])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=draft,
                     changes={"state": ["draft", "discarded"]})
    return draft


TARGET_FIELDS = ("name", "indicator", "kind", "value", "deadline", "baseline_value",
                 "baseline_date", "lead_department", "tolerance")


def target_update(*, actor, target: Target, version: int, **changes) -> Target:
    actor = as_actor(actor)
    require(actor, SUPERVISE, target.area)
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    before = audit.snapshot(target, changes)
    for k, v in changes.items():
        setattr(target, k, v)
    with transaction.atomic():
        save_versioned(target, version, list(changes) + ["updated_at"])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=target,
                     changes=audit.diff(before, changes))
    return target


def target_cascade(*, actor, target: Target, values: dict[Area, float],
                   tolerance: float = 0.005) -> list[Target]:
    """Sub-targets per subdistrict. Additive quantities must add up to the district's
    target; rates must average to it (within ``tolerance``, relative)."""
    actor = as_actor(actor)
    require(actor, SUPERVISE, target.area)
    if target.value is None:
        raise ValidationFailed(_("Set the district target's value first"))
    for area in values:
        if area.parent_id != target.area_id:
            raise ValidationFailed(_("%(a)s is not directly under %(d)s")
                                   % {"a": area.name, "d": target.area.name})
    nums = list(values.values())
    additive = target_status._additive(target)
    combined = sum(nums) if additive else (sum(nums) / len(nums) if nums else 0)
    if abs(combined - target.value) > tolerance * max(1.0, abs(target.value)):
        raise ValidationFailed(
            (_("The sub-targets add up to %(got)s, not %(want)s") if additive
             else _("The sub-targets average %(got)s, not %(want)s"))
            % {"got": f"{combined:g}", "want": f"{target.value:g}"}, field="values")
    with transaction.atomic():
        Target.objects.filter(parent=target).delete()
        children = [Target.objects.create(
            plan=target.plan, item=target.item, name=target.name, indicator=target.indicator,
            area=area, parent=target, kind=target.kind, value=v, deadline=target.deadline,
            lead_department=target.lead_department, tolerance=target.tolerance)
            for area, v in values.items()]
        Target.objects.filter(pk=target.pk).update(updated_at=timezone.now())
        audit.record(actor, AuditEntry.Action.UPDATE, obj=target,
                     changes={"cascade": [None, {a.code: v for a, v in values.items()}]})
    return children


def targets_review(*, actor, plan: Plan | None = None, as_of: datetime.date | None = None,
                   today: datetime.date | None = None) -> dict[str, int]:
    """Assess every top-level target, store its status, and open a supervision follow-up
    for the lead department when a target turns at risk or off track. Then escalate
    overdue follow-ups (yellow, red)."""
    actor = as_actor(actor)
    require(actor, SUPERVISE)
    today = today or timezone.localdate()
    qs = Target.objects.filter(parent=None).select_related("indicator", "area",
                                                           "lead_department", "plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    targets = list(qs)
    counts = {"assessed": 0, "changed": 0, "opened": 0, "escalated": 0}
    by_area: dict[int, list[Target]] = {}
    for t in targets:
        by_area.setdefault(t.area_id, []).append(t)
    now = timezone.now()
    for area_targets in by_area.values():
        results = target_status.compute(area_targets, [area_targets[0].area], as_of=as_of)
        for t in area_targets:
            r = results[(t.id, t.area_id)]
            counts["assessed"] += 1
            turned = r["status"] != t.status
            if turned:
                counts["changed"] += 1
                Target.objects.filter(pk=t.pk).update(status=r["status"],
                                                      status_reason=r["reason"],
                                                      assessed_at=now)
            else:
                Target.objects.filter(pk=t.pk).update(status_reason=r["reason"],
                                                      assessed_at=now)
            if r["status"] in WARN_STATUSES:
                item = supervision_open(actor=actor, target=t, status=r["status"],
                                        reason=r["reason"], today=today)
                if item is not None and item.created_at >= now:
                    counts["opened"] += 1
    counts["escalated"] = followups.followups_escalate(today=today)
    return counts


def supervision_open(*, actor, target: Target, status: str, reason: str,
                     today: datetime.date):
    """Open (idempotently) the supervision follow-up of a target for its lead department."""
    label = Target.Status(status).label
    return followups.followup_open(
        actor=actor, kind=FOLLOWUP_KIND,
        title=_("%(target)s: %(status)s") % {"target": target.name, "status": label},
        area=target.area, department=target.lead_department, source_type="plans.target",
        source_id=target.pk, working_days=setting("SUPERVISION_WORKING_DAYS"),
        description=reason, today=today)


def report_submit(*, actor, item: PlanItem, period: datetime.date, progress: str,
                  narrative: str, evidence=None) -> ProgressReport:
    actor = as_actor(actor)
    require(actor, REPORT, item.plan.area)
    department = getattr(actor.user, "department", None)
    allowed = {item.lead_department_id, *item.co_departments.values_list("id", flat=True)}
    if not actor.system and (department is None or department.id not in allowed):
        raise PermissionDenied(_("Only the lead or a co-operating department reports on "
                                 "this measure"))
    if progress not in ProgressReport.Progress.values:
        raise ValidationFailed(_("Choose the progress"), field="progress")
    if not narrative.strip():
        raise ValidationFailed(_("Describe the progress"), field="narrative")
    period = period.replace(day=1)
    with transaction.atomic():
        report = ProgressReport.objects.create(
            item=item, department=department or item.lead_department, period=period,
            progress=progress, narrative=narrative.strip(),
            submitted_by=actor.user if actor.is_authenticated else None)
        if evidence is not None:
            report.evidence.save(Path(evidence.name).name, evidence, save=True)
        audit.record(actor, AuditEntry.Action.CREATE, obj=report)
    return report


def report_review(*, actor, report: ProgressReport, version: int, accept: bool,
                  note: str = "") -> ProgressReport:
    actor = as_actor(actor)
    require(actor, SUPERVISE, report.item.plan.area)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationFailed(_("This report has already been reviewed"))
    if not accept and not note.strip():
        raise ValidationFailed(_("Say what must be revised"), field="note")
    report.state = ProgressReport.State.ACCEPTED if accept else ProgressReport.State.RETURNED
    report.review_note = note.strip()
    report.reviewed_by = actor.user if actor.is_authenticated else None
    with transaction.atomic():
        save_versioned(report, version, ["state", "review_note", "reviewed_by"])
        audit.record(actor, AuditEntry.Action.UPDATE, obj=report,
                     changes={"state": ["submitted", report.state]})
    return report


def report_due(period: datetime.date) -> datetime.date:
    """Due date of the report for a month: N working days after the month ends."""
    next_month = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return workdays.add_working_days(next_month - datetime.timedelta(days=1),
                                     setting("REPORT_DUE_WORKING_DAYS"))
