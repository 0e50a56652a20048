"""The knowledge base (docs/learning.md): the seven keys, the working factors, the Wegwijzer recommendations
8.1-8.4 and their interventions. Editable content per installation; shipped by a data migration."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Key(models.Model):
    """One of the seven keys (three factors, four conditions) or one of the working factors."""

    class Kind(models.TextChoices):
        FACTOR = "factor", _("factor")
        CONDITION = "condition", _("randvoorwaarde")
        WORKING_FACTOR = "working_factor", _("werkzame factor")

    slug = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Vaste code; de peiling gebruikt hem."))
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200)
    summary = models.TextField(_("uitleg"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("sleutel of werkzame factor")
        verbose_name_plural = _("sleutels en werkzame factoren")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:index") + f"#sleutel-{self.slug}"


class Intervention(models.Model):
    class Recognition(models.TextChoices):
        EFFECTIVE = "effective", _("effectief")
        FIRST_INDICATIONS = "first_indications", _("effectief volgens eerste aanwijzingen")
        WELL_FOUNDED = "well_founded", _("goed onderbouwd")
        DESCRIBED = "described", _("goed beschreven")
        NOT_RATED = "not_rated", _("geen erkenning (hulpmiddel)")
        UNKNOWN = "unknown", _("nog na te kijken")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    description = models.TextField(_("wat het is"))
    recognition = models.CharField(_("erkenningsniveau"), max_length=20, choices=Recognition.choices)
    recognition_note = models.CharField(_("toelichting bij de erkenning"), max_length=300, blank=True)
    asks_of_school = models.TextField(_("wat het van een school vraagt"))
    source = models.CharField(_("bron"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("interventie")
        verbose_name_plural = _("interventies")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:index") + f"#interventie-{self.pk}"


class Recommendation(models.Model):
    code = models.CharField(_("nummer"), max_length=10, unique=True, help_text="8.1")
    title = models.CharField(_("aanbeveling"), max_length=300)
    text = models.TextField(_("uitleg"))
    practice = models.TextField(_("uit de praktijk"), blank=True)
    keys = models.ManyToManyField(Key, blank=True, related_name="recommendations", verbose_name=_("past bij"))
    interventions = models.ManyToManyField(
        Intervention, through="RecommendationIntervention", related_name="recommendations"
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("aanbeveling")
        verbose_name_plural = _("aanbevelingen")

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("knowledge:index") + f"#aanbeveling-{self.pk}"


class RecommendationIntervention(models.Model):
    """What one intervention does for one recommendation (the same intervention reads differently per one)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="uses")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="uses")
    how = models.TextField(_("hoe het hierbij helpt"))
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("interventie bij een aanbeveling")
        verbose_name_plural = _("interventies bij een aanbeveling")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "intervention"], name="one_use_per_recommendation")
        ]

    def __str__(self):
        return f"{self.recommendation.code} – {self.intervention}"


class KnowledgeLink(models.Model):
    """A link from any object (an action, a monitor finding) to an entry of the knowledge base.

    The entry side is a nullable foreign key with SET_NULL and a copy of its title, so deleting an entry
    leaves a readable link ("verwijderd") instead of an error; the object side is generic (content type
    and id), and a link whose object is gone is shown as such and never breaks a page."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    key = models.ForeignKey(Key, null=True, blank=True, on_delete=models.SET_NULL, related_name="links")
    title = models.CharField(_("titel"), max_length=300, help_text=_("Kopie van de titel, voor als het verdwijnt."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("koppeling met de kennisbank")
        verbose_name_plural = _("koppelingen met de kennisbank")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.title

    @property
    def entry(self):
        return self.recommendation or self.intervention or self.key

    @property
    def source(self):
        """The linked object, or None when it was deleted."""
        model = self.content_type.model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.object_id).first()
