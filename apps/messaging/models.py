"""Messages in the circle (threads per child), read receipts, attachments, and announcements."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access.owner import OwnedRecord
from apps.circles.models import Child
from apps.consent.models import Category
from apps.organisations.models import CareOrganisation, Group, School


class Thread(OwnedRecord):
    """A conversation about one child; who may read it follows from its information category."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="threads")
    category = models.CharField(_("soort informatie"), max_length=20, choices=Category.choices, default=Category.BASIC)
    subject = models.CharField(_("onderwerp"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("gesprek")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["child", "category", "-last_message_at"])]

    def __str__(self):
        return self.subject


class Message(OwnedRecord):
    class Tag(models.TextChoices):
        NONE = "", _("geen")
        POSITIVE = "positief", _("positief")
        CONCERN = "zorg", _("zorg")

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("bericht"), max_length=5000)
    tag = models.CharField(_("soort bericht"), max_length=10, choices=Tag.choices, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bericht")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["tag", "created_at"]),
        ]


def attachment_path(instance, filename):
    """Stored under a random name: the original name is only kept as data, never used as a path."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"messaging/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(OwnedRecord):
    """An uploaded file. It stays in quarantine (pending) until the virus scanner calls it clean (SEC-25);
    an infected file is deleted from storage and only this row remains. Existing rows start pending too,
    so the periodic rescan checks files uploaded before scanning existed."""

    class ScanState(models.TextChoices):
        # The labels are what the thread page shows next to the file.
        PENDING = "pending", _("wordt gecontroleerd op virussen")
        CLEAN = "clean", _("gecontroleerd")
        INFECTED = "infected", _("verwijderd: er zat een virus in")

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    scan_state = models.CharField(
        _("viruscontrole"), max_length=10, choices=ScanState.choices, default=ScanState.PENDING, db_index=True
    )
    # When clamd gave its verdict; empty for a file saved as clean while scanning was switched off.
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bijlage")

    @property
    def downloadable(self) -> bool:
        return self.scan_state == self.ScanState.CLEAN and bool(self.file)


class ReadReceipt(models.Model):
    """That one recipient has read one message (and when)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="one_receipt_per_reader")]


class NotificationSetting(models.Model):
    """Per person: at most one e-mail about new messages per this many minutes (0 = no e-mail)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_setting")
    email_interval_minutes = models.PositiveIntegerField(_("hoogstens één e-mail per (minuten)"), default=60)


class PendingNotice(models.Model):
    """A new message someone has not yet been e-mailed about; bundled by `send_message_digests`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "message"], name="one_notice_per_message")]
        indexes = [models.Index(fields=["emailed_at", "user"])]


class DigestLog(models.Model):
    """When a person last got a message digest, to keep to their interval."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_sent_at = models.DateTimeField()


class Announcement(models.Model):
    """A post for a whole school or one class; `is_newsletter` puts it in the CJG newsletter section."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="announcements")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="announcements", verbose_name=_("groep")
    )
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"), max_length=10000)
    is_newsletter = models.BooleanField(_("in de nieuwsbrief (CJG)"), default=False)
    organisation = models.ForeignKey(CareOrganisation, null=True, blank=True, on_delete=models.PROTECT)
    requires_confirmation = models.BooleanField(_("vraag om 'gelezen' te bevestigen"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    emails_queued = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mededeling")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["school", "group", "-published_at"])]

    def __str__(self):
        return self.title


class AnnouncementConfirmation(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="one_confirmation_per_reader")]


class AnnouncementVersion(models.Model):
    """The same announcement written by the school in another language (docs/translation.md). It wins over a
    machine translation and is shown first to a reader in that language; the Dutch original is what counts."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("taal"), max_length=10)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"), max_length=10000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mededeling in een andere taal")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "language"], name="one_announcement_version_per_language")
        ]

    def __str__(self):
        return f"{self.language}: {self.title}"
