"""Background jobs of the partnership monitor; safe to run repeatedly (the notification keys hold one a day)."""

from django_tasks import task

from . import services


@task()
def send_due_monitor_reminders() -> int:
    return services.send_due_reminders()
