"""Progress of long work run as a task: start a job, report progress from the task, show it on the page.

A view calls `start(user, label, total)` and enqueues its task with the job's id; the task calls
`progress(job, done)` now and then and `finish(job, message)` (or `fail`) at the end. The page includes
`core/_job_progress.html`, which polls `core:job` until the job is finished. Only the person who
started a job sees it.
"""

from django.utils import timezone

from .models import BackgroundJob


def start(user, label: str, total: int) -> BackgroundJob:
    return BackgroundJob.objects.create(user=user, label=str(label)[:200], total=total)


def progress(job: BackgroundJob, done: int) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.RUNNING, done=done)
    job.done, job.status = done, BackgroundJob.Status.RUNNING


def finish(job: BackgroundJob, message: str) -> None:
    _end(job, BackgroundJob.Status.DONE, message)


def fail(job: BackgroundJob, message: str) -> None:
    _end(job, BackgroundJob.Status.FAILED, message)


def _end(job: BackgroundJob, status: str, message: str) -> None:
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(status=status, message=str(message)[:500], finished_at=now)
    job.status, job.message, job.finished_at = status, str(message)[:500], now


def job_of(user, job_id: int) -> BackgroundJob | None:
    """The job, if this user started it."""
    return BackgroundJob.objects.filter(pk=job_id, user=user).first()
