"""The child's timeline: dated events, strengths and signals, each in an information category."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access.owner import OwnedRecord
from apps.circles.models import Child
from apps.consent.models import Category


class Kind(models.TextChoices):
    LIFE_EVENT = "life_event", _("gebeurtenis in het leven")
    SCHOOL = "school", _("school")
    SUPPORT = "support", _("ondersteuning")
    CONVERSATION = "conversation", _("gesprek")
    SIGNAL = "signal", _("signaal")
    STRENGTH = "strength", _("sterke kant")


class TimelineEntry(OwnedRecord):
    """One moment or period. The author may correct it; every earlier version is kept as a revision."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="timeline_entries")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("datum (of begin)"))
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    text = models.CharField(_("korte omschrijving"), max_length=500)
    category = models.CharField(_("soort informatie"), max_length=20, choices=Category.choices, default=Category.BASIC)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("tijdlijnregel")
        verbose_name_plural = _("tijdlijnregels")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["child", "category", "happened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("happened_on")),
                name="timeline_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.happened_on}: {self.text[:40]}"

    @property
    def is_strength(self) -> bool:
        return self.kind == Kind.STRENGTH


class TimelineRevision(models.Model):
    """The content of an entry before a correction (history is never lost)."""

    entry = models.ForeignKey(TimelineEntry, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    text = models.CharField(max_length=500)
    category = models.CharField(max_length=20, choices=Category.choices)
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["entry", "version"], name="unique_timeline_revision")]
