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


class Referral(models.Model):
    """The school refers a child to a youth-care organisation, with a warm handover (issue 10 item 2).

    The family's consent to the organisation, for exactly the information that goes with the referral, is
    created with it; the organisation sees the referral text only once that consent is valid, and the child's
    file only after it accepted and assigned a worker (docs/youth-care.md, "Referrals"). The status moves
    only through `apps/referrals/referral_flow.py`."""

    class Status(models.TextChoices):
        WAITING_CONSENT = "waiting_consent", _("wacht op toestemming")
        SENT = "sent", _("verstuurd, wacht op antwoord")
        ACCEPTED = "accepted", _("geaccepteerd")
        ASSIGNED = "assigned", _("medewerker toegewezen")
        DECLINED = "declined", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken door school")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("gewoon")
        SOON = "soon", _("binnenkort")
        URGENT = "urgent", _("met spoed")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    organisation = models.ForeignKey(CareOrganisation, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    consent = models.OneToOneField("consent.Consent", on_delete=models.PROTECT, related_name="referral")
    reason = models.TextField(_("reden van de verwijzing"), max_length=1000)
    question = models.TextField(_("hulpvraag"), max_length=1000)
    tried = models.TextField(_("wat is al geprobeerd"), max_length=1000, blank=True)
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING_CONSENT)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.CharField(_("reden van afwijzen"), max_length=300, blank=True)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    conversation = models.ForeignKey(
        "conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.child} → {self.organisation}"


class ReferralStep(models.Model):
    """Append-only history of a referral: every step the family sees, with who took it and who holds it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=20, choices=Referral.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
