"""Recommendations: caseworker overrides, storing computed suggestions, and the batch
matching job (its progress row lives in core's JobProgress)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import PermissionDenied, ValidationFailed
from minsheng.core.jobs import progress_updater
from minsheng.core.models import AuditEntry, JobProgress
from minsheng.employment import matchdata
from minsheng.employment.models import JobPosting, JobSeeker, Recommendation
from minsheng.employment.permissions import MANAGE

A = AuditEntry.Action


def recommendation_override(*, actor, seeker: JobSeeker, posting: JobPosting, action: str,
                            note: str) -> Recommendation:
    """A caseworker adds ('pin') or removes ('hide') a post for a seeker, or records that
    the seeker applied or refused. Recorded with who and why."""
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    status = {"pin": "pinned", "hide": "hidden", "applied": "applied",
              "refused": "refused"}.get(action)
    if status is None:
        raise ValidationFailed(_("Unknown action"), field="action")
    if not (note or "").strip():
        raise ValidationFailed(_("Give the reason"), field="note")
    if posting.state != JobPosting.State.PUBLISHED:
        raise ValidationFailed(_("Only published postings can be recommended"))
    period = timezone.localdate().replace(day=1)
    with transaction.atomic():
        rec, created = Recommendation.objects.get_or_create(
            seeker=seeker, posting=posting,
            defaults={"period": period, "rank": 0, "reasons": ["社工推荐"]})
        before = rec.status
        rec.status, rec.override_note = status, note.strip()[:300]
        rec.override_by = actor.user if actor.is_authenticated else None
        rec.save(update_fields=["status", "override_note", "override_by"])
        audit.record(actor, A.UPDATE, obj=rec, object_type="employment.recommendation",
                     object_repr=f"{seeker} → {posting}",
                     changes={"status": [None if created else before, status],
                              "note": note[:300]})
    return rec


def recommendations_store(*, actor, seeker_ids, posting_ids, scores, reasons,
                          period: datetime.date) -> int:
    """Replace machine suggestions for these seekers (caseworker overrides stay). The
    actor manages every one of these seekers (the platform's batch does)."""
    actor = as_actor(actor)
    require(actor, MANAGE)
    seeker_ids = [int(s) for s in seeker_ids]
    distinct = sorted(set(seeker_ids))
    if not actor.system and JobSeeker.objects.filter(pk__in=distinct).exclude(
            area_id__in=actor.area_ids(MANAGE)).exists():
        raise PermissionDenied()
    now = timezone.now()
    kept = set(Recommendation.objects.filter(seeker_id__in=distinct).exclude(
        status="suggested").values_list("seeker_id", "posting_id"))
    rows, rank, last = [], 0, None
    for s, p, v, r in zip(seeker_ids, posting_ids, scores, reasons, strict=True):
        rank = rank + 1 if s == last else 1
        last = s
        if (s, int(p)) in kept:
            continue
        rows.append(Recommendation(seeker_id=s, posting_id=int(p), period=period, rank=rank,
                                   score=round(float(v), 4), reasons=r, computed_at=now))
    with transaction.atomic():
        for start in range(0, len(distinct), 900):
            Recommendation.objects.filter(seeker_id__in=distinct[start:start + 900],
                                          status="suggested").delete()
        Recommendation.objects.bulk_create(rows, batch_size=2000)
        audit.record(actor, A.UPDATE, object_type="employment.recommendation",
                     object_repr=f"recommendations for {len(distinct)} seeker(s)",
                     changes={"rows": [None, len(rows)]})
    return len(rows)


def recommendations_refresh(*, actor, seeker: JobSeeker, top: int = 10) -> int:
    """Recompute one seeker's suggestions now (the seeker page's 'Recompute')."""
    actor = as_actor(actor)
    require(actor, MANAGE, seeker.area)
    rows = matchdata.recommend(seeker, top=top)
    return recommendations_store(actor=actor, seeker_ids=[seeker.pk] * len(rows),
                                 posting_ids=[r["posting_id"] for r in rows],
                                 scores=[r["score"] for r in rows],
                                 reasons=[r["reasons"] for r in rows],
                                 period=timezone.localdate().replace(day=1))


# --- the batch matching job ------------------------------------------------------------

def match_start(*, actor, top: int = 10, seeker_ids: list[int] | None = None,
                background: bool = True) -> JobProgress:
    """Queue (or prepare, for the CLI's foreground run) a batch matching job."""
    from minsheng.employment import tasks

    actor = as_actor(actor)
    require(actor, MANAGE)
    with transaction.atomic():
        job = JobProgress.objects.create(kind="employment_match", label=f"top {top}",
                                         owner=actor.user if actor.is_authenticated else None)
        audit.record(actor, A.CREATE, obj=job, object_repr=f"employment match top {top}")
    if background:
        transaction.on_commit(lambda: tasks.enqueue_match(job.pk, top, seeker_ids))
    return job


def match_job_queued(job_id: int, task_result_id: str) -> None:
    JobProgress.objects.filter(pk=job_id).update(task_result_id=task_result_id)


def match_run(job_id: int, top: int = 10, seeker_ids: list[int] | None = None,
              progress=None) -> dict:
    """Recompute recommendations for active seekers (or the given ones): the platform's
    job, run by the worker or the CLI; progress in the job row."""
    from minsheng.core.access import system_actor

    job = JobProgress.objects.get(pk=job_id)
    update = progress_updater(job)
    qs = matchdata.active_seekers().order_by("id")
    if seeker_ids:
        qs = qs.filter(pk__in=seeker_ids)
    total = qs.count()
    JobProgress.objects.filter(pk=job_id).update(state=JobProgress.State.RUNNING, total=total)

    def report(done, n):
        update(done, n)
        if progress:
            progress(done, n)
    try:
        s, p, v, r = matchdata.recommend_batch(qs, top=top, progress=report,
                                               reset_exposure=not seeker_ids)
        stored = recommendations_store(
            actor=system_actor(), seeker_ids=s, posting_ids=p, scores=v, reasons=r,
            period=timezone.localdate().replace(day=1))
    except Exception as exc:
        JobProgress.objects.filter(pk=job_id).update(state=JobProgress.State.FAILED,
                                                     message=str(exc)[:2000])
        raise
    result = {"seekers": total, "recommendations": stored,
              "seekers_with_recommendations": len(set(s))}
    JobProgress.objects.filter(pk=job_id).update(
        state=JobProgress.State.DONE, done=total, total=total, report=result,
        message=f"{stored} recommendations for {len(set(s))} of {total} seekers")
    return result
