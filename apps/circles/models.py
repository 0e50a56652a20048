"""The child and the circle of people around it."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import CareOrganisation, Group, School


def age_on(born: date, on: date) -> int:
    """Age in whole years on a given (local) day; a 29 February birthday counts on 1 March."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


class Child(models.Model):
    first_name = models.CharField(_("roepnaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="pupils", verbose_name=_("groep"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_record",
        help_text=_("Eigen account, vanaf 12 jaar."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The pupil's key in the school's pupil administration (LAS key, EDEXML leerling/@key), unique per school.
    # Never a BSN, never an ECK iD (docs/domain-rules.md, "Import from the pupil administration").
    las_key = models.CharField(_("leerlingnummer in de administratie"), max_length=64, blank=True)
    # Composite groups (samengestelde groepen) the pupil is also in, beside the stamgroep in `group`.
    extra_groups = models.ManyToManyField(
        Group, blank=True, related_name="composite_pupils", verbose_name=_("samengestelde groepen")
    )
    # The day the pupil left the school: the circle, plan, log and consents stay (read-only); retention starts here.
    left_on = models.DateField(_("uitgeschreven op"), null=True, blank=True)

    class Meta:
        verbose_name = _("kind")
        verbose_name_plural = _("kinderen")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["school", "group"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "las_key"], condition=~models.Q(las_key=""), name="unique_las_key_per_school"
            )
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.group_id:
            raise ValidationError({"group": _("Kies de groep van het kind; zonder groep ziet de leerkracht het niet.")})
        if self.school_id and self.group.school_id != self.school_id:
            raise ValidationError({"group": _("Deze groep hoort bij een andere school.")})
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("De geboortedatum ligt in de toekomst.")})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age(self, on: date | None = None) -> int:
        return age_on(self.date_of_birth, on or timezone.localdate())


class Guardianship(models.Model):
    class Relation(models.TextChoices):
        MOTHER = "mother", _("moeder")
        FATHER = "father", _("vader")
        GUARDIAN = "guardian", _("voogd")
        FOSTER = "foster", _("pleegouder")
        OTHER = "other", _("anders")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guardianships")
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices, default=Relation.OTHER)

    class Authority(models.TextChoices):
        # No export carries gezag (docs/domain-rules.md): an imported guardianship starts unconfirmed,
        # the guardian declares it at first log-in and the school confirms it.
        UNCONFIRMED = "unconfirmed", _("nog niet bevestigd")
        DECLARED = "declared", _("door ouder opgegeven, school bevestigt nog")
        CONFIRMED = "confirmed", _("bevestigd door school")

    has_authority = models.BooleanField(_("met ouderlijk gezag"), default=True)
    authority_status = models.CharField(
        _("gezag bevestigd"), max_length=12, choices=Authority.choices, default=Authority.UNCONFIRMED
    )
    authority_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authority_confirmed_at = models.DateTimeField(null=True, blank=True)
    authority_declared_at = models.DateTimeField(null=True, blank=True)
    # Who added this guardian by hand (an invite from the child's page); empty when the pupil administration
    # (the import) brought them. A guardian added by hand is confirmed only by the IB'er or the director.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lives_with_child = models.BooleanField(_("woont bij het kind"), default=True)
    # The guardian's key in the source system (e.g. a parent code in a CSV export), for re-imports.
    source_key = models.CharField(max_length=64, blank=True)

    class InformationMode(models.TextChoices):
        # BW 1:377b/1:377c (docs/guardians-and-gezag.md): with gezag all information; without gezag only on
        # request, weighed by the school; "none" when the school recorded that this parent gets nothing
        # (e.g. a court found informing them harms the child).
        FULL = "full", _("alle informatie (gezag)")
        ON_REQUEST = "on_request", _("informatie op verzoek")
        NONE = "none", _("geen informatie")

    # A father without gezag has a right to information only when he recognised the child (erkenning).
    # None: not (yet) known.
    recognised_child = models.BooleanField(_("heeft het kind erkend"), null=True, blank=True)
    information_mode = models.CharField(
        _("informatie"), max_length=12, choices=InformationMode.choices, default=InformationMode.FULL
    )

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="unique_guardianship")]

    def __str__(self):
        return f"{self.user} ({self.get_relation_display()} van {self.child})"

    def save(self, *args, **kwargs):
        self.information_mode = information_mode_for(self.has_authority, self.information_mode)
        if kwargs.get("update_fields") is not None and "has_authority" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "information_mode"}
        super().save(*args, **kwargs)


def information_mode_for(has_authority: bool, mode: str) -> str:
    """Gezag means all information; without gezag "on request" unless the school recorded "none"."""
    if has_authority:
        return Guardianship.InformationMode.FULL
    if mode == Guardianship.InformationMode.NONE:
        return mode
    return Guardianship.InformationMode.ON_REQUEST


class InformationRequest(models.Model):
    """A parent without gezag asks the school for information about the child (BW 1:377c).

    The school (IB'er or director) decides with a reason against the legal grounds; a granted request
    lets the parent read the school progress and development (not youth-care data) until `valid_until`.
    Every decision is logged and shown to the requester; the parents with gezag are told (1:377b)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op de school")
        GRANTED = "granted", _("toegekend")
        REFUSED = "refused", _("geweigerd")

    class Ground(models.TextChoices):
        SAME_AS_GEZAG = "same_as_gezag", _("dezelfde informatie als een ouder met gezag krijgt")
        NOT_GIVEN_TO_GEZAG = "not_given_to_gezag", _("ook een ouder met gezag zou deze informatie niet krijgen")
        CHILD_INTEREST = "child_interest", _("het belang van het kind verzet zich ertegen")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="information_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(_("uw vraag"), max_length=1000)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    ground = models.CharField(_("grond"), max_length=20, choices=Ground.choices, blank=True)
    reason = models.TextField(_("toelichting bij het besluit"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("informatieverzoek")
        verbose_name_plural = _("informatieverzoeken")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["child", "requester", "status"])]

    def __str__(self):
        return f"{self.child_id} {self.requester_id} {self.status}"


class CircleMemberQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(since__lte=on).filter(models.Q(until__isnull=True) | models.Q(until__gte=on))


class CircleMember(models.Model):
    """A professional in the child's circle (guardians and the child are in it by who they are)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="circle")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="circles")
    role = models.CharField(_("rol"), max_length=100)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        CareOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField(_("sinds"), default=timezone.localdate)
    until = models.DateField(_("tot"), null=True, blank=True)
    is_coordinator = models.BooleanField(_("aanspreekpunt"), default=False)

    objects = CircleMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("lid van de kring")
        ordering = ["-is_coordinator", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(is_coordinator=True),
                name="one_coordinator_per_circle",
                violation_error_message=_("Er is al een aanspreekpunt voor dit kind."),
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.role})"

    @property
    def organisation_name(self) -> str:
        return str(self.school or self.organisation or "")


class CoordinatorHandover(models.Model):
    """A warm handover: the note the family sees when the coordinator changes."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="handovers")
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("overdrachtsnotitie"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
