"""Imports from the pupil administration: each upload is an ImportRun (preview first, then apply), and the
column mapping a school chose for a CSV kind is remembered for its next upload."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import School


class Kind(models.TextChoices):
    EDEXML = "edexml", _("EDEXML 2.1")
    CSV_PUPILS = "csv_pupils", _("CSV met leerlingen")
    CSV_GUARDIANS = "csv_guardians", _("CSV met ouders/verzorgers")
    CSV_STAFF = "csv_staff", _("CSV met medewerkers")


CSV_KINDS = (Kind.CSV_PUPILS, Kind.CSV_GUARDIANS, Kind.CSV_STAFF)


def upload_path(instance, filename) -> str:
    # Never the uploader's file name on disk (SEC-24): a random name under imports/.
    return f"imports/{uuid.uuid4().hex}.upload"


class ImportRun(models.Model):
    """One uploaded file and what it did. The file is kept only until the run is applied or discarded."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("kolommen koppelen")
        PREVIEWED = "previewed", _("voorbeeld klaar")
        APPLYING = "applying", _("wordt verwerkt")
        APPLIED = "applied", _("verwerkt")
        FAILED = "failed", _("mislukt")
        DISCARDED = "discarded", _("weggegooid")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="import_runs")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(_("soort bestand"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(default=0)
    upload = models.FileField(upload_to=upload_path, blank=True)
    # The CSV column chosen for each of our fields ({"last_name": "Achternaam", ...}).
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    # The dry run: counts, unreadable rows with their line numbers, and what changes (see sync.Plan.summary).
    summary = models.JSONField(default=dict, blank=True)
    # What was applied (the same shape as `summary`), kept as the history of the import.
    result = models.JSONField(default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name} ({self.created_at:%d-%m-%Y})"

    @property
    def row_errors(self) -> list[dict]:
        return self.summary.get("errors", [])

    @property
    def can_apply(self) -> bool:
        return self.status == self.Status.PREVIEWED and not self.row_errors and not self.summary.get("refused")


class ColumnMapping(models.Model):
    """The mapping a school chose for one CSV kind, offered again on the next upload of that kind."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="column_mappings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "kind"], name="unique_column_mapping")]
