"""Consent: who may share what about a child with which outside organisation, or with the school (what
youth care recorded reaches the school only through a consent to the school, R3). History is kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Child
from apps.organisations.models import CareOrganisation, School


class Category(models.TextChoices):
    """Categories of information about a child; consent and access are decided per category."""

    BASIC = "basic", _("basisgegevens en kring")
    DEVELOPMENT = "development", _("ontwikkeling op school")
    SUPPORT = "support", _("ondersteuning en plan")
    HEALTH = "health", _("gezondheid en verzuim")


class Consent(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="consents")
    # The recipient: an outside organisation, or the school (for what youth care recorded; docs/record-owner.md).
    organisation = models.ForeignKey(
        CareOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="consents")
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents_received",
        help_text=_("Leeg: iedereen van deze organisatie die in de kring zit."),
    )
    purpose = models.CharField(_("doel"), max_length=300, blank=True)
    starts_on = models.DateField(_("ingangsdatum"), default=timezone.localdate)
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("reden van intrekken"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="consent_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(organisation__isnull=False) & models.Q(school__isnull=True))
                | (
                    models.Q(organisation__isnull=True)
                    & models.Q(school__isnull=False)
                    & models.Q(grantee__isnull=True)
                ),
                name="consent_one_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.child} → {self.recipient}"

    @property
    def recipient(self):
        """Who receives the information: the outside organisation or the school."""
        return self.organisation or self.school

    @property
    def category_values(self) -> list[str]:
        return [scope.category for scope in self.scope_list]

    # Lists loaded in bulk by `services.valid_consents_by_child` (a `Prefetch(..., to_attr=...)` builds no
    # queryset per consent, which is most of the cost of checking hundreds of consents: docs/performance.md).
    @property
    def scope_list(self) -> list:
        loaded = self.__dict__.get("loaded_scopes")
        return loaded if loaded is not None else list(self.scopes.all())

    @property
    def signature_list(self) -> list:
        loaded = self.__dict__.get("loaded_signatures")
        return loaded if loaded is not None else list(self.signatures.all())

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.category_values]


class ConsentScope(models.Model):
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="scopes")
    category = models.CharField(max_length=20, choices=Category.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consent", "category"], name="unique_consent_scope")]


class ConsentSignature(models.Model):
    class As(models.TextChoices):
        GUARDIAN = "guardian", _("ouder met gezag")
        CHILD = "child", _("kind")

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_as = models.CharField(max_length=10, choices=As.choices)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consent", "signer"], name="one_signature_per_signer")]


class ConsentEvent(models.Model):
    """Append-only history of a consent, shown to the family."""

    class Kind(models.TextChoices):
        CREATED = "created", _("aangevraagd")
        SIGNED = "signed", _("ondertekend")
        VALID = "valid", _("geldig geworden")
        REVOKED = "revoked", _("ingetrokken")

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]


# From 16 the young person decides what the parents see of these categories (docs/age-rules.md).
PARENT_VIEW_CATEGORIES = (Category.HEALTH.value, Category.SUPPORT.value)


class ParentViewChoice(models.Model):
    """The young person's choice (from 16) whether the parents see one of PARENT_VIEW_CATEGORIES.

    Append-only: every change is a new row and the newest row per child and category counts, so the
    history is kept. No row means the default the law gives: not shared (see `rules.shared_with_parents`)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="parent_view_choices")
    category = models.CharField(max_length=20, choices=Category.choices)
    shared = models.BooleanField(_("ouders zien dit"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("keuze wat ouders zien")
        verbose_name_plural = _("keuzes wat ouders zien")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["child", "category", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=PARENT_VIEW_CATEGORIES), name="parent_view_only_health_support"
            )
        ]

    def __str__(self):
        return f"{self.child} · {self.category} · {self.shared}"
