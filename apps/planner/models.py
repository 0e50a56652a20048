"""The start-of-year planner: a teacher opens time slots for a class, guardians book one."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Child
from apps.organisations.models import Group


class Round(models.Model):
    """One round of start-of-year conversations for one class (e.g. two evenings, 15 minutes each)."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="planner_rounds", verbose_name=_("groep"))
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="planner_rounds")
    purpose = models.CharField(_("doel van de gesprekken"), max_length=500)
    slot_minutes = models.PositiveSmallIntegerField(_("minuten per gesprek"), default=15)
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    book_until = models.DateTimeField(_("inschrijven kan tot"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gespreksronde")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.group} ({self.teacher})"


class Window(models.Model):
    """A time window (an evening) in which slots are opened."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="windows")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]


class Slot(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "starts_at"], name="one_slot_per_time_per_round")]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self):
        return timezone.localtime(self.starts_at).strftime("%d-%m %H:%M")


class Booking(models.Model):
    """A slot taken for one child. The partial unique constraint is what makes double booking impossible."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="bookings")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="planner_bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="planner_bookings")
    together = models.BooleanField(_("samen met de andere ouder"), default=True)
    conversation = models.OneToOneField(
        "conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="booking"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_active_booking_per_slot",
                violation_error_message=_("Dit tijdstip is al bezet."),
            ),
            models.UniqueConstraint(
                fields=["round", "child", "booked_by"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_active_booking_per_guardian_child",
            ),
        ]


class WaitlistEntry(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="waitlist")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "child", "user"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_waitlist_entry",
            )
        ]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret address for a person's conversation schedule as an iCalendar feed (revocable)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)
