"""Background jobs for conversations; safe to run repeatedly (notifications are keyed)."""

from django_tasks import task

from . import services


@task()
def daily() -> int:
    """Run once a day: day-before reminders and overdue-feedback notices."""
    return services.send_reminders() + services.remind_overdue_feedback()
