"""Background work of notifications (django-tasks): retrying the e-mail outbox and clearing out old rows.
Idempotent."""

from django_tasks import task


@task()
def retry_outgoing_mail_task() -> int:
    from .services import purge_outgoing_mail, retry_outgoing_mail

    sent = retry_outgoing_mail()
    purge_outgoing_mail()
    return sent
