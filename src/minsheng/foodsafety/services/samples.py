"""Sampling tests (抽检): samples, lab results imported from xlsx/CSV (atomic, every bad
line reported), handling of unqualified products with a time limit."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.casework.clocks import due_in_days
from minsheng.casework.workflow import record_event, transition
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import AuditEntry
from minsheng.core.tabular import open_table
from minsheng.foodsafety import permissions as P
from minsheng.foodsafety.config import setting
from minsheng.foodsafety.models import Operator, Sample
from minsheng.foodsafety.services.operators import operator_grade

QUALIFIED = {"合格", "qualified", "pass"}
UNQUALIFIED = {"不合格", "unqualified", "fail"}


def sample_take(*, actor, operator: Operator, number: str, product: str, sampled_on,
                batch: str = "") -> Sample:
    actor = as_actor(actor)
    require(actor, P.SAMPLE, operator.area)
    number, product = (number or "").strip(), (product or "").strip()
    if not number:
        raise ValidationFailed(_("Give the sample number."), field="number")
    if not product:
        raise ValidationFailed(_("Name the product."), field="product")
    if sampled_on is None or sampled_on > timezone.localdate():
        raise ValidationFailed(_("The sampling date cannot be in the future."),
                               field="sampled_on")
    if Sample.objects.filter(number=number).exists():
        raise ValidationFailed(_("This sample number is taken."), field="number")
    with transaction.atomic():
        sample = Sample.objects.create(number=number[:30], operator=operator,
                                       area=operator.area, product=product[:120],
                                       batch=(batch or "")[:40], sampled_on=sampled_on)
        record_event(sample, actor=actor, to_state="pending")
        audit.record(actor, AuditEntry.Action.CREATE, obj=sample)
    return sample


def sample_result(*, actor, sample: Sample, qualified: bool, reported_on: datetime.date,
                  failed_item: str = "", measured: str = "", limit: str = "") -> Sample:
    actor = as_actor(actor)
    if reported_on is None or reported_on < sample.sampled_on:
        raise ValidationFailed(_("The result cannot come before the sample was taken."),
                               field="reported_on")
    if not qualified and not (failed_item or "").strip():
        raise ValidationFailed(_("Name the failed test item."), field="failed_item")
    changes = {"reported_on": reported_on}
    if not qualified:
        changes.update(failed_item=failed_item.strip()[:120], measured=(measured or "")[:40],
                       limit=(limit or "")[:40],
                       handle_due=due_in_days(reported_on, setting("UNQUALIFIED_HANDLE_DAYS")))
    with transaction.atomic():
        transition(actor=actor, case=sample, name="qualify" if qualified else "disqualify",
                   changes=changes)
        if not qualified:
            operator_grade(actor=actor, operator=sample.operator, trigger="sample")
    return sample


def results_import(*, actor, path) -> int:
    """Lab results: number, result (合格/不合格), reported on, failed item, measured, limit.
    All or nothing: any bad line (unknown sample, result already recorded, bad date) stops
    the import and every one is reported by line."""
    actor = as_actor(actor)
    errors, rows = [], []
    for line, cells in open_table(path).rows:  # the header row is the table's
        cells = [str(c).strip() if c is not None else "" for c in cells] + [""] * 6
        number, result, reported, item, measured, limit = cells[:6]
        if not any(cells):
            continue
        sample = Sample.objects.filter(number=number).select_related("area").first()
        if sample is None or not actor.covers(P.SAMPLE, sample.area):
            errors.append(_("line %(line)s: unknown sample %(n)s") % {"line": line, "n": number})
            continue
        if sample.state != "pending":
            errors.append(_("line %(line)s: sample %(n)s already has a result")
                          % {"line": line, "n": number})
            continue
        if result.lower() not in QUALIFIED | UNQUALIFIED:
            errors.append(_("line %(line)s: result must be 合格 or 不合格") % {"line": line})
            continue
        try:
            reported_on = datetime.date.fromisoformat(reported[:10])
        except ValueError:
            errors.append(_("line %(line)s: date as YYYY-MM-DD") % {"line": line})
            continue
        rows.append((line, sample, result.lower() in QUALIFIED, reported_on, item, measured,
                     limit))
    if errors:
        raise ValidationFailed(_("Nothing imported: %(n)s bad lines.") % {"n": len(errors)},
                               details={"field": "file", "lines": errors})
    with transaction.atomic():
        for line, sample, ok, reported_on, item, measured, limit in rows:
            try:
                sample_result(actor=actor, sample=sample, qualified=ok, reported_on=reported_on,
                              failed_item=item, measured=measured, limit=limit)
            except ValidationFailed as error:
                raise ValidationFailed(_("line %(line)s: %(msg)s")
                                       % {"line": line, "msg": error.message},
                                       field="file") from None
    return len(rows)


def sample_handle(*, actor, sample: Sample, version: int | None, measure: str,
                  handled_on: datetime.date, note: str = "") -> Sample:
    if measure not in Sample.Measure.values:
        raise ValidationFailed(_("Choose the handling measure."), field="measure")
    if handled_on is None or handled_on > timezone.localdate() or (
            sample.reported_on and handled_on < sample.reported_on):
        raise ValidationFailed(_("The handling date lies between the result and today."),
                               field="handled_on")
    return transition(actor=as_actor(actor), case=sample, name="handle", version=version,
                      note=note, changes={"measure": measure, "handled_on": handled_on})
