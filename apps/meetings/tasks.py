"""Background jobs; each is safe to run repeatedly (notify keys make them idempotent)."""

from django_tasks import task

from . import services
from .models import Meeting


@task()
def flag_stalled_actions() -> int:
    return services.flag_stalled_actions()


@task()
def send_meeting_reminders(meeting_id: int) -> int:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    return services.send_reminders(meeting) if meeting else 0


@task()
def send_due_reminders() -> int:
    return services.send_due_reminders()
