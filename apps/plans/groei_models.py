"""The groeidocument and the family's own plan, both part of the child's one plan (docs/opp.md).

The groeidocument (handelingsgericht arrangeren) is filled in by school and parents together before a
support-team meeting (MDO), is the agenda during it and keeps its report; its agreements become the plan's
agreements. It is closed when the goals are met, so old data does not follow the child. The family's own
plan (familiegroepsplan) holds the family's goals per life domain, in their own words; the professionals'
goals refer to them instead of replacing them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Child

from .opp_models import ImmutableRow


class LifeDomain(models.TextChoices):
    """The fixed, short list of life domains of one family, one plan (docs/opp.md)."""

    SCHOOL = "school", _("school en leren")
    HEALTH = "health", _("gezondheid")
    FAMILY = "family", _("gezin en opvoeding")
    HOUSING = "housing", _("wonen en geld")
    FREE_TIME = "free_time", _("vrije tijd en vrienden")
    SAFETY = "safety", _("veiligheid")


class FamilyGoal(models.Model):
    """A goal of the family's own plan, in their own words. Only the family writes or changes it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_goals")
    life_domain = models.CharField(_("levensgebied"), max_length=20, choices=LifeDomain.choices)
    text = models.CharField(_("ons doel, in onze woorden"), max_length=1000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("doel van het gezin")
        verbose_name_plural = _("doelen van het gezin")
        ordering = ["life_domain", "written_at", "pk"]

    def __str__(self):
        return self.text[:60]


class Groeidocument(models.Model):
    """One groeidocument of a child; at most one is open. A closed one is read-only and never exported."""

    class Request(models.TextChoices):
        NONE = "", _("nog niet gekozen")
        ARRANGEMENT = "arrangement", _("arrangement")
        TLV = "tlv", _("toelaatbaarheidsverklaring (TLV)")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="groeidocumenten")
    request_kind = models.CharField(
        _("aanvraag bij het samenwerkingsverband"), max_length=20, choices=Request.choices, blank=True
    )
    # The school's part
    school_question = models.TextField(_("vraag van de school"), blank=True)
    school_view = models.TextField(_("wat de school ziet: wat helpt en wat belemmert"), blank=True)
    needs = models.TextField(_("wat het kind nodig heeft"), blank=True)
    school_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school_at = models.DateTimeField(null=True, blank=True)
    # The parents' part: only a guardian writes it; the school cannot overwrite it.
    parents_view = models.TextField(_("hoe de ouders het zien"), blank=True)
    parents_question = models.TextField(_("vraag van de ouders"), blank=True)
    parents_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parents_at = models.DateTimeField(null=True, blank=True)
    # The support-team meeting (MDO): a conversation in the app, or a date and who take part.
    mdo_conversation = models.ForeignKey(
        "conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mdo_on = models.DateField(_("datum van het MDO"), null=True, blank=True)
    mdo_participants = models.CharField(_("wie zijn erbij"), max_length=500, blank=True)
    mdo_report = models.TextField(_("verslag van het MDO"), blank=True)
    mdo_reported_at = models.DateTimeField(null=True, blank=True)
    # Closing
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(_("waarom gesloten"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("groeidocument")
        verbose_name_plural = _("groeidocumenten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(closed_at__isnull=True), name="one_open_groeidocument"
            )
        ]

    def __str__(self):
        return f"groeidocument {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ExportConsent(ImmutableRow):
    """A parent's answer to what goes with the request to the samenwerkingsverband: the consent categories
    (apps/consent). Never changed; a new answer is a new row, the newest counts."""

    document = models.ForeignKey(Groeidocument, on_delete=models.CASCADE, related_name="export_consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("toestemming voor de aanvraag")
        verbose_name_plural = _("toestemmingen voor de aanvraag")
        ordering = ["at", "pk"]
