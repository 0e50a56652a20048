"""Notify a person once per key: an in-app notification, and optionally an e-mail.

At-least-once task delivery is made safe here: the unique (user, key) row is the record that the
notification happened, so a second run for the same key sends nothing (REL-08).

Every e-mail goes through the outbox (`queue_mail`): the row is saved with the action, sent after commit,
and retried by `retry_outgoing_mail` while the mail server is down, so a mail outage loses nothing (REL-10).
"""

import base64
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.languages import in_language_of

from . import menu_counts
from .models import Notification, OutgoingMail
from .texts import Text

mail_log = logging.getLogger("driehoek.mail")

# Wait after the n-th failed attempt; after MAX_ATTEMPTS failures the mail is given up (status failed).
BACKOFF = [
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
    timedelta(hours=12),
    timedelta(hours=24),
    timedelta(hours=24),
]
MAX_ATTEMPTS = 8
# Sent and given-up rows are kept this long for the admin's overview, then deleted (the outbox is no archive).
OUTBOX_KEEP = timedelta(days=30)


def notify(
    user,
    key: str,
    text: "str | Text",
    url: str = "",
    email_subject: "str | Text | None" = None,
    email_body: "str | Text" = "",
    attachments: list | None = None,
) -> Notification | None:
    """Create the notification for `key` unless it exists; e-mail it when a subject is given.

    A `Text` is kept as a message key with parameters and shown in the reader's language when read; an e-mail
    made of `Text`s is written in the recipient's language (docs/languages.md). A plain string is kept as it is.
    Returns the new notification, or None when this key was already handled.
    """
    if isinstance(text, Text):
        message, params = text.stored()
        dutch = text.in_dutch()
    else:
        message, params, dutch = "", {}, str(text)
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                user=user, key=key[:200], text=dutch[:300], message=message, params=params, url=url[:300]
            )
    except IntegrityError:
        return None
    if email_subject and user.email:
        with in_language_of(user):
            shown = text.render() if isinstance(text, Text) else str(text)
            body = str(email_body) if email_body else f"{shown}\n\n{settings.SITE_URL}{url}"
            queue_mail(str(email_subject), body, [user.email], attachments=attachments, notification=note)
    return note


def unread_count(user) -> int:
    """Unread notifications: the menu's badge, cached with the other menu counts (`menu_counts`)."""
    return menu_counts.count(
        user, "notifications", lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
    )


def mark_all_read(user) -> int:
    done = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    menu_counts.forget([user.pk])
    return done


__all__ = [
    "Text",
    "notify",
    "unread_count",
    "mark_all_read",
    "Mail",
    "queue_mail",
    "queue_mails",
    "send_outgoing",
    "close_quietly",
    "retry_outgoing_mail",
    "purge_outgoing_mail",
    "backoff",
]


# --- the outbox ----------------------------------------------------------------------------------------------------


@dataclass
class Mail:
    """One e-mail to queue; `attachments` are (name, content, mimetype) like EmailMessage.attach."""

    subject: str
    body: str
    to: list[str]
    attachments: list = field(default_factory=list)
    notification_id: int | None = None


