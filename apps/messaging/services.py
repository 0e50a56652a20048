"""Posting and reading messages, bundled e-mail digests, and publishing announcements.

Every read or write of a thread passes through the access policy with the thread's category, so a
youth-care worker without consent for that category is refused (and the refusal is logged).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.access.owner import owner_for_author
from apps.access.policy import Action, authorize, decide, log_items, visible_q, visible_q_by_category
from apps.accounts.languages import in_language_of, language_of
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.consent.models import Category
from apps.notifications import menu_counts
from apps.notifications.models import Notification
from apps.notifications.services import Mail, close_quietly, notify, queue_mail, queue_mails, send_outgoing
from apps.notifications.texts import Text

from . import permissions, quarantine, rules
from .models import (
    Announcement,
    AnnouncementConfirmation,
    Attachment,
    DigestLog,
    Message,
    NotificationSetting,
    PendingNotice,
    ReadReceipt,
    Thread,
)

logger = logging.getLogger(__name__)


class RateLimited(ValidationError):
    pass


def recipients_of(thread: Thread, exclude=None) -> list:
    """Everyone in the circle who may read this thread (the policy decides, per category)."""
    child = thread.child
    people = {g.user_id: g.user for g in child.guardianships.select_related("user")}
    if child.user_id:
        people[child.user_id] = child.user
    for member in child.circle.current().select_related("user"):
        people[member.user_id] = member.user
    return [
        user
        for uid, user in people.items()
        if (exclude is None or uid != exclude.pk)
        and user.is_active
        and decide(user, Action.VIEW, child, thread.category, owner=thread.owner)
    ]


def _check_files(files) -> list[tuple]:
    """All attachments are checked (and photos re-encoded) before anything is written."""
    checked = []
    for upload in files or []:
        content_type, content = rules.prepare_attachment(upload)
        checked.append((upload, content_type, content))
    return checked


def create_thread(
    actor: Actor, child: Child, category: str, subject: str, body: str, tag: str = "", files=()
) -> Thread:
    # Decided (and logged) outside the transaction, so a refusal stays in the log.
    authorize(actor, Action.CREATE, child, category, label=_("de berichten"))
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError(_("Geef het gesprek een onderwerp."))
    with transaction.atomic():
        thread = Thread.objects.create(
            child=child,
            category=category,
            subject=subject[:200],
            created_by=actor.user,
            **owner_for_author(actor.user, child).as_fields(),  # docs/record-owner.md
        )
        post_message(actor, thread, body, tag, files, _authorized=True)
    return thread


def post_message(actor: Actor, thread: Thread, body: str, tag: str = "", files=(), _authorized=False) -> Message:
    """Write one message. Refused (nothing written) when not allowed, empty, too fast or a bad attachment."""
    if not _authorized:  # outside the transaction, so a refusal stays in the log
        authorize(actor, Action.CREATE, thread.child, thread.category, obj=thread, label=_("de berichten"))
    with transaction.atomic():
        return _write_message(actor, thread, body, tag, files)


def _write_message(actor: Actor, thread: Thread, body: str, tag: str, files) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Schrijf eerst een bericht."))
    if len(body) > 5000:
        raise ValidationError(_("Het bericht is te lang (maximaal 5000 tekens)."))
    if tag not in {t.value for t in Message.Tag}:
        raise ValidationError(_("Kies positief, zorg of niets."))
    if rules.over_rate_limit(actor.user):
        raise RateLimited(rules.rate_limit_text())
    checked = _check_files(files)
    now = timezone.now()
    stored = []  # files already written to storage; the database forgets them when this write fails
    try:
        # A family member's message joins the thread's owner; a professional's is their organisation's.
        owner = owner_for_author(actor.user, thread.child, fallback=thread.owner)
        message = Message.objects.create(
            thread=thread, author=actor.user, body=body, tag=tag, created_at=now, **owner.as_fields()
        )
        # Into quarantine until the scanner has looked (SEC-25); only with scanning switched off are they clean at once.
        state = Attachment.ScanState.PENDING if settings.VIRUS_SCAN else Attachment.ScanState.CLEAN
        for upload, content_type, content in checked:
            ext = rules.ALLOWED_TYPES[content_type]
            name = (upload.name or "bijlage").replace("\\", "/").rsplit("/", 1)[-1][:150]
            if content_type == "image/png" and not name.lower().endswith(".png"):  # a GIF stored as PNG
                name = f"{name.rsplit('.', 1)[0]}.png"
            attachment = Attachment(
                message=message,
                original_name=name,
                content_type=content_type,
                size=content.size,
                scan_state=state,
                **owner.as_fields(),
            )
            attachment.file.save(f"bijlage.{ext}", content, save=False)
            stored.append(attachment.file)
            attachment.save()
            if state == Attachment.ScanState.PENDING:
                quarantine.enqueue_scan(attachment.pk)
        Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
        ReadReceipt.objects.create(message=message, user=actor.user, read_at=now)
        _announce_message(message, thread, actor.user)
    except BaseException:
        _remove_stored(stored)
        raise
    return message


def _remove_stored(files) -> None:
    """Django has no on-rollback hook: a message that was not saved must not leave its files behind
    (an orphaned upload nobody can see, delete or have scanned)."""
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except OSError:
            logger.exception("Could not remove attachment file %s of a message that was not saved", stored.name)


def _announce_message(message: Message, thread: Thread, author) -> None:
    """In-app notification at once; the e-mail goes in the person's next digest (bundled)."""
    recipients = recipients_of(thread, exclude=author)
    url = f"/berichten/gesprek/{thread.pk}/"
    for user in recipients:
        # Without the subject: a notification stays readable after the policy stops letting its reader see
        # the thread (a consent that ended), and the subject is support or health information.
        notify(
            user,
            f"message:{message.pk}",
            Text(
                gettext_noop("Nieuw bericht van %(author)s over %(child)s."),
                author=author,
                child=thread.child.first_name,
            ),
            url=url,
        )
    PendingNotice.objects.bulk_create(
        [PendingNotice(user=u, message=message) for u in recipients], ignore_conflicts=True
    )
    ids = [u.pk for u in recipients]
    if ids:

        def _enqueue():
            from .tasks import send_message_digests_task

            send_message_digests_task.enqueue(ids)

        transaction.on_commit(_enqueue)


