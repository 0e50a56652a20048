"""Background jobs of the planner; safe to run repeatedly (notifications are keyed)."""

from django_tasks import task

from . import services


@task()
def send_reminders() -> int:
    """The day-before reminders; run daily by the scheduler (`manage.py planner_reminders`)."""
    return services.send_reminders()
