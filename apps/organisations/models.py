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
        constraints = [
            models.UniqueConstraint(
                fields=["brin", "vestiging"], condition=~models.Q(brin=""), name="unique_brin_vestiging"
            )
        ]

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


class MembershipQuerySet(models.QuerySet):
    def effective(self):
        """Memberships that give access today: active, at an active school (under an active board, if any),
        an active care organisation or an active board. Deactivating an organisation cuts its people off at
        once, without touching their memberships (docs/onboarding-organisations.md, "Deactivate")."""
        return self.filter(
            models.Q(active=True),
            models.Q(school__isnull=True)
            | models.Q(school__active=True, school__board__isnull=True)
            | models.Q(school__active=True, school__board__active=True),
            models.Q(organisation__isnull=True) | models.Q(organisation__active=True),
            models.Q(board__isnull=True) | models.Q(board__active=True),
        )


class Membership(models.Model):
    """One role of one person at one organisation. A person may hold several.

    Code that asks "does this person work here now?" uses `Membership.objects.effective()`, never
    `filter(active=True)` alone: an inactive school or organisation gives its people no access."""

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

    objects = MembershipQuerySet.as_manager()

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

    @property
    def is_effective(self) -> bool:
        """The same rule as `MembershipQuerySet.effective()`, on a loaded row (with school, its board, the
        organisation and the board selected): the policy reads all active memberships once and filters here."""
        if not self.active:
            return False
        school = self.school if self.school_id is not None else None
        if school is not None and (not school.active or (school.board_id is not None and not school.board.active)):
            return False
        if self.organisation_id is not None and not self.organisation.active:
            return False
        return self.board_id is None or self.board.active


class StaffInviteGroup(models.Model):
    """A group a staff invite will give its teacher: accepting the invite creates the membership with these."""

    invite = models.ForeignKey("accounts.Invite", on_delete=models.CASCADE, related_name="staff_groups")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invite", "group"], name="unique_staff_invite_group")]


class AppendOnlyError(Exception):
    """The admin log can only grow."""


class AdminLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Admin-log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Admin-log entries cannot be deleted.")


class AdminLogEntry(models.Model):
    """One administrative action: who set up, changed or ended which organisation or which person's role.

    Append-only, and never child content: the description names organisations and staff, not pupils."""

    class Action(models.TextChoices):
        CREATE = "create", _("aangemaakt")
        CHANGE = "change", _("gewijzigd")
        DEACTIVATE = "deactivate", _("gedeactiveerd")
        REACTIVATE = "reactivate", _("heractiveerd")
        INVITE = "invite", _("uitgenodigd")
        ACCEPT = "accept", _("uitnodiging geaccepteerd")
        ADD_STAFF = "add_staff", _("medewerker toegevoegd")
        CHANGE_STAFF = "change_staff", _("medewerker gewijzigd")
        REMOVE_STAFF = "remove_staff", _("medewerker verwijderd")
        DJANGO_ADMIN = "django_admin", _("wijziging via /beheer/")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    # Where it happened, so a board or school administrator reads their own part of the log.
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        CareOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=500)

    objects = AdminLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("regel van het beheerlog")
        verbose_name_plural = _("beheerlog")

    def __str__(self):
        return self.description

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Admin-log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Admin-log entries cannot be deleted.")
