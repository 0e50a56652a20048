"""The OPP (ontwikkelingsperspectiefplan) as part of the child's one plan (docs/opp.md).

The perspective part is agreed in consultation (OOGO): the school writes it and records the meeting,
the parents write their own view beside it. The handelingsdeel is the support the school organises
(support lines) with the plan's own goals and agreements as its content; it is laid before the parents
as an immutable version (a snapshot and its hash) and becomes vastgesteld only when every parent with
confirmed gezag has consented to that version (docs/domain-rules.md R13).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Child
from apps.organisations.models import School


class Opp(models.Model):
    """One OPP per child, beside the child's one plan (goals and agreements stay in the plan)."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="opp")
    needed_since = models.DateField(_("besluit extra ondersteuning of inschrijving op"))
    # perspective part (OOGO)
    outflow_destination = models.CharField(_("verwachte uitstroombestemming"), max_length=200, blank=True)
    outflow_reasons = models.TextField(_("onderbouwing van de uitstroombestemming"), blank=True)
    hindering_child = models.TextField(_("belemmerende factoren bij het kind"), blank=True)
    hindering_school = models.TextField(_("belemmerende factoren op school"), blank=True)
    hindering_home = models.TextField(_("belemmerende factoren thuis"), blank=True)
    supporting_child = models.TextField(_("bevorderende factoren bij het kind"), blank=True)
    supporting_school = models.TextField(_("bevorderende factoren op school"), blank=True)
    supporting_home = models.TextField(_("bevorderende factoren thuis"), blank=True)
    deviations = models.TextField(_("afwijkingen van het reguliere programma"), blank=True)
    oogo_held_on = models.DateField(_("overleg met ouders gehouden op"), null=True, blank=True)
    oogo_record = models.TextField(_("verslag van het overleg"), blank=True)
    # The parents' own view: only a guardian writes it; the school cannot overwrite it.
    parents_view = models.TextField(_("zienswijze van de ouders"), blank=True)
    parents_view_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parents_view_at = models.DateTimeField(null=True, blank=True)
    # The pupil's own view, in their own words; from 12 the pupil signs that they were heard.
    pupil_view = models.TextField(_("wat de leerling zelf vindt"), blank=True)
    pupil_view_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pupil_view_at = models.DateTimeField(null=True, blank=True)
    pupil_heard_at = models.DateTimeField(null=True, blank=True)
    # BRON registration and the yearly evaluation
    started_on = models.DateField(_("startdatum (BRON)"), null=True, blank=True)
    ended_on = models.DateField(_("einddatum (BRON)"), null=True, blank=True)
    evaluation = models.ForeignKey(
        "conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("OPP")
        verbose_name_plural = _("OPP's")

    def __str__(self):
        return f"OPP {self.child_id}"


class SupportLine(models.Model):
    """One line of the handelingsdeel: what the school organises, who, how often, from when."""

    opp = models.ForeignKey(Opp, on_delete=models.CASCADE, related_name="support_lines")
    what = models.CharField(_("wat"), max_length=500)
    who = models.CharField(_("wie"), max_length=200)
    how_often = models.CharField(_("hoe vaak"), max_length=200)
    starts_on = models.DateField(_("vanaf"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ondersteuningsregel")
        verbose_name_plural = _("ondersteuningsregels")
        ordering = ["starts_on", "pk"]

    def __str__(self):
        return self.what[:60]


class ImmutableRow(models.Model):
    """A row that is written once: no update (but for `MUTABLE` fields), no delete."""

    MUTABLE: tuple = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not set(kwargs.get("update_fields") or ["*"]) <= set(self.MUTABLE):
            raise ValidationError(_("Een voorgelegde versie blijft zoals hij is."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Een voorgelegde versie blijft zoals hij is."))


class HandelingsdeelVersion(ImmutableRow):
    """The handelingsdeel as laid before the parents: a snapshot and its SHA-256. Never changed; a change
    is a new version, which asks every parent again."""

    MUTABLE = ("established_at",)

    opp = models.ForeignKey(Opp, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    note = models.CharField(_("wat is er veranderd"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    established_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("versie van het handelingsdeel")
        verbose_name_plural = _("versies van het handelingsdeel")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["opp", "number"], name="unique_handelingsdeel_number")]

    def __str__(self):
        return f"v{self.number}"


class HandelingsdeelAnswer(ImmutableRow):
    """A parent's answer to one version: consent, or a decline with a reason. One per parent per version."""

    class Answer(models.TextChoices):
        CONSENT = "consent", _("stemt in")
        DECLINE = "decline", _("stemt niet in")

    version = models.ForeignKey(HandelingsdeelVersion, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    reason = models.TextField(_("reden"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("antwoord op het handelingsdeel")
        verbose_name_plural = _("antwoorden op het handelingsdeel")
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="unique_handelingsdeel_answer")]


class DisputeText(models.Model):
    """Where parents can go when they disagree, in the school's own words (a default otherwise)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("tekst bij onenigheid"))

    class Meta:
        verbose_name = _("tekst bij onenigheid")
        verbose_name_plural = _("teksten bij onenigheid")
