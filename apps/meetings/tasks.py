"""Background jobs; each is safe to run repeatedly (notify keys make them idempotent)."""

from django.utils.translation import gettext as _
from django_tasks import task

from apps.core import jobs
from apps.core.models import BackgroundJob

from . import services
from .models import Meeting

INVITE_BATCH = 100


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


@task()
def invite_in_background(job_id: int, meeting_id: int, user_ids: list[int], kind: str) -> int:
    """Invite a large audience in batches, so the page shows progress; a re-run invites nobody twice."""
    from apps.accounts.models import User

    job = BackgroundJob.objects.get(pk=job_id)
    meeting = Meeting.objects.get(pk=meeting_id)
    created = 0
    try:
        for start in range(0, len(user_ids), INVITE_BATCH):
            batch = list(User.objects.filter(pk__in=user_ids[start : start + INVITE_BATCH]).order_by("pk"))
            created += services.invite(meeting, batch, kind=kind)
            jobs.progress(job, min(start + INVITE_BATCH, len(user_ids)))
    except Exception:
        jobs.fail(
            job,
            _("Het uitnodigen is gestopt; %(n)d uitnodiging(en) zijn verstuurd. Probeer het opnieuw.") % {"n": created},
        )
        raise
    jobs.finish(job, _("%(n)d nieuwe uitnodiging(en) verstuurd.") % {"n": created})
    return created