def visible_threads(user):
    """Threads whose child, category and owner this person may see (the same rule as the policy, as a query;
    docs/record-owner.md: a thread a youth-care organisation started reaches the school only with consent)."""
    return Thread.objects.filter(
        visible_q_by_category(user, {c.value: c.value for c in Category}, "category", owner="")
    )


def visible_messages(user, thread: Thread):
    """The messages of a thread this person may see by their owner too (a youth-care worker's message in a
    school's thread reaches the school only with consent)."""
    return thread.messages.filter(visible_q(user, thread.category, path="thread__child", owner=""))


def log_shown(actor: Actor, threads, label) -> None:
    """Log the children of a list of threads, each under its thread's category."""
    log_items(actor, [(t.child, t.category) for t in threads], label)


def with_unread(threads, user):
    """Annotate `has_unread`: the thread has a message by someone else that this person has not read."""
    unread = (
        Message.objects.filter(thread=OuterRef("pk"))
        .exclude(author=user)
        .exclude(pk__in=ReadReceipt.objects.filter(user=user).values("message_id"))
    )
    return threads.annotate(has_unread=Exists(unread))


def unread_thread_count(user) -> int:
    """Threads I may see (the policy's rule) with at least one message I have not read; one query."""
    return with_unread(visible_threads(user), user).filter(has_unread=True).count()


def unread_message_count(user) -> int:
    """Messages by others in threads this person may read and has not opened yet: one query, and cached with
    the other menu counts (`apps/notifications/menu_counts.py`), because building the policy's visible-threads
    query is the costliest part of every page's frame."""
    return menu_counts.count(
        user,
        "messages",
        lambda: (
            Message.objects.filter(thread__in=visible_threads(user))
            .exclude(author=user)
            .exclude(pk__in=ReadReceipt.objects.filter(user=user).values("message_id"))
            .count()
        ),
    )


def open_thread(actor: Actor, thread: Thread) -> None:
    authorize(actor, Action.VIEW, thread.child, thread.category, obj=thread, label=_("de berichten"))


def mark_read(user, messages) -> int:
    """Read receipts for the messages this person has now seen (own messages are read already)."""
    now = timezone.now()
    new = [ReadReceipt(message=m, user=user, read_at=now) for m in messages if m.author_id != user.pk]
    ReadReceipt.objects.bulk_create(new, ignore_conflicts=True)
    Notification.objects.filter(user=user, read_at__isnull=True, key__in=[f"message:{m.pk}" for m in messages]).update(
        read_at=now
    )
    menu_counts.forget([user.pk])  # bulk_create and update send no signals
    PendingNotice.objects.filter(user=user, message__in=messages, emailed_at__isnull=True).update(emailed_at=now)
    return len(new)


# --- e-mail digests ------------------------------------------------------------------------------------------------


