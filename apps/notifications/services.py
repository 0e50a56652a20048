"""Notify a person once per key: an in-app notification, and optionally an e-mail.

At-least-once task delivery is made safe here: the unique (user, key) row is the record that the
notification happened, so a second run for the same key sends nothing (REL-08).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

mail_log = logging.getLogger("driehoek.mail")


def notify(
    user,
    key: str,
    text: str,
    url: str = "",
    email_subject: str | None = None,
    email_body: str = "",
    attachments: list | None = None,
) -> Notification | None:
    """Create the notification for `key` unless it exists; e-mail it when a subject is given.

    Returns the new notification, or None when this key was already handled.
    """
    try:
        with transaction.atomic():
            note = Notification.objects.create(user=user, key=key[:200], text=text[:300], url=url[:300])
    except IntegrityError:
        return None
    if email_subject and user.email:

        def _send():
            from django.core.mail import EmailMessage

            body = email_body or f"{text}\n\n{settings.SITE_URL}{url}"
            message = EmailMessage(email_subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            for name, content, mimetype in attachments or []:
                message.attach(name, content, mimetype)
            try:
                message.send()
            except Exception:  # REL-10: a mail outage must not break the action that was already saved
                mail_log.warning("e-mail failed", extra={"notification_id": note.pk}, exc_info=True)
                return
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())

        transaction.on_commit(_send)
    return note


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


__all__ = ["notify", "unread_count", "mark_all_read", "send_mail", "send_mail_safely"]


def send_mail_safely(subject: str, body: str, to: list[str]) -> bool:
    """Send one plain e-mail; on a mail outage log it and go on (REL-10). Returns whether it went out."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:
        mail_log.warning("e-mail failed", exc_info=True)
        return False
    return True
