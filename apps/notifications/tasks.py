"""Background work of notifications (django-tasks): retrying the e-mail outbox. Idempotent."""

from django_tasks import task


@task()
def retry_outgoing_mail_task() -> int:
    from .services import retry_outgoing_mail

    return retry_outgoing_mail()
