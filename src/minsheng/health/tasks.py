"""Background jobs of the health module (run by the worker: `minsheng worker`)."""

from __future__ import annotations

import datetime

from django_tasks import task

from minsheng.core.access import system_actor
from minsheng.core.jobs import progress_updater
from minsheng.core.models import JobProgress


@task()
def run_detection(job_id: int, on: str) -> dict:
    """The daily detection run: every disease x subdistrict series and the district totals."""
    from minsheng.health.services import detection_run

    job = JobProgress.objects.get(pk=job_id)
    JobProgress.objects.filter(pk=job_id).update(state=JobProgress.State.RUNNING)
    try:
        report = detection_run(actor=system_actor(), on=datetime.date.fromisoformat(on),
                               progress=progress_updater(job))
    except Exception as exc:
        JobProgress.objects.filter(pk=job_id).update(state=JobProgress.State.FAILED,
                                                     message=str(exc)[:2000])
        raise
    JobProgress.objects.filter(pk=job_id).update(
        state=JobProgress.State.DONE, report=report, done=report["series"],
        total=report["series"],
        message=f"{report['signals']} signal(s), {report['alerts_created']} new alert(s)")
    return report
