"""Youth care at the table: who of an organisation works with a child, and how a professional is named.

A consent to an organisation covers "the people that organisation assigns" (docs/youth-care.md). The
organisation's own staff record that here as an `Assignment`; the policy then lets the assigned worker in
for as long as the consent is valid. An assignment alone grants nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Child
from apps.organisations.models import CareOrganisation, Membership


class StaffTitle(models.Model):
    """What a professional is called in practice ("gezinscoach"), beside the role the policy reads."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="title")
    title = models.CharField(_("functie"), max_length=100)

    class Meta:
        verbose_name = _("functie")
        verbose_name_plural = _("functies")

    def __str__(self):
        return self.title


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Assignment(models.Model):
    """A worker of an organisation works with this child; set by that organisation's own staff."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assignments")
    organisation = models.ForeignKey(CareOrganisation, on_delete=models.PROTECT, related_name="assignments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "organisation", "worker"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_worker",
                violation_error_message=_("Deze medewerker is al toegewezen aan dit kind."),
            )
        ]
        indexes = [models.Index(fields=["worker", "organisation", "child"])]

    def __str__(self):
        return f"{self.worker} → {self.child} ({self.organisation})"


class JoinRequest(models.Model):
    """A youth-care worker asks a school to be added to a child's circle (issue 10 item 3).

    Stored whether or not the typed child exists; the worker is never told which. The school's IB'er
    finds the pupil, if any, and asks the family for consent; only a signed consent brings the worker in."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CONSENT_ASKED = "consent_asked", _("toestemming gevraagd")
        DECLINED = "declined", _("afgewezen")

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="join_requests")
    organisation = models.ForeignKey(CareOrganisation, on_delete=models.PROTECT, related_name="join_requests")
    school = models.ForeignKey("organisations.School", on_delete=models.PROTECT, related_name="join_requests")
    first_name = models.CharField(_("roepnaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reden"), max_length=300, blank=True)
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey("consent.Consent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("verzoek om toe te voegen")
        verbose_name_plural = _("verzoeken om toe te voegen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self):
        return f"{self.worker} → {self.school}: {self.first_name} {self.last_name}"
