"""The family's rights over the file (inspection, correction, own statement) and retention.

See docs/inspection-and-retention.md (R5–R8 in docs/domain-rules.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Child
from apps.consent.models import Category


class InspectionRequest(models.Model):
    """A request for a copy of the file (GDPR art. 15): due one month after receipt, extendable by two."""

    class Scope(models.TextChoices):
        FULL = "full", _("het hele dossier")
        YOUTH_CARE = "youth_care", _("wat de jeugdhulp vastlegde")

    class Status(models.TextChoices):
        RECEIVED = "received", _("ontvangen")
        PREPARING = "preparing", _("wordt klaargemaakt")
        READY = "ready", _("klaar om te downloaden")
        FAILED = "failed", _("mislukt, wordt opnieuw gemaakt")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="inspection_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.FULL)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("uiterlijk klaar op"))
    extended_to = models.DateField(_("verlengd tot"), null=True, blank=True)
    extension_reason = models.CharField(_("reden van verlenging"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The redaction step: words replaced everywhere, and items left out ("section:id"), with the reason.
    redact_terms = models.JSONField(default=list, blank=True)
    omitted = models.JSONField(default=list, blank=True)
    redaction_reason = models.CharField(_("reden van weglaten"), max_length=500, blank=True)
    job = models.ForeignKey("core.BackgroundJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to="inspection/", max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    ready_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("inzageverzoek")
        verbose_name_plural = _("inzageverzoeken")

    @property
    def answer_by(self):
        return self.extended_to or self.due_on


class CorrectionRequest(models.Model):
    """A family asks to correct a factual error; the record's owner decides within 4 weeks."""

    class Status(models.TextChoices):
        OPEN = "open", _("wacht op besluit")
        ACCEPTED = "accepted", _("verbeterd")
        REFUSED = "refused", _("niet verbeterd")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="correction_requests")
    target_type = models.CharField(max_length=30)
    target_id = models.PositiveIntegerField()
    category = models.CharField(max_length=20, choices=Category.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    current_text = models.TextField(_("huidige tekst"))
    proposed_text = models.TextField(_("voorgestelde tekst"))
    explanation = models.CharField(_("wat klopt er niet?"), max_length=1000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("besluit uiterlijk op"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reden"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]


class Statement(models.Model):
    """The family's own statement ("zienswijze") beside a professional opinion; shown with the entry."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="statements")
    target_type = models.CharField(max_length=30)
    target_id = models.PositiveIntegerField()
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.TextField(_("uw zienswijze"), max_length=3000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]


class LegalHold(models.Model):
    """While a hold is in place, retention removes nothing of this child's file (a dispute, a court case)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(_("reden"), max_length=500)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)


class RetentionRun(models.Model):
    """One daily retention run: what it removed (counts, never content), and how far it got.

    An interrupted run is continued by the next one from `last_child_id`, so nothing is removed twice."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    on = models.DateField()  # the day whose retention dates the run applies
    last_child_id = models.PositiveIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    held = models.PositiveIntegerField(default=0)  # children skipped because of a legal hold
    access_log_expired = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    @property
    def finished(self) -> bool:
        return self.finished_at is not None
