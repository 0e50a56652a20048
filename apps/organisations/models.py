"""Schools with their classes, youth-care organisations, and who works where in which role."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class School(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(_("BRIN"), max_length=6, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("school")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Group(models.Model):
    """A class (groep) in one school year."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("naam"), max_length=50)
    year_level = models.PositiveSmallIntegerField(_("jaargroep"), default=1)
    school_year = models.CharField(_("schooljaar"), max_length=9, help_text="2026-2027")

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["school_year", "year_level", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year", "name"], name="unique_group_per_year")]

    def __str__(self):
        return self.name


class CareOrganisation(models.Model):
    class Kind(models.TextChoices):
        CJG = "cjg", _("Centrum voor Jeugd en Gezin")
        WIJKTEAM = "wijkteam", _("Wijkteam")
        GGD = "ggd", _("GGD")
        MUNICIPALITY = "gemeente", _("Gemeente")
        OTHER = "other", _("Andere organisatie")

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("jeugdhulporganisatie")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    TEACHER = "teacher", _("leerkracht")
    IB = "ib", _("IB'er / zorgcoördinator")
    DIRECTOR = "director", _("directeur")
    SCHOOL_ADMIN = "school_admin", _("schooladministratie")
    YOUTH_WORKER = "youth_worker", _("jeugdhulpverlener")
    DOCTOR = "doctor", _("jeugdarts")
    ATTENDANCE_OFFICER = "attendance_officer", _("leerplichtambtenaar")


SCHOOL_ROLES = (Role.TEACHER, Role.IB, Role.DIRECTOR, Role.SCHOOL_ADMIN)
OUTSIDE_ROLES = (Role.YOUTH_WORKER, Role.DOCTOR, Role.ATTENDANCE_OFFICER)


class Membership(models.Model):
    """One role of one person at one organisation. A person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    organisation = models.ForeignKey(
        CareOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    groups = models.ManyToManyField(Group, blank=True, related_name="teachers")
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("rol binnen organisatie")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=[r.value for r in SCHOOL_ROLES], school__isnull=False, organisation__isnull=True)
                    | models.Q(
                        role__in=[r.value for r in OUTSIDE_ROLES], school__isnull=True, organisation__isnull=False
                    )
                ),
                name="membership_role_matches_organisation",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.organisation_name})"

    @property
    def organisation_name(self) -> str:
        return str(self.school or self.organisation)

    @property
    def is_school_role(self) -> bool:
        return self.role in SCHOOL_ROLES
