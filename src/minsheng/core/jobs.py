"""Background jobs with progress: uploaded imports run in the worker (`minsheng worker`)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from minsheng.core.access import actor_for, as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import JobProgress, User
from minsheng.core.services.imports import IMPORTERS

PROGRESS_EVERY = 5000


def progress_updater(job: JobProgress):
    def update(done: int, total: int) -> None:
        JobProgress.objects.filter(pk=job.pk).update(done=done, total=max(total, done))
    return update


def import_start(*, actor, kind: str, filename: str, content) -> JobProgress:
    """Save the upload and queue its import; the page polls the job for progress."""
    actor = as_actor(actor)
    require(actor, "core.import")
    if kind not in IMPORTERS:
        raise ValidationFailed(_("Unknown kind of records to import"), field="kind")
    suffix = Path(filename).suffix.lower()
    if suffix not in {".csv", ".xlsx", ".txt"}:
        raise ValidationFailed(_("Use a .csv or .xlsx file"), field="file")
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as fh:
        for chunk in content.chunks() if hasattr(content, "chunks") else [content.read()]:
            fh.write(chunk)
    job = JobProgress.objects.create(kind=f"import_{kind}", label=filename[:200],
                                     owner=actor.user if actor.is_authenticated else None)
    transaction.on_commit(lambda: _enqueue(job, kind, target))
    return job


def _enqueue(job: JobProgress, kind: str, target: Path) -> None:
    result = run_import.enqueue(job.pk, kind, str(target))
    JobProgress.objects.filter(pk=job.pk).update(task_result_id=str(result.id))


@task()
def run_import(job_id: int, kind: str, path: str) -> dict:
    job = JobProgress.objects.get(pk=job_id)
    JobProgress.objects.filter(pk=job_id).update(state=JobProgress.State.RUNNING)
    owner = User.objects.get(pk=job.owner_id) if job.owner_id else None
    try:
        report = IMPORTERS[kind](actor=actor_for(owner), path=path,
                                 progress=progress_updater(job))
    except Exception as exc:
        JobProgress.objects.filter(pk=job_id).update(state=JobProgress.State.FAILED,
                                                     message=str(exc)[:2000])
        raise
    finally:
        Path(path).unlink(missing_ok=True)
    state = JobProgress.State.DONE if report.ok else JobProgress.State.FAILED
    JobProgress.objects.filter(pk=job_id).update(
        state=state, report=report.as_dict(), done=report.rows,
        total=report.rows, message=report.message)
    return report.as_dict()
