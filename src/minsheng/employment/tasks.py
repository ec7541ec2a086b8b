"""Background jobs: batch matching of all active seekers (progress in JobProgress)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from minsheng.core.access import system_actor
from minsheng.core.jobs import progress_updater
from minsheng.core.models import JobProgress
from minsheng.employment import matchdata, services


def match_start(*, actor, top: int = 10, seeker_ids: list[int] | None = None,
                background: bool = True) -> JobProgress:
    from minsheng.core.access import as_actor, require
    from minsheng.employment.permissions import MANAGE

    actor = as_actor(actor)
    require(actor, MANAGE)
    job = JobProgress.objects.create(kind="employment_match", label=f"top {top}",
                                     owner=actor.user if actor.is_authenticated else None)
    if background:
        transaction.on_commit(lambda: _enqueue(job.pk, top, seeker_ids))
    return job


def _enqueue(job_id: int, top: int, seeker_ids) -> None:
    result = match_all_task.enqueue(job_id, top, seeker_ids)
    JobProgress.objects.filter(pk=job_id).update(task_result_id=str(result.id))


def match_run(job_id: int, top: int = 10, seeker_ids: list[int] | None = None,
              progress=None) -> dict:
    """Recompute recommendations for active seekers (or the given ones)."""
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
        stored = services.recommendations_store(
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


@task()
def match_all_task(job_id: int, top: int = 10, seeker_ids: list[int] | None = None) -> dict:
    return match_run(job_id, top, seeker_ids)
