"""Case reviews (casusreview, docs/learning-community.md): for one child, with the family's consent, the
coordinator looks back with the family and the professionals — how fitting the help was, what helped and what
hindered at the level of the people, the organisations and policy, and which action points follow."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access.owner import OwnedRecord
from apps.circles.models import Child
from apps.consent.models import Consent
from apps.meetings.keys import SevenKey
from apps.organisations.models import School

FIT_MIN, FIT_MAX = 1, 5


class Level(models.TextChoices):
    PEOPLE = "people", _("mensen (de uitvoering)")
    ORGANISATION = "organisation", _("organisaties")
    POLICY = "policy", _("beleid")


class CaseReview(OwnedRecord):
    class Status(models.TextChoices):
        OPEN = "open", _("bezig")
        CLOSED = "closed", _("afgerond")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_reviews")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="case_reviews")
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The family's consent the review rests on (checked when it starts and before each change).
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="case_reviews")
    held_on = models.DateField(_("datum van de review"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("casusreview")
        verbose_name_plural = _("casusreviews")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{_('Casusreview')} {self.held_on:%d-%m-%Y}"


class Participant(models.Model):
    class Perspective(models.TextChoices):
        FAMILY = "family", _("gezin")
        PROFESSIONAL = "professional", _("professional")

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(_("perspectief"), max_length=15, choices=Perspective.choices)
    role = models.CharField(_("rol"), max_length=100, blank=True)  # "moeder", "IB'er", "CJG"
    fit = models.PositiveSmallIntegerField(
        _("hoe passend was de hulp (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIT_MIN), MaxValueValidator(FIT_MAX)],
    )
    fit_note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["perspective", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="one_place_per_review"),
            models.CheckConstraint(
                condition=models.Q(fit__isnull=True) | models.Q(fit__gte=FIT_MIN, fit__lte=FIT_MAX),
                name="fit_between_1_and_5",
            ),
        ]

    def __str__(self):
        return str(self.user)


class Factor(models.Model):
    """What helped or hindered the collaboration, at one level, optionally under one of the seven keys."""

    class Kind(models.TextChoices):
        HELPED = "helped", _("hielp")
        HINDERED = "hindered", _("belemmerde")

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("niveau"), max_length=15, choices=Level.choices)
    # Hook for the knowledge base: the key this factor is about (apps/meetings/keys.py).
    key = models.CharField(_("sleutel"), max_length=30, choices=SevenKey.choices, blank=True)
    text = models.CharField(_("wat"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "level", "pk"]

    def __str__(self):
        return self.text[:60]


class ActionPoint(models.Model):
    """An agreed action point; it enters the child's plan (an agreement) or the school's board (an action)."""

    class Destination(models.TextChoices):
        PLAN = "plan", _("het plan van het kind")
        BOARD = "board", _("het actiebord van de school")

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="action_points")
    text = models.CharField(_("actiepunt"), max_length=500)
    destination = models.CharField(_("waar komt het"), max_length=10, choices=Destination.choices)
    key = models.CharField(_("sleutel"), max_length=30, choices=SevenKey.choices, blank=True)
    agreement = models.ForeignKey(
        "plans.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="case_review_points"
    )
    board_action = models.ForeignKey(
        "meetings.ActionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="case_review_points"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text[:60]
