from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A one-time form token that was used: a second POST with the same token is a double submit (REL-09)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="one_submission_per_form_token")]
