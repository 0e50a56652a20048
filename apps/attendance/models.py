"""Sick reports, the absence register (with its history), the school's thresholds and the signals."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access.owner import OwnedRecord
from apps.circles.models import Child
from apps.organisations.models import School


class Reason(models.TextChoices):
    PRESENT = "present", _("aanwezig")
    SICK = "sick", _("ziek")
    LEAVE = "leave", _("verlof (toegestaan)")
    SUSPENSION = "suspension", _("schorsing")
    MEDICAL = "medical", _("afspraak bij arts of tandarts")
    UNAUTHORISED = "unauthorised", _("ongeoorloofd afwezig")
    LATE = "late", _("te laat")
    LUXE = "luxe", _("luxe verzuim (vermoeden)")


AUTHORISED = {Reason.SICK, Reason.LEAVE, Reason.SUSPENSION, Reason.MEDICAL}
UNAUTHORISED = {Reason.UNAUTHORISED, Reason.LATE, Reason.LUXE}


class AttendanceSettings(models.Model):
    """A school's thresholds for the rules in `signals.py`; without a row the defaults apply."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="attendance_settings")
    school_day_hours = models.DecimalField(
        _("lesuren per schooldag"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("5.50"),
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    mazl_reports = models.PositiveSmallIntegerField(_("MAZL: aantal ziekmeldingen"), default=4)
    mazl_school_weeks = models.PositiveSmallIntegerField(_("MAZL: binnen schoolweken"), default=12)
    mazl_consecutive_days = models.PositiveSmallIntegerField(_("MAZL: aaneengesloten ziektedagen"), default=7)
    duo_hours = models.DecimalField(_("DUO: uren ongeoorloofd"), max_digits=5, decimal_places=2, default=16)
    duo_school_weeks = models.PositiveSmallIntegerField(_("DUO: binnen schoolweken"), default=4)
    lrv_school_weeks = models.PositiveSmallIntegerField(_("langdurig verzuim: na schoolweken"), default=4)
    pattern_count = models.PositiveSmallIntegerField(_("patroon: keer dezelfde weekdag"), default=3)
    pattern_school_weeks = models.PositiveSmallIntegerField(_("patroon: binnen schoolweken"), default=6)
    # Secondary schools register per lesson (docs/absence.md, "Per lesuur"); the day's registration follows.
    per_lesson = models.BooleanField(_("registreren per lesuur (voortgezet onderwijs)"), default=False)
    lessons_per_day = models.PositiveSmallIntegerField(
        _("lesuren per dag"), default=8, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    lesson_minutes = models.PositiveSmallIntegerField(
        _("minuten per lesuur"), default=50, validators=[MinValueValidator(20), MaxValueValidator(120)]
    )

    class Meta:
        verbose_name = _("verzuiminstellingen")
        verbose_name_plural = _("verzuiminstellingen")


class TestDay(models.Model):
    """A day the school holds tests (toetsdag): absence on these days counts for the pattern rule."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="test_days")
    day = models.DateField(_("toetsdag"))
    name = models.CharField(_("omschrijving"), max_length=100, blank=True, help_text=_("Bijvoorbeeld: Cito M6"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("toetsdag")
        verbose_name_plural = _("toetsdagen")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["school", "day"], name="one_test_day_per_school_day")]

    def __str__(self):
        return f"{self.school_id} {self.day}"


class SickReport(models.Model):
    """A parent's sick report. `last_day` empty means "until better"; `healthy_on` is the first day back."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="sick_reports")
    first_day = models.DateField(_("eerste ziektedag"))
    last_day = models.DateField(_("laatste ziektedag"), null=True, blank=True)
    healthy_on = models.DateField(_("weer beter op"), null=True, blank=True)
    note = models.CharField(_("opmerking"), max_length=300, blank=True)
    late = models.BooleanField(_("te laat gemeld"), default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ziekmelding")
        verbose_name_plural = _("ziekmeldingen")
        ordering = ["-first_day", "-pk"]
        constraints = [models.UniqueConstraint(fields=["child", "first_day"], name="one_sick_report_per_start")]

    def __str__(self):
        return f"{self.child_id} {self.first_day}"

    def covers(self, day) -> bool:
        if day < self.first_day:
            return False
        if self.healthy_on and day >= self.healthy_on:
            return False
        return self.last_day is None or day <= self.last_day


class Absence(models.Model):
    """One pupil's registration for one school day. A correction keeps the earlier version as a revision."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="absences")
    day = models.DateField(_("dag"))
    reason = models.CharField(_("reden"), max_length=20, choices=Reason.choices)
    hours = models.DecimalField(_("uren"), max_digits=4, decimal_places=2, default=0)
    note = models.CharField(_("opmerking"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("registratie")
        verbose_name_plural = _("registraties")
        ordering = ["-day", "child_id"]
        constraints = [models.UniqueConstraint(fields=["child", "day"], name="one_registration_per_day")]
        indexes = [models.Index(fields=["day", "child"])]

    def __str__(self):
        return f"{self.child_id} {self.day} {self.reason}"


class AbsenceRevision(models.Model):
    absence = models.ForeignKey(Absence, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["absence", "-version"]


class LessonAbsence(models.Model):
    """One pupil's registration for one lesson (secondary school). The day's `Absence` is rolled up from
    these (`apps/attendance/lessons.py`), so the rules count the same way for both kinds of school."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="lesson_absences")
    day = models.DateField(_("dag"))
    lesson = models.PositiveSmallIntegerField(_("lesuur"))
    reason = models.CharField(_("reden"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("opmerking"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("registratie per lesuur")
        verbose_name_plural = _("registraties per lesuur")
        ordering = ["day", "lesson", "child_id"]
        constraints = [models.UniqueConstraint(fields=["child", "day", "lesson"], name="one_registration_per_lesson")]
        indexes = [models.Index(fields=["day", "child"])]

    def __str__(self):
        return f"{self.child_id} {self.day} {self.lesson} {self.reason}"


class LessonAbsenceRevision(models.Model):
    """The earlier version of a corrected lesson registration: corrections keep their history."""

    lesson_absence = models.ForeignKey(LessonAbsence, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["lesson_absence", "-version"]


class Rule(models.TextChoices):
    MAZL_FREQUENT = "mazl_frequent", _("MAZL: vaak ziek")
    MAZL_LONG = "mazl_long", _("MAZL: lang ziek")
    MAZL_WORRY = "mazl_worry", _("MAZL: zorgelijk")
    DUO = "duo", _("DUO: 16 uur ongeoorloofd")
    LRV = "lrv", _("langdurig relatief verzuim")
    LUXE = "luxe", _("luxe verzuim")
    PATTERN = "pattern", _("patroon in verzuim")


class Step(models.IntegerChoices):
    """The NCJ's MAZL steps after the sick report (step 1), and the steps for reports to DUO."""

    CONTACT = 2, _("school neemt contact op met de ouders")
    CONVERSATION = 3, _("gesprek met leerling en ouders")
    REFERRAL = 4, _("aanmelden bij de jeugdarts (met toestemming)")
    ADVICE = 5, _("advies van de jeugdarts")
    MONITOR = 6, _("school volgt de aanwezigheid")
    OFFICER = 7, _("leerplichtambtenaar betrekken")
    FILE_REPORT = 10, _("melding doen bij DUO")
    DONE = 99, _("afgerond")


class DuoStatus(models.TextChoices):
    READY = "ready", _("klaar om te melden")
    REGISTERED = "registered", _("geregistreerd")
    IN_PROGRESS = "in_progress", _("in behandeling")
    CLOSED = "closed", _("afgesloten")
    WITHDRAWN = "withdrawn", _("ingetrokken")
    NOTED = "noted", _("ter kennisgeving aangenomen")


# Who sets which status in DUO's verzuimregister (DUO, 3 August 2020): the school files ("geregistreerd")
# and withdraws; the municipality handles the report. A status leads only to the ones listed.
SCHOOL_DUO_STATUSES = {DuoStatus.REGISTERED, DuoStatus.WITHDRAWN}
DUO_TRANSITIONS = {
    DuoStatus.READY: (DuoStatus.REGISTERED,),
    DuoStatus.REGISTERED: (DuoStatus.IN_PROGRESS, DuoStatus.CLOSED, DuoStatus.NOTED, DuoStatus.WITHDRAWN),
    DuoStatus.IN_PROGRESS: (DuoStatus.CLOSED, DuoStatus.NOTED, DuoStatus.WITHDRAWN),
    DuoStatus.CLOSED: (),
    DuoStatus.WITHDRAWN: (),
    DuoStatus.NOTED: (),
}
DUO_FINAL = {DuoStatus.CLOSED, DuoStatus.WITHDRAWN, DuoStatus.NOTED}
DUO_RULES = ("duo", "lrv", "luxe")


class Signal(OwnedRecord):
    """One rule that fired for one pupil on one day (unique, so the rules are idempotent)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="absence_signals")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="absence_signals")
    rule = models.CharField(_("regel"), max_length=20, choices=Rule.choices)
    first_day = models.DateField(_("eerste dag"))
    day = models.DateField(_("datum signaal"))
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    step = models.PositiveSmallIntegerField(_("volgende stap"), choices=Step.choices)
    due_on = models.DateField(_("uiterlijk"), null=True, blank=True)
    duo_status = models.CharField(max_length=20, choices=DuoStatus.choices, blank=True)
    duo_status_on = models.DateField(_("status sinds"), null=True, blank=True)
    duo_reference = models.CharField(_("kenmerk van de melding bij DUO"), max_length=40, blank=True)
    # A pattern signal whose short absences fell on the school's test days (not, or not only, one weekday).
    on_test_days = models.BooleanField(default=False)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    # The leerplichtambtenaar who was involved: only through this signal may they see the pupil.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance_signals"
    )
    # MAZL step 4: the referral to the jeugdarts, made from this signal with the family's consent.
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="absence_signals"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-day", "-pk"]
        constraints = [models.UniqueConstraint(fields=["child", "rule", "day"], name="one_signal_per_rule_day")]
        indexes = [models.Index(fields=["school", "closed_at"])]

    def __str__(self):
        return f"{self.child_id} {self.rule} {self.day}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class LeaveRequest(models.Model):
    """A parent's request for leave (verlof). The director decides up to 10 school days in a school year,
    beyond that the leerplichtambtenaar (`officer`), who sees the pupil only for this request."""

    class Kind(models.TextChoices):
        IMPORTANT = "important", _("gewichtige omstandigheden")
        HOLIDAY = "holiday", _("vakantie buiten de schoolvakanties (werk van een ouder)")

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op de directeur")
        FORWARDED = "forwarded", _("wacht op de leerplichtambtenaar")
        GRANTED = "granted", _("toegestaan")
        REFUSED = "refused", _("niet toegestaan")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="leave_requests")
    kind = models.CharField(_("soort verlof"), max_length=20, choices=Kind.choices)
    first_day = models.DateField(_("eerste dag"))
    last_day = models.DateField(_("laatste dag"))
    school_days = models.PositiveSmallIntegerField(_("schooldagen"))
    reason = models.CharField(_("reden"), max_length=500)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance_leave"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("toelichting bij het besluit"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("verlofaanvraag")
        verbose_name_plural = _("verlofaanvragen")
        ordering = ["-first_day", "-pk"]

    def __str__(self):
        return f"{self.child_id} {self.first_day}–{self.last_day}"
