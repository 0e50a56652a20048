from django.conf import settings
from django.db import models


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
