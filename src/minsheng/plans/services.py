"""Every write of plan monitoring: import, review of drafts, targets and their cascade,
early warning, progress reports."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework import services as followups
from minsheng.casework.workflow import transition
from minsheng.core import audit, workdays
from minsheng.core.access import as_actor, require, require_department, scoped
from minsheng.core.concurrency import save_versioned
from minsheng.core.dates import month_end, month_start
from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.core.models import Area, AuditEntry, Organization
from minsheng.indicators.catalogue import suggest_indicator
from minsheng.indicators.models import Indicator
from minsheng.plans import status as target_status
from minsheng.plans import textparse
from minsheng.plans.config import setting
from minsheng.plans.documents import PlanDocumentError, read_plan_document
from minsheng.plans.models import Plan, PlanItem, ProgressReport, Target, TargetDraft
from minsheng.plans.permissions import REPORT, SUPERVISE

FOLLOWUP_KIND = "plan_supervision"
WARN_STATUSES = (Target.Status.AT_RISK, Target.Status.OFF_TRACK)


def _root_area() -> Area:
    area = Area.objects.filter(parent=None).order_by("code").first()
    if area is None:
        raise ValidationFailed(_("Create the district's areas before importing a plan"))
    return area


def read_plan(path: str | Path) -> textparse.ParsedPlan:
    """Read and parse a plan file; unreadable or empty files raise ValidationFailed."""
    try:
        document = read_plan_document(path)
        return textparse.apply_tasks(textparse.parse_plan(document.text), document.tasks)
    except (PlanDocumentError, textparse.PlanParseError) as exc:
        raise ValidationFailed(str(exc), field="file") from None


def _abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is ``name`` or its in-order abbreviation (区人社局 for
    …区人力资源和社会保障局), the way task tables name departments."""
    rest = iter(name)
    return all(ch in rest for ch in short)


def _department_named(words: str, departments: list[Organization]) -> Organization | None:
    """The one department a task table's unit name stands for; None when none or several
    fit (then the words stay on the item for the reviewer)."""
    exact = [d for d in departments if d.name == words]
    if exact:
        return exact[0]
    fits = [d for d in departments if _abbreviates(words, d.name)]
    return fits[0] if len(fits) == 1 else None


def _assignment(item: textparse.PlanItem, departments: list[Organization]):
    """(lead, co-operating departments, deadline, words as written) of a task table row."""
    lead = _department_named(item.lead_units[0], departments) if item.lead_units else None
    co = [d for d in (_department_named(u, departments)
                      for u in item.lead_units[1:] + item.co_units) if d and d != lead]
    deadline = datetime.date.fromisoformat(item.deadline) if item.deadline else None
    words = "; ".join(filter(None, [
        "牵头单位：" + "、".join(item.lead_units) if item.lead_units else "",
        "配合单位：" + "、".join(item.co_units) if item.co_units else "",
        "完成时限：" + item.deadline_text if item.deadline_text else ""]))
    return lead, co, deadline, words


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
        departments = list(Organization.objects.filter(kind=Organization.Kind.DEPARTMENT)
                           .only("id", "name")) if any(
            i.lead_units or i.co_units for i in parsed.walk()) else []

        def add(item: textparse.PlanItem, parent: PlanItem | None, chapter: PlanItem | None):
            nonlocal position
            position += 1
            lead, co, deadline, words = _assignment(item, departments)
            row = PlanItem.objects.create(
                plan=plan, parent=parent, chapter=chapter, level=item.level, number=item.path,
                local_number=item.number, implicit_number=item.implicit_number,
                title=item.title[:300], text=item.text, line=item.line, position=position,
                lead_department=lead, deadline=deadline, assigned_text=words)
            if co:
                row.co_departments.set(co)
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
                        value_high=t.value_high, change=t.change or "",
                        base_year=t.base_year,
                        review_reasons=t.review_reasons,
                        suggested_indicator=suggest_indicator(t.indicator) or "")
            for t in parsed.targets])
        audit.record(actor, AuditEntry.Action.IMPORT, obj=plan,
                     changes={"items": [None, len(by_number)],
                              "targets": [None, len(parsed.targets)],
                              "skipped": [None, len(parsed.skipped)]})
    return plan