def backoff(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed attempts: 5 min, 15 min, 1 h, 4 h, 12 h, then daily."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _stored_attachments(attachments) -> list[dict]:
    stored = []
    for name, content, mimetype in attachments or []:
        if isinstance(content, str):
            stored.append({"name": name, "mimetype": mimetype, "text": content})
        else:
            stored.append({"name": name, "mimetype": mimetype, "base64": base64.b64encode(content).decode("ascii")})
    return stored


def _row(mail: Mail, now) -> OutgoingMail:
    """A new outbox row that already holds its first attempt: the retry job leaves it alone until the first
    wait has passed, so the sender after commit needs no claim of its own."""
    return OutgoingMail(
        to=list(mail.to),
        subject=str(mail.subject),
        body=str(mail.body),
        attachments=_stored_attachments(mail.attachments),
        notification_id=mail.notification_id,
        attempts=1,
        next_attempt_at=now + backoff(1),
        created_at=now,
    )


def queue_mail(subject: str, body: str, to: list[str], *, attachments=None, notification=None) -> OutgoingMail:
    """Save one e-mail in the outbox with the current transaction and send it once that commits."""
    mail = Mail(subject, body, to, list(attachments or []), notification.pk if notification else None)
    row = _row(mail, timezone.now())
    row.save()
    transaction.on_commit(lambda: send_outgoing([row]), robust=True)  # never breaks the saved action
    return row


def queue_mails(mails: list[Mail]) -> list[OutgoingMail]:
    """Save many e-mails in one query; the caller sends them with `send_outgoing` after its transaction
    (announcements to a whole school go over one connection)."""
    now = timezone.now()
    return OutgoingMail.objects.bulk_create([_row(mail, now) for mail in mails])


def _message(row: OutgoingMail, connection) -> EmailMessage:
    message = EmailMessage(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, row.to, connection=connection)
    for item in row.attachments:
        content = item["text"] if "text" in item else base64.b64decode(item["base64"])
        message.attach(item["name"], content, item["mimetype"])
    return message


def close_quietly(connection) -> None:
    """Closing a connection to a server that went away may fail too; there is nothing left to do then."""
    with contextlib.suppress(Exception):
        connection.close()


def send_outgoing(rows: list[OutgoingMail], connection=None) -> int:
    """Send claimed outbox rows over one connection; returns how many went out.

    Stops at the first failure: that row waits for its backoff (or is given up after MAX_ATTEMPTS), and
    the rows not tried yet are released so the retry job takes them at once. An outage therefore costs
    one attempt per run, not one per e-mail.
    """
    if not rows:
        return 0
    own_connection = connection is None
    connection = connection or get_connection()
    sent, failed, error = [], None, None
    try:
        connection.open()
        for row in rows:
            connection.send_messages([_message(row, connection)])
            sent.append(row)
    except Exception as exc:  # REL-10: a mail outage must not break the action that was already saved
        failed, error = rows[len(sent)], exc
        close_quietly(connection)  # a broken connection is not reused
    else:
        if own_connection:
            close_quietly(connection)
    now = timezone.now()
    if sent:
        OutgoingMail.objects.filter(pk__in=[r.pk for r in sent]).update(
            status=OutgoingMail.Status.SENT, sent_at=now, body="", attachments=[], last_error=""
        )
        Notification.objects.filter(pk__in=[r.notification_id for r in sent if r.notification_id]).update(
            emailed_at=now
        )
        for row in sent:
            row.status, row.sent_at, row.body, row.attachments = OutgoingMail.Status.SENT, now, "", []
    if failed is not None:
        _record_failure(failed, error)
        untried = [r.pk for r in rows[len(sent) + 1 :]]
        if untried:
            OutgoingMail.objects.filter(pk__in=untried, status=OutgoingMail.Status.QUEUED).update(
                attempts=F("attempts") - 1, next_attempt_at=now
            )
    return len(sent)


def _record_failure(row: OutgoingMail, error: Exception) -> None:
    """The row's attempt was counted when it was claimed; give it up after MAX_ATTEMPTS."""
    row.last_error = type(error).__name__[:200]  # the class only: messages can hold addresses
    details = {
        "outgoing_mail_id": row.pk,
        "notification_id": row.notification_id,
        "attempt": row.attempts,
        "error": row.last_error,
    }
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutgoingMail.Status.FAILED
        OutgoingMail.objects.filter(pk=row.pk).update(status=row.status, last_error=row.last_error)
        mail_log.error("e-mail given up", extra=details)
    else:
        OutgoingMail.objects.filter(pk=row.pk).update(last_error=row.last_error)
        mail_log.warning("e-mail failed, will retry", extra={**details, "next_attempt_at": row.next_attempt_at})


def _claim(pk: int, attempts: int, now) -> bool:
    """Compare-and-set on the attempt count: of two runs at the same time only one wins a row (any database)."""
    return bool(
        OutgoingMail.objects.filter(
            pk=pk, status=OutgoingMail.Status.QUEUED, attempts=attempts, next_attempt_at__lte=now
        ).update(attempts=attempts + 1, next_attempt_at=now + backoff(attempts + 1))
    )


def retry_outgoing_mail(now=None, batch: int = 200) -> int:
    """The periodic job: send every queued e-mail whose wait is over. Safe to run twice at once."""
    now = now or timezone.now()
    sent = 0
    connection = get_connection()
    try:
        while True:
            due = list(
                OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", "attempts")[:batch]
            )
            claimed = [pk for pk, attempts in due if _claim(pk, attempts, now)]
            if not claimed:
                return sent
            rows = list(OutgoingMail.objects.filter(pk__in=claimed).order_by("pk"))
            done = send_outgoing(rows, connection)
            sent += done
            if done < len(rows):  # the server is failing: the rest waits for the next run
                return sent
    finally:
        close_quietly(connection)


def purge_outgoing_mail(now=None) -> int:
    """Delete sent and given-up rows older than OUTBOX_KEEP; queued rows are never deleted."""
    cutoff = (now or timezone.now()) - OUTBOX_KEEP
    deleted, _ = OutgoingMail.objects.filter(created_at__lt=cutoff).exclude(status=OutgoingMail.Status.QUEUED).delete()
    return deleted
