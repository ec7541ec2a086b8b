"""Background jobs: batch matching of all active seekers. The job's writes are services'
(`services.matching`); this module only queues and runs them in the worker."""

from __future__ import annotations

from django_tasks import task

from minsheng.employment import services


def enqueue_match(job_id: int, top: int, seeker_ids) -> None:
    result = match_all_task.enqueue(job_id, top, seeker_ids)
    services.match_job_queued(job_id, str(result.id))


@task()
def match_all_task(job_id: int, top: int = 10, seeker_ids: list[int] | None = None) -> dict:
    return services.match_run(job_id, top, seeker_ids)