def plan_import_upload(*, actor, upload, area: Area | None = None) -> Plan:
    """Import an uploaded file (the import page): stored in a temporary file of the same
    type for the readers, which take paths."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        return plan_import(actor=actor, path=tmp.name, name=upload.name, area=area)


def plan_activate(*, actor, plan: Plan, version: int) -> Plan:
    return transition(actor=actor, case=plan, name="activate", version=version)


ITEM_FIELDS = ("title", "text", "lead_department", "deadline")


def item_update(*, actor, item: PlanItem, version: int,
                co_departments: list[Organization] | None = None, **changes) -> PlanItem:
    """Edit an item's assignment (lead and co-operating departments, deadline) or words.
    An edit that changes nothing writes nothing (no new version)."""
    actor = as_actor(actor)
    require(actor, SUPERVISE, item.plan.area)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationFailed(_("The title cannot be empty"), field="title")
    before = audit.snapshot(item, changes)
    diff = audit.diff(before, changes)
    co_before = set(item.co_departments.values_list("id", flat=True))
    co_after = {d.pk for d in co_departments} if co_departments is not None else co_before
    if co_after != co_before:
        diff["co_departments"] = [sorted(co_before), sorted(co_after)]
    if not diff:
        return item
    with transaction.atomic():
        save_versioned(item, version, values={k: changes[k] for k in changes})
        if co_after != co_before:
            item.co_departments.set(co_departments)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=item, changes=diff)
    return item


def item_merge(*, actor, item: PlanItem, into: PlanItem, version: int) -> PlanItem:
    """Merge an item the importer split wrongly into another one (its text is appended; its
    drafts, targets and children move; the item is kept, marked as merged)."""
    actor = as_actor(actor)
    require(actor, SUPERVISE, item.plan.area)
    if item.plan_id != into.plan_id or item.pk == into.pk:
        raise ValidationFailed(_("Items can only be merged within the same plan"),
                               field="merge_into")
    if into.merged_into_id:
        raise ValidationFailed(_("That item was itself merged away"), field="merge_into")
    with transaction.atomic():
        save_versioned(item, version, values={"merged_into": into})
        save_versioned(into, None, values={"text": (into.text + "\n" + item.text).strip()})
        PlanItem.objects.filter(parent=item).update(parent=into)
        TargetDraft.objects.filter(item=item).update(item=into)
        Target.objects.filter(item=item).update(item=into)
        audit.record(actor, AuditEntry.Action.UPDATE, obj=item,
                     changes={"merged_into": [None, into.pk]})
    return into


def _check_target(kind: str, value: float | None, indicator: Indicator | None) -> None:
    if kind not in Target.Kind.values:
        raise ValidationFailed(_("Unknown target type"), field="kind")
    if value is not None and value < 0:
        raise ValidationFailed(_("The target value cannot be negative"), field="value")
    if indicator is not None and indicator.unit == "%" and value is not None \
            and not 0 <= value <= 100:
        raise ValidationFailed(_("A rate target must be between 0 and 100"), field="value")


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
    _check_target(kind, value, indicator)
    with transaction.atomic():
        target = Target.objects.create(
            plan=draft.plan, item=draft.item, name=(name or draft.indicator_phrase)[:200],
            indicator=indicator, area=area, kind=kind, value=value, deadline=deadline,
            baseline_value=baseline_value, baseline_date=baseline_date,
            lead_department=lead_department or (draft.item.lead_department
                                                if draft.item else None),
            source_text=draft.text)
        transition(actor=actor, case=draft, name="confirm", version=version,
                   changes={"target": target})
        audit.record(actor, AuditEntry.Action.CREATE, obj=target,
                     changes={"value": [draft.value, value], "kind": [draft.comparator, kind]})
    return target


def draft_discard(*, actor, draft: TargetDraft, version: int) -> TargetDraft:
    if draft.state != TargetDraft.State.DRAFT:
        raise ValidationFailed(_("This draft has already been decided"))
    return transition(actor=actor, case=draft, name="discard", version=version)


TARGET_FIELDS = ("name", "indicator", "kind", "value", "deadline", "baseline_value",
                 "baseline_date", "lead_department", "tolerance")
# changing these makes the sub-targets by subdistrict meaningless: they are removed
RECASCADE_FIELDS = {"indicator", "kind", "value"}


def target_update(*, actor, target: Target, version: int, **changes) -> Target:
    """Edit a confirmed district target (its page's form, or PATCH on the API). Fields not
    given stay; an edit that changes nothing writes nothing. Sub-targets by subdistrict are
    set on the cascade page; when the value, type or indicator changes they no longer fit
    and are removed in the same transaction (the target page says so)."""
    actor = as_actor(actor)
    require(actor, SUPERVISE, target.area)
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    if target.parent_id is not None:
        raise ValidationFailed(_("A sub-target is changed on its district target's "
                                 "sub-targets page"))
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()[:200]
        if not changes["name"]:
            raise ValidationFailed(_("The name cannot be empty"), field="name")
    if "deadline" in changes and changes["deadline"] is None:
        raise ValidationFailed(_("Give the deadline as YYYY-MM-DD"), field="deadline")
    if "tolerance" in changes:
        changes["tolerance"] = changes["tolerance"] or 0.0
        if changes["tolerance"] < 0:
            raise ValidationFailed(_("The tolerance cannot be negative"), field="tolerance")
    _check_target(changes.get("kind", target.kind), changes.get("value", target.value),
                  changes.get("indicator", target.indicator))
    before = audit.snapshot(target, changes)
    diff = audit.diff(before, changes)
    if not diff:
        return target
    with transaction.atomic():
        save_versioned(target, version, values={k: changes[k] for k in diff})
        if RECASCADE_FIELDS & set(diff):
            removed = Target.objects.filter(parent=target).delete()[0]
            if removed:
                diff["cascade"] = [removed, None]
        audit.record(actor, AuditEntry.Action.UPDATE, obj=target, changes=diff)
    return target


def target_cascade(*, actor, target: Target, values: dict[Area | int, float],
                   tolerance: float = 0.005) -> list[Target]:
    """Sub-targets per subdistrict (keyed by the subdistrict or its id). Additive
    quantities must add up to the district's target; rates must average to it (within
    ``tolerance``, relative)."""
    actor = as_actor(actor)
    require(actor, SUPERVISE, target.area)
    if target.parent_id is not None:
        raise ValidationFailed(_("Only a district target is cascaded to subdistricts"))
    if target.value is None:
        raise ValidationFailed(_("Set the district target's value first"))
    if not values:
        raise ValidationFailed(_("Enter a sub-target for at least one subdistrict"),
                               field="values")
    ids = {(k.pk if isinstance(k, Area) else int(k)): float(v) for k, v in values.items()}
    areas = {a.pk: a for a in Area.objects.filter(pk__in=list(ids))}
    for pk in ids:
        area = areas.get(pk)
        if area is None or area.parent_id != target.area_id:
            raise ValidationFailed(_("%(a)s is not directly under %(d)s")
                                   % {"a": area.name if area else pk, "d": target.area.name})
    nums = list(ids.values())
    additive = target_status._additive(target)
    combined = sum(nums) if additive else sum(nums) / len(nums)
    if abs(combined - target.value) > tolerance * max(1.0, abs(target.value)):
        raise ValidationFailed(
            (_("The sub-targets add up to %(got)s, not %(want)s") if additive
             else _("The sub-targets average %(got)s, not %(want)s"))
            % {"got": f"{combined:g}", "want": f"{target.value:g}"}, field="values")
    with transaction.atomic():
        Target.objects.filter(parent=target).delete()
        children = [Target.objects.create(
            plan=target.plan, item=target.item, name=target.name, indicator=target.indicator,
            area=areas[pk], parent=target, kind=target.kind, value=v, deadline=target.deadline,
            lead_department=target.lead_department, tolerance=target.tolerance)
            for pk, v in ids.items()]
        # the district target's own row changes (its cached status is recomputed)
        Target.objects.filter(pk=target.pk).update(updated_at=timezone.now())
        audit.record(actor, AuditEntry.Action.UPDATE, obj=target,
                     changes={"cascade": [None, {areas[pk].code: v
                                                 for pk, v in ids.items()}]})
    return children


def targets_review(*, actor, plan: Plan | None = None, as_of: datetime.date | None = None,
                   today: datetime.date | None = None) -> dict[str, int]:
    """Assess the top-level targets in the actor's supervision area, store their status,
    and open a supervision follow-up for the lead department when a target turns at risk
    or off track. Then escalate overdue follow-ups (yellow, red).

    A subdistrict's supervisor assesses only targets of their subdistrict, never the
    district's. The status is the platform's assessment, not an edit: it is stored without
    a new version (an editor of the target is not made stale by it), and every change of
    status is in the audit log."""
    actor = as_actor(actor)
    require(actor, SUPERVISE)
    today = today or timezone.localdate()
    qs = scoped(Target.objects.filter(parent=None), actor, SUPERVISE).select_related(
        "indicator", "area", "lead_department", "plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    targets = list(qs)
    counts = {"assessed": 0, "changed": 0, "opened": 0, "escalated": 0}
    by_area: dict[int, list[Target]] = {}
    for t in targets:
        by_area.setdefault(t.area_id, []).append(t)
    now = timezone.now()
    with transaction.atomic():
        for area_targets in by_area.values():
            results = target_status.compute(area_targets, [area_targets[0].area], as_of=as_of)
            for t in area_targets:
                r = results[(t.id, t.area_id)]
                counts["assessed"] += 1
                Target.objects.filter(pk=t.pk).update(status=r["status"],
                                                      status_reason=r["reason"],
                                                      assessed_at=now)
                if r["status"] != t.status:
                    counts["changed"] += 1
                    audit.record(actor, AuditEntry.Action.UPDATE, obj=t,
                                 changes={"status": [t.status, r["status"]]})
                if r["status"] in WARN_STATUSES:
                    item = supervision_open(actor=actor, target=t, status=r["status"],
                                            reason=r["reason"], today=today)
                    if item.created_at >= now:
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


def _require_reporting_department(actor, item: PlanItem) -> Organization | None:
    """The lead or a co-operating department of the measure reports on it (system
    administrators and the platform too): the actor's department, checked by core.access."""
    candidates = [d for d in (item.lead_department, *item.co_departments.all()) if d]
    for department in candidates:
        try:
            require_department(actor, department)
        except PermissionDenied:
            continue
        return getattr(actor.user, "department", None) or department
    if not candidates and (actor.system or "system_admin" in actor.roles):
        return getattr(actor.user, "department", None)
    raise PermissionDenied(_("Only the lead or a co-operating department reports on "
                             "this measure"))


