from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A one-time form token that was used: a second POST with the same token is a double submit (REL-09)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="one_submission_per_form_token")]


class PeriodicClaim(models.Model):
    """When a periodic job was last enqueued, shared by every scheduler process (a lock, not luck).

    A scheduler enqueues a job only after winning a conditional UPDATE of this row, so two schedulers
    started by mistake (or during a rolling deploy) never enqueue the same job twice in one interval.
    """

    path = models.CharField(max_length=200, unique=True)
    last_enqueued = models.FloatField(default=float("-inf"))


class BackgroundJob(models.Model):
    """Long work done by a task, with progress the starter sees on the page (htmx polls `core:job`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
