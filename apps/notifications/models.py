"""In-app notifications, shared by every domain app. Each has a key so nothing is sent twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200, help_text="Idempotency key, e.g. 'agreement-due:12:2026-11-24'.")
    text = models.CharField(max_length=300, help_text="The sentence in Dutch (older rows: the only form kept).")
    # The sentence as a Dutch msgid plus parameters, rendered in the reader's language (apps/notifications/texts.py).
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_notification_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    @property
    def display_text(self) -> str:
        """The sentence in the active language (the reader's); older rows only have their Dutch text."""
        if not self.message:
            return self.text
        from .texts import render

        return render(self.message, self.params)[:300]


class OutgoingMail(models.Model):
    """One e-mail in the outbox (REL-10: nothing lost). Saved in the same transaction as the action that
    caused it, sent after commit, and retried with a backoff while the mail server is unreachable."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        SENT = "sent", _("Verstuurd")
        FAILED = "failed", _("Mislukt")

    to = models.JSONField(default=list, help_text="Recipient addresses.")
    subject = models.TextField()
    body = models.TextField(blank=True, help_text="Emptied once sent: the outbox is not an archive.")
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{name, mimetype, text | base64}]; emptied once sent."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Send attempts started (claimed).")
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True, help_text="Error class only; never content.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="outgoing_mails"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["created_at"])]
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")

    def __str__(self):
        return f"#{self.pk} {self.status} ({self.attempts})"
