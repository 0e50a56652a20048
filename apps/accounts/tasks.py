"""Background work of accounts (django-tasks): inviting guardians in bulk. Idempotent."""

from django_tasks import task


@task()
def run_invite_batch_task(batch_id: int) -> int:
    from .bulk import run_batch

    return run_batch(batch_id)