def email_interval(user) -> int:
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting.email_interval_minutes if setting else getattr(settings, "MESSAGING_EMAIL_INTERVAL_MINUTES", 60)


def send_digest(user, now=None) -> bool:
    """Send one e-mail bundling this person's unsent message notices, unless one went out within their
    interval. Safe to run again: notices are marked in the same transaction as the send time."""
    now = now or timezone.now()
    interval = email_interval(user)
    with transaction.atomic():
        log = DigestLog.objects.select_for_update().filter(user=user).first()
        pending = list(
            PendingNotice.objects.select_for_update(of=("self",))
            .filter(user=user, emailed_at__isnull=True)
            .select_related("message__thread__child", "message__author")
            .order_by("created_at")
        )
        if not pending:
            return False
        if interval == 0:  # this person wants no e-mail about messages; the app shows them
            PendingNotice.objects.filter(pk__in=[p.pk for p in pending]).update(emailed_at=now)
            return False
        if log and log.last_sent_at > now - timedelta(minutes=interval):
            if len(pending) == 1:  # the first notice since the last e-mail: plan the bundle for later
                when = log.last_sent_at + timedelta(minutes=interval)
                transaction.on_commit(lambda: _schedule_digest(user.pk, when))
            return False
        PendingNotice.objects.filter(pk__in=[p.pk for p in pending]).update(emailed_at=now)
        DigestLog.objects.update_or_create(user=user, defaults={"last_sent_at": now})
        with in_language_of(user):  # the digest is written in the reader's language (docs/languages.md)
            queued = _queue_digest(user, pending, interval)
    return queued


def _queue_digest(user, pending, interval) -> bool:
    """The digest's e-mail, in the active language (the reader's)."""
    lines = []
    for p in pending:
        m = p.message
        lines.append(
            _("- %(author)s over %(child)s (%(subject)s)")
            % {"author": m.author, "child": m.thread.child.first_name, "subject": m.thread.subject}
        )
    subject = (
        _("Nieuw bericht in Driehoek")
        if len(pending) == 1
        else _("%(n)s nieuwe berichten in Driehoek") % {"n": len(pending)}
    )
    body = "\n".join(
        [
            _("Er zijn nieuwe berichten voor u:"),
            "",
            *lines,
            "",
            _("Lees ze in Driehoek: %(url)s") % {"url": f"{settings.SITE_URL}/berichten/"},
            "",
            _("U krijgt hoogstens één e-mail per %(n)s minuten. U kunt dit aanpassen bij Berichten > Instellingen.")
            % {"n": interval},
        ]
    )
    if user.email:  # saved with the notices it covers, sent after commit, retried if the server is down
        queue_mail(subject, body, [user.email])
    return True


def _schedule_digest(user_id: int, when) -> bool:
    """Enqueue this person's digest for when their interval ends (backends that can defer); the periodic
    `send_message_digests` command covers the rest. Running early or twice sends nothing extra."""
    from .tasks import send_message_digests_task

    if not send_message_digests_task.get_backend().supports_defer:
        return False
    send_message_digests_task.using(run_after=when).enqueue([user_id])
    return True


def send_all_digests(now=None, user_ids=None) -> int:
    """The periodic job: a digest for everyone with unsent notices whose interval has passed."""
    from apps.accounts.models import User

    ids = PendingNotice.objects.filter(emailed_at__isnull=True)
    if user_ids is not None:
        ids = ids.filter(user_id__in=user_ids)
    sent = 0
    for user in User.objects.filter(pk__in=ids.values("user_id")):
        sent += send_digest(user, now)
    return sent


# --- announcements -------------------------------------------------------------------------------------------------


@transaction.atomic
def publish_announcement(
    user, *, school, group=None, title: str, body: str, newsletter: bool = False, requires_confirmation: bool = False
) -> Announcement:
    """Create the post and queue its delivery; nothing is e-mailed inside the request."""
    group_id = group.pk if group else None
    if group is not None and group.school_id != school.pk:
        raise ValidationError(_("Deze groep hoort bij een andere school."))
    if not permissions.may_post_announcement(user, school.pk, group_id, newsletter):
        raise ValidationError(_("U kunt hier geen mededeling plaatsen."))
    if not (title or "").strip() or not (body or "").strip():
        raise ValidationError(_("Vul een titel en een tekst in."))
    organisation = None
    if newsletter:
        from apps.access.policy import memberships_of

        organisation = next((m.organisation for m in memberships_of(user) if m.organisation_id), None)
    announcement = Announcement.objects.create(
        school=school,
        group=group,
        title=title.strip()[:200],
        body=body.strip(),
        is_newsletter=newsletter,
        organisation=organisation,
        requires_confirmation=requires_confirmation,
        author=user,
    )

    def _enqueue():
        from .tasks import deliver_announcement_task

        deliver_announcement_task.enqueue(announcement.pk)

    transaction.on_commit(_enqueue)
    return announcement


