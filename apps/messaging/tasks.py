"""Background work of messaging (django-tasks): digests and announcement delivery. Both are idempotent."""

from django_tasks import task


@task()
def send_message_digests_task(user_ids: list[int] | None = None) -> int:
    from .services import send_all_digests

    return send_all_digests(user_ids=user_ids)


@task()
def deliver_announcement_task(announcement_id: int) -> int:
    from .services import deliver_announcement

    return deliver_announcement(announcement_id)
