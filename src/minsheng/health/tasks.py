"""Background jobs of the health module (run by the worker: `minsheng worker`)."""

from __future__ import annotations

import datetime

from django_tasks import task


@task()
def run_detection(job_id: int, on: str) -> dict:
    """The daily detection run: every disease x subdistrict series and the district totals,
    run by the platform (system actor); the job's progress row is kept by the service."""
    from minsheng.health.services import detection_job_run

    return detection_job_run(job_id=job_id, on=datetime.date.fromisoformat(on))
