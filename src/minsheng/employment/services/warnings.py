"""Unemployment early warning: enterprises' monthly headcount reports, and the scan that
stores the warnings the rules find (`early_warning.candidates`) with their follow-ups."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require, system_actor
from minsheng.core.dates import month_end, month_start
from minsheng.core.errors import CalendarUnknown, Conflict, DomainError, ValidationFailed
from minsheng.core.models import AuditEntry, Organization
from minsheng.employment import early_warning
from minsheng.employment.config import setting
from minsheng.employment.models import (
    Employment,
    HeadcountReport,
    JobSeeker,
    UnemploymentWarning,
)
from minsheng.employment.permissions import REPORT, SCAN
from minsheng.employment.services.matching import recommendations_store
from minsheng.employment.services.seekers import seeker_create

A = AuditEntry.Action
REDUCTIONS = ("reduced_closure", "reduced_suspension", "reduced_layoff", "reduced_contract",
              "reduced_other")


def headcount_report_submit(*, actor, enterprise: Organization, month: datetime.date,
                            baseline: int, additions: int = 0, layoff_notice_date=None,
                            layoff_effective_date=None, **reductions) -> HeadcountReport:
    actor = as_actor(actor)
    require(actor, REPORT, enterprise.area)
    if enterprise.kind != Organization.Kind.ENTERPRISE:
        raise ValidationFailed(_("Only enterprises report headcount"), field="enterprise")
    month = month.replace(day=1)
    unknown = set(reductions) - set(REDUCTIONS)
    if unknown:
        raise ValidationFailed(_("Unknown reduction reason"), field=sorted(unknown)[0])
    values = {k: int(reductions.get(k) or 0) for k in REDUCTIONS}
    baseline, additions = int(baseline or 0), int(additions or 0)
    if baseline < 0 or additions < 0 or any(v < 0 for v in values.values()):
        raise ValidationFailed(_("Headcounts cannot be negative"), field="baseline")
    if sum(values.values()) > baseline + additions:
        raise ValidationFailed(_("Reductions (%(r)s) exceed the headcount (%(h)s)")
                               % {"r": sum(values.values()), "h": baseline + additions},
                               field="reduced_layoff")
    if layoff_notice_date and layoff_effective_date and \
            layoff_effective_date < layoff_notice_date:
        raise ValidationFailed(_("The layoff takes effect before it was announced"),
                               field="layoff_effective_date")
    if HeadcountReport.objects.filter(enterprise=enterprise, month=month).exists():
        raise Conflict(_("This enterprise already reported for this month"))
    try:
        with transaction.atomic():
            report = HeadcountReport.objects.create(
                enterprise=enterprise, month=month, baseline=baseline, additions=additions,
                layoff_notice_date=layoff_notice_date,
                layoff_effective_date=layoff_effective_date, **values)
            audit.record(actor, A.CREATE, obj=report,
                         object_repr=f"headcount {enterprise} {month:%Y-%m}",
                         changes={"baseline": [None, baseline], **{
                             k: [None, v] for k, v in values.items() if v}})
    except IntegrityError:
        raise Conflict(_("This enterprise already reported for this month")) from None
    return report


def _department():
    return Organization.objects.filter(department_code=setting("WARNING_DEPARTMENT")).first()


def _open_followup(actor, warning: UnemploymentWarning, today: datetime.date) -> None:
    from minsheng.casework.services import followup_open

    days = setting("WARNING_FOLLOWUP_WORKING_DAYS")
    common = {"actor": actor, "kind": "unemployment_warning", "title": warning.title,
              "area": warning.area, "department": _department(),
              "source_type": "employment.unemploymentwarning", "source_id": warning.pk,
              "description": str(warning.details.get("text", ""))}
    try:
        item = followup_open(**common, working_days=days, today=today)
    except CalendarUnknown:  # calendar of that year not confirmed: calendar days
        item = followup_open(**common, due_date=today + datetime.timedelta(days=days + 2))
    UnemploymentWarning.objects.filter(pk=warning.pk).update(followup_id=item.pk)
    warning.followup_id = item.pk


def _store(actor, found: early_warning.Candidate) -> tuple[UnemploymentWarning, bool]:
    warning, created = UnemploymentWarning.objects.get_or_create(
        kind=found.kind, subject=str(found.subject)[:60], month=found.month,
        defaults={"level": found.level, "area": found.area, "title": found.title[:200],
                  "details": found.details, "enterprise": found.enterprise})
    if created:
        audit.record(actor, A.CREATE, obj=warning, object_repr=warning.title[:200],
                     changes={"level": [None, warning.level]})
    return warning, created


def warnings_scan(*, actor, start: datetime.date, end: datetime.date,
                  today: datetime.date | None = None,
                  followups_since: datetime.date | None = None,
                  match_workers: bool = True) -> list[UnemploymentWarning]:
    """Evaluate every rule for the months start..end in the actor's area; store new
    warnings (idempotent) and open follow-ups for those in or after `followups_since`
    (default: start). Returns the warnings found there, new and already stored."""
    actor = as_actor(actor)
    require(actor, SCAN)
    if end < start:
        raise ValidationFailed(_("The last month is before the first"), field="end")
    today = today or timezone.localdate()
    since = month_start(followups_since or start)
    found = early_warning.candidates(start, end, actor.area_ids(SCAN))
    made = []
    with transaction.atomic():
        for candidate in found:
            warning, created = _store(actor, candidate)
            follow = created and candidate.month >= since
            if follow:
                _open_followup(actor, warning, today)
            if follow and match_workers and candidate.kind == "layoff":
                n = match_laid_off_workers(candidate.enterprise, candidate.month)
                UnemploymentWarning.objects.filter(pk=warning.pk).update(matched_workers=n)
                warning.matched_workers = n
            made.append(warning)
    return made


def match_laid_off_workers(org: Organization, month: datetime.date) -> int:
    """Workers whose spell at `org` ends by layoff in or just after `month` become job
    seekers (if not already) and get recommendations now. The platform does this (the
    workers may live outside the area of whoever ran the scan)."""
    from minsheng.employment import matchdata
    from minsheng.employment.occupations import CODE, table

    actor = system_actor()
    spells = list(Employment.objects.filter(
        employer=org, end_reason="layoff", end_date__gte=month,
        end_date__lte=month_end(month) + datetime.timedelta(days=31)).select_related(
        "person__residence_area"))
    if not spells:
        return 0
    existing = dict(JobSeeker.objects.filter(person_id__in=[s.person_id for s in spells])
                    .values_list("person_id", "id"))
    seeker_ids = list(existing.values())
    for spell in spells:
        if spell.person_id in existing:
            continue
        codes = [spell.occupation_code] if CODE.match(spell.occupation_code or "") and \
            spell.occupation_code in table() else []
        try:
            with transaction.atomic():
                seeker = seeker_create(actor=actor, person=spell.person,
                                       status="seeking_employed", occupation_codes=codes,
                                       salary_min=3000, salary_max=8000, experience_years=3)
        except DomainError:  # a person without a valid ID is skipped
            continue
        seeker_ids.append(seeker.pk)
    s, p, v, r = matchdata.recommend_batch(
        JobSeeker.objects.filter(pk__in=seeker_ids).order_by("id"), top=10)
    recommendations_store(actor=actor, seeker_ids=s, posting_ids=p, scores=v, reasons=r,
                          period=timezone.localdate().replace(day=1))
    return len(set(s))