def report_submit(*, actor, item: PlanItem, period: datetime.date, progress: str,
                  narrative: str, evidence=None) -> ProgressReport:
    actor = as_actor(actor)
    require(actor, REPORT, item.plan.area)
    department = _require_reporting_department(actor, item)
    if department is None:
        raise ValidationFailed(_("Give the measure a lead department first"))
    if progress not in ProgressReport.Progress.values:
        raise ValidationFailed(_("Choose the progress"), field="progress")
    if not narrative.strip():
        raise ValidationFailed(_("Describe the progress"), field="narrative")
    with transaction.atomic():
        report = ProgressReport.objects.create(
            item=item, department=department, period=month_start(period),
            progress=progress, narrative=narrative.strip(), evidence=evidence or "",
            state=ProgressReport.workflow.initial,
            submitted_by=actor.user if actor.is_authenticated else None)
        audit.record(actor, AuditEntry.Action.CREATE, obj=report)
    return report


def report_review(*, actor, report: ProgressReport, version: int, accept: bool,
                  note: str = "") -> ProgressReport:
    actor = as_actor(actor)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationFailed(_("This report has already been reviewed"))
    if not accept and not note.strip():
        raise ValidationFailed(_("Say what must be revised"), field="note")
    return transition(actor=actor, case=report, name="accept" if accept else "return",
                      version=version, note=note.strip(),
                      changes={"review_note": note.strip(),
                               "reviewed_by": actor.user if actor.is_authenticated else None})


def report_due(period: datetime.date) -> datetime.date:
    """Due date of the report for a month: N working days after the month ends."""
    return workdays.add_working_days(month_end(period), setting("REPORT_DUE_WORKING_DAYS"))
