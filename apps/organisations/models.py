"""Schools with their classes, youth-care organisations, and who works where in which role."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    """A school board (bestuur): holds one or more schools. Deactivated, never deleted."""

    name = models.CharField(_("naam"), max_length=200)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("schoolbestuur")
        verbose_name_plural = _("schoolbesturen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class School(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.PROTECT, related_name="schools", verbose_name=_("bestuur")
    )
    # BRIN: four characters (e.g. 12AB); the vestiging (branch) number is two digits (00 = main building).
    brin = models.CharField(_("BRIN"), max_length=6, blank=True)
    vestiging = models.CharField(_("vestiging"), max_length=2, blank=True, default="00")
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("school")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Group(models.Model):
    """A class (groep) in one school year: a stamgroep, or a composite group (samengestelde groep)."""

    class Kind(models.TextChoices):
        BASE = "stam", _("stamgroep")
        COMPOSITE = "samengesteld", _("samengestelde groep")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("naam"), max_length=50)
    year_level = models.PositiveSmallIntegerField(_("jaargroep"), default=1)
    school_year = models.CharField(_("schooljaar"), max_length=9, help_text="2026-2027")
    kind = models.CharField(_("soort groep"), max_length=12, choices=Kind.choices, default=Kind.BASE)
    # The group's key in the pupil administration (EDEXML groep/@key), per school; blank for groups made by hand.
    source_key = models.CharField(_("sleutel in de leerlingadministratie"), max_length=64, blank=True)

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
        GGD = "ggd", _("GGD / jeugdgezondheidszorg")
        MUNICIPALITY = "gemeente", _("Gemeente")
        LEERPLICHT = "leerplicht", _("Leerplicht (gemeente)")
        OTHER = "other", _("Andere organisatie")

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    active = models.BooleanField(_("actief"), default=True)

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
    ORG_ADMIN = "org_admin", _("beheerder van de organisatie")
    BOARD_ADMIN = "board_admin", _("beheerder van het bestuur")


SCHOOL_ROLES = (Role.TEACHER, Role.IB, Role.DIRECTOR, Role.SCHOOL_ADMIN)
OUTSIDE_ROLES = (Role.YOUTH_WORKER, Role.DOCTOR, Role.ATTENDANCE_OFFICER)
# Administrators of a care organisation or a board manage people, never see child data.
ADMIN_ROLES = (Role.ORG_ADMIN, Role.BOARD_ADMIN)


class Membership(models.Model):
    """One role of one person at one organisation. A person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    organisation = models.ForeignKey(
        CareOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    groups = models.ManyToManyField(Group, blank=True, related_name="teachers")
    active = models.BooleanField(default=True)
    # The person's key in the pupil administration (EDEXML leerkracht/@key), so a re-import finds them again.
    source_key = models.CharField(_("sleutel in de leerlingadministratie"), max_length=64, blank=True)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("rol binnen organisatie")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=[r.value for r in SCHOOL_ROLES],
                        school__isnull=False,
                        organisation__isnull=True,
                        board__isnull=True,
                    )
                    | models.Q(
                        role__in=[r.value for r in (*OUTSIDE_ROLES, Role.ORG_ADMIN)],
                        school__isnull=True,
                        organisation__isnull=False,
                        board__isnull=True,
                    )
                    | models.Q(
                        role=Role.BOARD_ADMIN, school__isnull=True, organisation__isnull=True, board__isnull=False
                    )
                ),
                name="membership_role_matches_organisation_v2",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.organisation_name})"

    @property
    def organisation_name(self) -> str:
        return str(self.school or self.organisation or self.board)

    @property
    def is_school_role(self) -> bool:
        return self.role in SCHOOL_ROLES
