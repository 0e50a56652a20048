"""One shared plan per child: goals written with the child, agreements (who does what by when), and
the change history everyone in the circle sees ("wat is er veranderd sinds je laatste bezoek")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access.owner import OwnedRecord
from apps.circles.models import Child

from .groei_models import LifeDomain


class Goal(OwnedRecord):
    """A goal in the professional wording, beside the child's own words ("Wat wil ik leren?")."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("doel"), max_length=500)
    child_words = models.CharField(_("Wat wil ik leren?"), max_length=500, blank=True)
    # One family, one plan (docs/opp.md): the life domain, and the family's own goal this goal builds on.
    life_domain = models.CharField(_("levensgebied"), max_length=20, choices=LifeDomain.choices, blank=True)
    family_goal = models.ForeignKey(
        "plans.FamilyGoal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals",
        verbose_name=_("bouwt op het doel van het gezin"),
    )
    evaluate_on = models.DateField(_("evalueren op"))
    evaluation = models.TextField(_("evaluatie"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["evaluate_on", "pk"]

    def __str__(self):
        return self.text[:60]


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("gedaan")
    NOT_DONE = "not_done", _("niet gelukt")
    DROPPED = "dropped", _("vervallen")


class Agreement(OwnedRecord):
    """An agreement (afspraak): what, who (any person in the circle, parent or child too), by when."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="agreements")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreements", verbose_name=_("doel")
    )
    what = models.CharField(_("wat"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_agreements", verbose_name=_("wie")
    )
    due = models.DateField(_("uiterlijk op"))
    status = models.CharField(_("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    # An agreement made in a support-team meeting (MDO) of a groeidocument (docs/opp.md).
    groeidocument = models.ForeignKey(
        "plans.Groeidocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="agreements"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["due", "pk"]
        indexes = [
            models.Index(fields=["child", "due"]),
            models.Index(fields=["status", "due"]),
        ]

    def __str__(self):
        return self.what[:60]

    @property
    def is_open(self) -> bool:
        return self.status == AgreementStatus.OPEN


class PlanChange(models.Model):
    """One line of the plan's history; shown to everyone in the circle, newest first. Append-only."""

    class Kind(models.TextChoices):
        GOAL_ADDED = "goal_added", _("doel toegevoegd")
        GOAL_CHANGED = "goal_changed", _("doel gewijzigd")
        AGREEMENT_ADDED = "agreement_added", _("afspraak toegevoegd")
        AGREEMENT_STATUS = "agreement_status", _("status van afspraak gewijzigd")
        AGREEMENT_CHANGED = "agreement_changed", _("afspraak gewijzigd")
        OPP_CHANGED = "opp_changed", _("OPP gewijzigd")
        OPP_PROPOSED = "opp_proposed", _("handelingsdeel voorgelegd")
        OPP_ANSWERED = "opp_answered", _("antwoord op het handelingsdeel")
        OPP_ESTABLISHED = "opp_established", _("handelingsdeel vastgesteld")
        GROEIDOCUMENT = "groeidocument", _("groeidocument")
        FAMILY_PLAN = "family_plan", _("plan van het gezin")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plan_changes")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    summary = models.CharField(_("wat veranderde"), max_length=600)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("wijziging in het plan")
        verbose_name_plural = _("wijzigingen in het plan")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["child", "at"])]

    def __str__(self):
        return self.summary[:60]


class PlanVisit(models.Model):
    """When a person last looked at a child's plan, so the page can show what changed since then."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="unique_plan_visit")]


from .groei_models import ExportConsent, FamilyGoal, Groeidocument, LifeDomain  # noqa: E402
from .opp_models import DisputeText, HandelingsdeelAnswer, HandelingsdeelVersion, Opp, SupportLine  # noqa: E402

__all__ = [
    "Agreement",
    "AgreementStatus",
    "DisputeText",
    "ExportConsent",
    "FamilyGoal",
    "Groeidocument",
    "Goal",
    "HandelingsdeelAnswer",
    "HandelingsdeelVersion",
    "LifeDomain",
    "Opp",
    "PlanChange",
    "PlanVisit",
    "SupportLine",
]
