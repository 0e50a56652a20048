"""Background work of messaging (django-tasks): digests, announcement delivery and virus scans of attachments.
All are idempotent."""

from django_tasks import task


@task()
def send_message_digests_task(user_ids: list[int] | None = None) -> int:
    from .services import send_all_digests

    return send_all_digests(user_ids=user_ids)


@task()
def deliver_announcement_task(announcement_id: int) -> int:
    from .services import deliver_announcement

    return deliver_announcement(announcement_id)


@task()
def scan_attachment_task(attachment_id: int) -> str:
    from .quarantine import scan_attachment

    return scan_attachment(attachment_id)


@task()
def rescan_pending_attachments_task() -> int:
    from .quarantine import rescan_pending_attachments

    return rescan_pending_attachments()