def announcement_recipients(announcement: Announcement):
    """Guardians (and pupils with an account) of the children in the class or school."""
    from apps.accounts.models import User

    children = Child.objects.filter(school_id=announcement.school_id)
    if announcement.group_id:
        children = children.filter(group_id=announcement.group_id)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(guardianships__child__in=children) | Q(child_record__in=children))
        .distinct()
    )


def deliver_announcement(announcement_id: int, batch: int = 500) -> int:
    """Notify every recipient once (key per announcement), e-mails queued in the outbox in batches and sent
    over one connection. Idempotent: people who already have the notification are skipped, so a re-run
    sends nothing twice; e-mails the server refused stay queued for `retry_outgoing_mail` (REL-10)."""
    announcement = Announcement.objects.select_related("school", "group").get(pk=announcement_id)
    key = f"announcement:{announcement.pk}"
    done = set(Notification.objects.filter(key=key).values_list("user_id", flat=True))
    no_email = set(NotificationSetting.objects.filter(email_interval_minutes=0).values_list("user_id", flat=True))
    url = f"/berichten/mededelingen/{announcement.pk}/"
    where = announcement.group.name if announcement.group else announcement.school.name
    # Kept as a message key: each reader sees it, and gets the e-mail, in their own language (docs/languages.md).
    message = Text(gettext_noop("Nieuwe mededeling voor %(where)s: %(title)s"), where=where, title=announcement.title)
    if announcement.requires_confirmation:
        message = Text(
            "%(text)s %(question)s",
            text=message,
            question=Text(gettext_noop("Wilt u bevestigen dat u dit gelezen heeft?")),
        )
    msgid, params = message.stored()
    text = message.in_dutch()
    users = [u for u in announcement_recipients(announcement).only("pk", "email", "language") if u.pk not in done]
    bodies: dict[str, str] = {}

    def body_for(user) -> str:
        code = language_of(user)
        if code not in bodies:
            with translation.override(code):
                bodies[code] = f"{message.render()}\n\n{settings.SITE_URL}{url}"
        return bodies[code]

    queued = 0
    connection = get_connection()
    try:
        for start in range(0, len(users), batch):
            chunk = users[start : start + batch]
            now = timezone.now()
            with transaction.atomic():  # the notifications and their e-mails are saved together
                Notification.objects.bulk_create(
                    [
                        Notification(
                            user=u, key=key, text=text[:300], message=msgid, params=params, url=url, created_at=now
                        )
                        for u in chunk
                    ],
                    ignore_conflicts=True,
                )
                notes = dict(
                    Notification.objects.filter(
                        key=key, user__in=[u.pk for u in chunk], outgoing_mails__isnull=True
                    ).values_list("user_id", "pk")
                )
                rows = queue_mails(
                    [
                        Mail(announcement.title, body_for(u), [u.email], notification_id=notes[u.pk])
                        for u in chunk
                        if u.email and u.pk not in no_email and u.pk in notes
                    ]
                )
            send_outgoing(rows, connection)  # after commit; a failure leaves them queued for the retry job
            queued += len(rows)
    finally:
        close_quietly(connection)
    Announcement.objects.filter(pk=announcement.pk).update(
        emails_queued=announcement.emails_queued + queued, delivered_at=timezone.now()
    )
    return queued


def confirm_read(user, announcement: Announcement) -> bool:
    _obj, created = AnnouncementConfirmation.objects.get_or_create(announcement=announcement, user=user)
    return created


# --- translated content (docs/translation.md) -----------------------------------------------------------------------


def save_announcement_version(user, announcement, language: str, title: str, body: str):
    """Write (or rewrite) the announcement in another language, by hand. The Dutch original stays as it is."""
    from .models import AnnouncementVersion

    if not permissions.may_write_versions(user, announcement):
        raise ValidationError(_("U mag deze mededeling niet in een andere taal schrijven."))
    version, _created = AnnouncementVersion.objects.update_or_create(
        announcement=announcement,
        language=language,
        defaults={"title": title, "body": body, "author": user, "updated_at": timezone.now()},
    )
    return version


def announcement_versions(announcement) -> dict[str, list[str]]:
    """{language: [title, body]} of the versions the school wrote by hand."""
    return {v.language: [v.title, v.body] for v in announcement.versions.all()}
