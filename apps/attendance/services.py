"""Sick reports, the register and the signals: check with the policy, validate, then write.

Every entry point takes an `Actor`, asks `authorize` (which logs, also a refusal) and the narrower
question in `permissions.py`, validates with clear Dutch messages and only then writes. After each
new registration the rules run for that pupil (`evaluate_child`); the hourly task runs them for
every school (`evaluate_school`), and both create each signal once.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.access.owner import owner_for_author
from apps.access.policy import Action, authorize
from apps.accounts.security_events import log_event
from apps.audit.log import Actor
from apps.circles.models import Child, Guardianship
from apps.consent import rules as consent_rules
from apps.consent.models import Category
from apps.conversations import services as conversations
from apps.conversations.models import Kind as ConversationKind
from apps.helpguide.models import SchoolHoliday
from apps.helpguide.rules import school_contact
from apps.notifications.services import notify
from apps.notifications.texts import Text
from apps.organisations.models import CareOrganisation, Membership, Role
from apps.referrals import services as referrals
from apps.referrals.models import Referral
from apps.timeline.models import Kind, TimelineEntry

from . import lessons as lesson_rules
from . import permissions
from . import signals as rules
from .models import (
    DUO_FINAL,
    DUO_RULES,
    DUO_TRANSITIONS,
    UNAUTHORISED,
    Absence,
    AbsenceRevision,
    AttendanceSettings,
    DuoStatus,
    LeaveRequest,
    LessonAbsence,
    LessonAbsenceRevision,
    Reason,
    Rule,
    SickReport,
    Signal,
    Step,
    TestDay,
)
from .texts import family_message, family_text

HEALTH = Category.HEALTH
LOOKBACK_DAYS = 400  # a full school year and the weeks before it that a window can reach
SCHOOL_STARTS_AT = time(8, 30)


class Period:
    TODAY = "today"
    TWO_DAYS = "two_days"
    UNTIL_BETTER = "until_better"
    CHOICES = (TODAY, TWO_DAYS, UNTIL_BETTER)


# --- the school's calendar and thresholds ---------------------------------------------------------


def thresholds_for(school) -> rules.Thresholds:
    row = AttendanceSettings.objects.filter(school=school).first()
    if row is None:
        return rules.Thresholds()
    return rules.Thresholds(
        mazl_reports=row.mazl_reports,
        mazl_school_weeks=row.mazl_school_weeks,
        mazl_consecutive_days=row.mazl_consecutive_days,
        duo_hours=row.duo_hours,
        duo_school_weeks=row.duo_school_weeks,
        lrv_school_weeks=row.lrv_school_weeks,
        pattern_count=row.pattern_count,
        pattern_school_weeks=row.pattern_school_weeks,
    )


def school_day_hours(school) -> Decimal:
    row = AttendanceSettings.objects.filter(school=school).first()
    return row.school_day_hours if row else AttendanceSettings._meta.get_field("school_day_hours").default


@dataclass(frozen=True)
class LessonSettings:
    per_lesson: bool
    lessons_per_day: int
    lesson_minutes: int


def lesson_settings(school) -> LessonSettings:
    """Whether the school registers per lesson (secondary school), with how many lessons of how long."""
    row = AttendanceSettings.objects.filter(school=school).first()
    if row is None:
        field = AttendanceSettings._meta.get_field
        return LessonSettings(False, field("lessons_per_day").default, field("lesson_minutes").default)
    return LessonSettings(row.per_lesson, row.lessons_per_day, row.lesson_minutes)


def calendar_for(school_id: int, first: date, last: date, *, with_test_days: bool = False) -> rules.Calendar:
    """The school days from the help guide's holidays; the rules also need the school's test days (one query more)."""
    holidays = SchoolHoliday.objects.filter(school_id=school_id, end__gte=first, start__lte=last)
    tests = ()
    if with_test_days:
        tests = TestDay.objects.filter(school_id=school_id, day__gte=first, day__lte=last).values_list("day", flat=True)
    return rules.Calendar(first, last, holidays.values_list("start", "end"), tests)


def _no_school_message(day: date) -> str:
    return _("Op %(day)s is er geen school (weekend of vakantie).") % {"day": date_format(day, "l j F")}


# --- test days (toetsdagen) ------------------------------------------------------------------------


def check_test_day_manager(actor: Actor, school, *, request=None) -> None:
    """Only the school's IB'er and director keep its test days; anyone else is refused, logged (pages and API)."""
    if not permissions.may_manage_test_days(actor.user, school):
        user_id = getattr(actor.user, "pk", None)
        log_event("test_days_denied", "test days refused", request=request, user_id=user_id, school_id=school.pk)
        raise PermissionDenied(_("Toetsdagen zet de IB'er of de directeur van de school in de kalender."))


def add_test_day(actor: Actor, school, *, day: date, name: str = "") -> TestDay:
    """The IB'er or director marks a test day; the pattern rule counts absence on it (docs/absence.md)."""
    check_test_day_manager(actor, school)
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationError({"name": _("Houd de omschrijving kort: hoogstens 100 tekens.")})
    if not calendar_for(school.pk, day, day).is_school_day(day):
        raise ValidationError({"day": _no_school_message(day)})
    if TestDay.objects.filter(school=school, day=day).exists():
        raise ValidationError({"day": _("%(day)s staat al als toetsdag in de kalender.") % {"day": date_format(day)}})
    return TestDay.objects.create(school=school, day=day, name=name, added_by=actor.user)


def remove_test_day(actor: Actor, test_day: TestDay) -> None:
    """Signals that were given earlier stay: they were right on the day they fired."""
    check_test_day_manager(actor, test_day.school)
    test_day.delete()


# --- sick reports -------------------------------------------------------------------------------------


def _refuse(actor: Actor, child: Child, event: str, message: str):
    log_event(event, "absence action refused", user_id=getattr(actor.user, "pk", None), child_id=child.pk)
    raise PermissionDenied(message)


def report_sick(
    actor: Actor,
    child: Child,
    *,
    period: str = "",
    until: date | None = None,
    note: str = "",
    first_day: date | None = None,
    now: datetime | None = None,
) -> tuple[SickReport, bool]:
    """Report a pupil sick from today (or yesterday, marked late). Twice for the same day gives one report.

    `period` is the page's choice (today / today and tomorrow / until better); without it, `until` is
    the last sick day (None: until better), as the API sends it. Returns the report and whether it is new."""
    authorize(actor, Action.CREATE, child, HEALTH, label=_("een ziekmelding"))
    if not permissions.may_report_sick(actor.user, child):
        _refuse(actor, child, "sick_report_denied", _("Een ziekmelding doet een ouder of de school."))
    now = timezone.localtime(now)
    today = now.date()
    first_day = first_day or today
    cal = calendar_for(child.school_id, first_day, first_day + timedelta(days=60))
    _check_sick_report(period=period, until=until, note=note, first_day=first_day, today=today, cal=cal)
    existing = next((r for r in child.sick_reports.filter(first_day__lte=first_day) if r.covers(first_day)), None)
    if existing:
        return existing, False
    last_day = {
        Period.TODAY: first_day,
        Period.TWO_DAYS: cal.next_school_day(first_day),
        Period.UNTIL_BETTER: None,
    }.get(period, until)
    late = first_day < today or (first_day == today and now.time() > SCHOOL_STARTS_AT)
    with transaction.atomic():
        report = SickReport.objects.create(
            child=child, first_day=first_day, last_day=last_day, note=note.strip(), late=late, reported_by=actor.user
        )
    evaluate_child(child, today=today)
    return report, True


def _check_sick_report(*, period, until, note, first_day, today, cal) -> None:
    errors = {}
    if period and period not in Period.CHOICES:
        errors["period"] = _("Kies hoe lang: vandaag, vandaag en morgen, of tot beter.")
    if not period and until is not None and not first_day <= until <= first_day + timedelta(days=60):
        errors["until"] = _("De laatste ziektedag ligt op of na de eerste, en hoogstens 60 dagen later.")
    if first_day < today - timedelta(days=1):
        errors["first_day"] = _(
            "Een ziekmelding kan tot één dag terug. Voor eerdere dagen: neem contact op met school."
        )
    elif first_day > today + timedelta(days=1):
        errors["first_day"] = _("Een ziekmelding begint vandaag of morgen.")
    elif not cal.is_school_day(first_day):
        errors["first_day"] = _no_school_message(first_day)
    if len(note) > 300:
        errors["note"] = _("Houd de opmerking kort: hoogstens 300 tekens.")
    if errors:
        raise ValidationError(errors)


def report_healthy(actor: Actor, report: SickReport, *, today: date | None = None) -> SickReport:
    """Back to school: the report ends the day before `today` (one tap; a second tap changes nothing)."""
    authorize(actor, Action.CHANGE, report.child, HEALTH, obj=report, label=_("een ziekmelding"))
    if not permissions.may_report_sick(actor.user, report.child):
        _refuse(actor, report.child, "sick_report_denied", _("Een ziekmelding doet een ouder of de school."))
    today = today or timezone.localdate()
    if report.healthy_on is None:
        report.healthy_on = max(today, report.first_day)
        report.save(update_fields=["healthy_on"])
    return report


def open_sick_reports(children, day: date) -> dict[int, SickReport]:
    """Per pupil the sick report that covers `day` (one query for any number of pupils)."""
    result = {}
    for report in SickReport.objects.filter(child__in=children, first_day__lte=day).order_by("first_day"):
        if report.covers(day):
            result[report.child_id] = report
    return result


# --- the register ---------------------------------------------------------------------------------------


@dataclass
class RegisterRow:
    child: Child
    reason: str
    hours: Decimal
    note: str
    sick_report: SickReport | None
    absence: Absence | None
    typed_hours: str | None = None  # what the teacher typed, when a save was refused


def register_rows(actor: Actor, children: list[Child], day: date, *, typed: dict | None = None) -> list[RegisterRow]:
    """The register for one day: present unless registered, or sick when a parent reported it.

    `typed` (child id → the posted reason, hours and note) shows a refused save again as it was typed."""
    absences = {a.child_id: a for a in Absence.objects.filter(child__in=children, day=day)}
    reports = open_sick_reports(children, day)
    rows = []
    for child in children:
        absence = absences.get(child.pk)
        report = reports.get(child.pk)
        if absence:
            rows.append(RegisterRow(child, absence.reason, absence.hours, absence.note, report, absence))
        else:
            reason = Reason.SICK if report else Reason.PRESENT
            rows.append(RegisterRow(child, reason, Decimal(0), "", report, None))
    for row in rows if typed else ():
        entry = typed.get(row.child.pk) or {}
        row.reason = entry.get("reason") or row.reason
        row.note = (entry.get("note") or "")[:300]
        row.typed_hours = (entry.get("hours") or "")[:10]
    return rows


def _parse_hours(raw, reason: str, day_hours: Decimal) -> Decimal:
    if raw in (None, ""):
        if reason == Reason.PRESENT:
            return Decimal(0)
        return Decimal("0.5") if reason == Reason.LATE else day_hours
    try:
        hours = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Vul de uren in als getal, bijvoorbeeld 2 of 1,5.")) from None
    if hours < 0 or hours > day_hours:
        raise ValidationError(
            _("Een schooldag heeft hier %(max)s lesuren; vul 0 tot en met %(max)s in.")
            % {"max": f"{day_hours.normalize():f}".replace(".", ",")}
        )
    return hours


def _check_registrar(actor: Actor, children) -> None:
    """The policy (logged) and the narrower rule: the register is the school's."""
    for child in children:
        authorize(actor, Action.CREATE, child, HEALTH, label=_("het verzuimregister"))
        if not permissions.may_register(actor.user, child):
            _refuse(actor, child, "register_denied", _("Het verzuimregister houdt de school bij."))


def _check_register_day(school, day: date) -> None:
    if not calendar_for(school.pk, day, day).is_school_day(day):
        raise ValidationError(_no_school_message(day))
    if day > timezone.localdate():
        raise ValidationError(_("U kunt alleen vandaag of eerdere dagen registreren."))


def save_register(actor: Actor, children: list[Child], day: date, entries: dict) -> int:
    """Save the register of one day. `entries`: child id → {"reason", "hours", "note"}.

    Every row is checked first; if one is wrong nothing is saved and the errors name the pupils.
    A changed row keeps its earlier version (AbsenceRevision). Returns the number of changed rows."""
    school = children[0].school if children else None
    if school is None:
        return 0
    _check_registrar(actor, children)
    if lesson_settings(school).per_lesson:
        raise ValidationError(_("Deze school registreert per lesuur: kies eerst het lesuur."), code="per_lesson")
    _check_register_day(school, day)
    cleaned = _clean_entries(children, entries, school_day_hours(school))
    with transaction.atomic():
        changed = _write_register(actor, children, day, cleaned)
    today = timezone.localdate()
    for child in children:
        if child.pk in changed:
            evaluate_child(child, today=today)
    return len(changed)


def _clean_entries(children, entries, day_hours) -> dict:
    cleaned, errors = {}, []
    for child in children:
        entry = entries.get(child.pk) or {}
        reason = entry.get("reason") or Reason.PRESENT
        try:
            if reason not in Reason.values:
                raise ValidationError(_("Kies een reden."))
            hours = _parse_hours(entry.get("hours"), reason, day_hours)
            note = (entry.get("note") or "").strip()
            if len(note) > 300:
                raise ValidationError(_("Houd de opmerking kort: hoogstens 300 tekens."))
        except ValidationError as e:
            errors.append(f"{child.first_name} {child.last_name}: {' '.join(e.messages)}")
            continue
        cleaned[child.pk] = (reason, hours, note)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _revise(current, revision_model, link: str, values: dict, user, now) -> None:
    """A correction keeps its history: the current version becomes a revision, then the new values are written
    (for the day's registration and for a lesson's alike)."""
    revision_model.objects.create(
        **{link: current},
        version=current.version,
        **{field: getattr(current, field) for field in values},
        recorded_by_id=current.recorded_by_id,
        recorded_at=current.recorded_at,
        replaced_by=user,
    )
    type(current).objects.filter(pk=current.pk).update(
        **values, recorded_by=user, recorded_at=now, version=F("version") + 1
    )


def _write_register(actor: Actor, children, day, cleaned) -> set[int]:
    existing = {a.child_id: a for a in Absence.objects.select_for_update().filter(child__in=children, day=day)}
    changed, new = set(), []
    now = timezone.now()
    for child in children:
        reason, hours, note = cleaned[child.pk]
        current = existing.get(child.pk)
        if current is None:
            if reason != Reason.PRESENT:
                new.append(Absence(child=child, day=day, reason=reason, hours=hours, note=note, recorded_by=actor.user))
                changed.add(child.pk)
            continue
        if (current.reason, current.hours, current.note) == (reason, hours, note):
            continue
        _revise(current, AbsenceRevision, "absence", {"reason": reason, "hours": hours, "note": note}, actor.user, now)
        changed.add(child.pk)
    Absence.objects.bulk_create(new)
    return changed


# --- the register per lesson (secondary school) ------------------------------------------------------


@dataclass
class LessonRow:
    child: Child
    reason: str
    note: str
    sick_report: SickReport | None
    registration: LessonAbsence | None
    earlier: list[tuple[int, str]]  # (lesson, reason label) of the pupil's earlier absent lessons that day


# A pupil who went home sick, or is on leave or suspended, stays so for the next lessons until changed.
CARRIES_OVER = {Reason.SICK, Reason.LEAVE, Reason.SUSPENSION}


def lesson_register_rows(
    children: list[Child], day: date, lesson: int, *, typed: dict | None = None
) -> list[LessonRow]:
    """The register of one lesson: present unless registered, sick when a parent reported it, or carried over
    from an earlier lesson that day (sick, leave, suspension). Two queries whatever the class size."""
    by_child: dict[int, dict[int, LessonAbsence]] = {}
    for row in LessonAbsence.objects.filter(child__in=children, day=day).order_by("lesson"):
        by_child.setdefault(row.child_id, {})[row.lesson] = row
    reports = open_sick_reports(children, day)
    rows = []
    for child in children:
        lessons = by_child.get(child.pk, {})
        earlier = [(n, Reason(r.reason).label) for n, r in lessons.items() if n < lesson and r.reason != Reason.PRESENT]
        current = lessons.get(lesson)
        if current:
            reason, note = current.reason, current.note
        else:
            before = [r for n, r in lessons.items() if n < lesson]
            carried = before[-1].reason if before and before[-1].reason in CARRIES_OVER else None
            reason = carried or (Reason.SICK if child.pk in reports else Reason.PRESENT)
            note = ""
        rows.append(LessonRow(child, reason, note, reports.get(child.pk), current, earlier))
    for row in rows if typed else ():
        entry = typed.get(row.child.pk) or {}
        row.reason = entry.get("reason") or row.reason
        row.note = (entry.get("note") or "")[:300]
    return rows


def check_lesson(lesson, settings_: LessonSettings) -> int:
    try:
        number = int(lesson)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= settings_.lessons_per_day:
        raise ValidationError(
            _("Kies een lesuur van 1 tot en met %(max)d.") % {"max": settings_.lessons_per_day}, code="lesson"
        )
    return number


def save_lesson_register(actor: Actor, children: list[Child], day: date, lesson, entries: dict) -> int:
    """Save the register of one lesson. `entries`: child id → {"reason", "note"}. Returns the changed rows.

    Checked like the day register (policy, school day, not in the future; every row first, nothing saved
    when one is wrong). A corrected lesson keeps its earlier version; the pupil's day registration is
    rolled up again from all of that day's lessons (`lessons.day_from_lessons`), with its own history."""
    school = children[0].school if children else None
    if school is None:
        return 0
    _check_registrar(actor, children)
    lessons = lesson_settings(school)
    if not lessons.per_lesson:
        raise ValidationError(_("Deze school registreert per dag, niet per lesuur."), code="per_day")
    number = check_lesson(lesson, lessons)
    _check_register_day(school, day)
    cleaned = _clean_lesson_entries(children, entries)
    with transaction.atomic():
        changed = _write_lessons(actor, children, day, number, cleaned)
        if changed:
            rolled = _roll_up_days(children, day, changed, lessons.lesson_minutes)
            _write_register(actor, [c for c in children if c.pk in changed], day, rolled)
    today = timezone.localdate()
    for child in children:
        if child.pk in changed:
            evaluate_child(child, today=today)
    return len(changed)


def _clean_lesson_entries(children, entries) -> dict:
    cleaned, errors = {}, []
    for child in children:
        entry = entries.get(child.pk) or {}
        reason = entry.get("reason") or Reason.PRESENT
        note = (entry.get("note") or "").strip()
        if reason not in Reason.values:
            errors.append(f"{child.first_name} {child.last_name}: {_('Kies een reden.')}")
        elif len(note) > 300:
            errors.append(f"{child.first_name} {child.last_name}: {_('Houd de opmerking kort: hoogstens 300 tekens.')}")
        else:
            cleaned[child.pk] = (reason, note)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write_lessons(actor: Actor, children, day, lesson: int, cleaned) -> set[int]:
    existing = {
        r.child_id: r
        for r in LessonAbsence.objects.select_for_update().filter(child__in=children, day=day, lesson=lesson)
    }
    changed, new = set(), []
    for child in children:
        reason, note = cleaned[child.pk]
        current = existing.get(child.pk)
        if current is None:
            if reason != Reason.PRESENT:
                new.append(
                    LessonAbsence(child=child, day=day, lesson=lesson, reason=reason, note=note, recorded_by=actor.user)
                )
                changed.add(child.pk)
            continue
        if (current.reason, current.note) == (reason, note):
            continue
        values = {"reason": reason, "note": note}
        _revise(current, LessonAbsenceRevision, "lesson_absence", values, actor.user, timezone.now())
        changed.add(child.pk)
    LessonAbsence.objects.bulk_create(new)
    return changed


def _roll_up_days(children, day, changed: set[int], lesson_minutes: int) -> dict:
    lessons: dict[int, dict[int, str]] = {pk: {} for pk in changed}
    for child_id, number, reason in LessonAbsence.objects.filter(child_id__in=changed, day=day).values_list(
        "child_id", "lesson", "reason"
    ):
        lessons[child_id][number] = reason
    rolled = {}
    for pk in changed:
        result = lesson_rules.day_from_lessons(lessons[pk], lesson_minutes=lesson_minutes)
        rolled[pk] = (result.reason, result.hours, result.note)
    return rolled


# --- "zorgelijk" and the next step -------------------------------------------------------------------


def flag_worry(actor: Actor, child: Child, *, note: str = "", today: date | None = None) -> Signal:
    """The teacher's or IB'er's "niet-pluis" feeling: a MAZL signal by hand (one per day)."""
    authorize(actor, Action.CHANGE, child, HEALTH, label=_("een zorgsignaal over verzuim"))
    if not permissions.may_register(actor.user, child):
        _refuse(actor, child, "signal_denied", _("Een zorgsignaal geeft de school."))
    today = today or timezone.localdate()
    note = note.strip()
    if len(note) > 300:
        raise ValidationError({"note": _("Houd de toelichting kort: hoogstens 300 tekens.")})
    candidate = Signal(
        child=child,
        school_id=child.school_id,
        rule=Rule.MAZL_WORRY,
        first_day=today,
        day=today,
        note=note,
        step=Step.CONTACT,
    )
    _store_signals([candidate], author=actor.user)
    return Signal.objects.get(child=child, rule=Rule.MAZL_WORRY, day=today)


NEXT_STEP = {
    Step.CONTACT: Step.CONVERSATION,
    Step.CONVERSATION: Step.REFERRAL,
    Step.REFERRAL: Step.ADVICE,
    Step.ADVICE: Step.MONITOR,
    Step.MONITOR: Step.DONE,
    Step.OFFICER: Step.DONE,
    Step.FILE_REPORT: Step.DONE,
}


def complete_step(actor: Actor, signal: Signal, *, note: str = "", officer=None) -> Signal:
    """Record that the proposed step was taken; the signal proposes the next one (and closes after the last).

    `officer` involves a leerplichtambtenaar (MAZL step 6 or a DUO report): from then on they see this pupil."""
    authorize(actor, Action.CHANGE, signal.child, HEALTH, obj=signal, label=_("een verzuimsignaal"))
    if not permissions.may_act_on_signal(actor.user, signal):
        _refuse(actor, signal.child, "signal_denied", _("De volgende stap zet de school."))
    if not signal.is_open:
        raise ValidationError(_("Dit signaal is al afgerond."))
    done = Step(signal.step)
    signal.step = Step.OFFICER if officer is not None else NEXT_STEP[done]
    if officer is not None:
        signal.officer = officer
    if signal.step == Step.DONE:
        signal.closed_at = timezone.now()
    signal.save(update_fields=["step", "officer", "closed_at"])
    _timeline(signal.child, actor.user, signal.day, _("Stap gezet: %(step)s.") % {"step": done.label} + _note(note))
    return signal


# MAZL step 4: the school refers to the jeugdarts, and the family's consent is asked with it.
OPEN_REFERRAL = {
    Referral.Status.WAITING_CONSENT,
    Referral.Status.SENT,
    Referral.Status.ACCEPTED,
    Referral.Status.ASSIGNED,
}


def jeugdarts_organisations():
    """Where a jeugdarts works: the active GGD's (jeugdgezondheidszorg)."""
    return CareOrganisation.objects.filter(active=True, kind=CareOrganisation.Kind.GGD)


def default_jeugdarts_question(signal: Signal) -> str:
    return _(
        "Wilt u %(name)s uitnodigen op het spreekuur van de jeugdarts, om samen te kijken wat er achter het "
        "verzuim zit en wat helpt (MAZL)?"
    ) % {"name": signal.child.first_name}


def refer_to_jeugdarts(
    actor: Actor, signal: Signal, *, organisation: CareOrganisation, question: str = "", request=None
) -> Referral:
    """Refer the pupil of a MAZL signal to the jeugdarts, from the signal itself (docs/absence.md).

    It is a referral like any other (`apps/referrals`): the family's consent for basic, support and health
    information to that GGD is asked at once from the right signers for the child's age, and the jeugdarts
    sees nothing before it is valid. The signal keeps the referral, so its page shows how far it is."""
    authorize(actor, Action.CHANGE, signal.child, HEALTH, obj=signal, label=_("een verzuimsignaal"))
    if not permissions.may_act_on_signal(actor.user, signal):
        _refuse(actor, signal.child, "signal_denied", _("De volgende stap zet de school."))
    if not signal.is_open:
        raise ValidationError(_("Dit signaal is al afgerond."))
    if signal.step != Step.REFERRAL:
        raise ValidationError(
            _("Aanmelden bij de jeugdarts is stap 4. Dit signaal staat nog op: %(step)s.")
            % {"step": Step(signal.step).label}
        )
    if signal.referral_id and signal.referral.status in OPEN_REFERRAL:
        raise ValidationError(
            _("%(name)s is al aangemeld bij %(org)s.")
            % {"name": signal.child.first_name, "org": signal.referral.organisation}
        )
    if organisation.kind != CareOrganisation.Kind.GGD:
        raise ValidationError({"organisation": _("Kies een GGD: daar werkt de jeugdarts.")})
    # Referring is the IB'er's or the coordinator's: asked here, outside the transaction, so a refusal stays logged.
    authorize(actor, Action.MANAGE_CIRCLE, signal.child, Category.SUPPORT, label=referrals.REFERRAL_ACTIONS_LABEL)
    today = timezone.localdate()
    with transaction.atomic():
        referral = referrals.refer(
            actor,
            signal.child,
            organisation=organisation,
            reason=_("Verzuimsignaal: %(rule)s (%(day)s). MAZL stap 4: aanmelden bij de jeugdarts.")
            % {"rule": Rule(signal.rule).label, "day": date_format(signal.day, "j F Y")},
            question=(question or "").strip() or default_jeugdarts_question(signal),
            tried=absence_summary(signal.child, today=today),
            categories=[HEALTH],
            request=request,
        )
        signal.referral = referral
        signal.save(update_fields=["referral"])
        _timeline(
            signal.child,
            actor.user,
            today,
            _("Aangemeld bij de jeugdarts (%(org)s). Dat gaat pas verder als de familie toestemming geeft.")
            % {"org": organisation},
        )
    return referral


def _note(note: str) -> str:
    return f" {note.strip()[:300]}" if note and note.strip() else ""


# --- running the rules -----------------------------------------------------------------------------------


@dataclass
class PupilDays:
    sick: set
    unauthorised_hours: dict
    luxe: set
    absent: set


def _pupil_days(reports, absences, today: date) -> PupilDays:
    present = {a.day for a in absences if a.reason == Reason.PRESENT}
    sick = {a.day for a in absences if a.reason == Reason.SICK}
    for r in reports:
        end = min(d for d in (r.last_day, r.healthy_on and r.healthy_on - timedelta(days=1), today) if d)
        day = r.first_day
        while day <= end:
            sick.add(day)
            day += timedelta(days=1)
    sick -= present
    hours = {a.day: a.hours for a in absences if a.reason in UNAUTHORISED}
    luxe = {a.day for a in absences if a.reason == Reason.LUXE}
    unauthorised_days = {a.day for a in absences if a.reason in (Reason.UNAUTHORISED, Reason.LUXE)}
    return PupilDays(sick, hours, luxe, sick | unauthorised_days)


def signals_for(child: Child, days: PupilDays, cal: rules.Calendar, t: rules.Thresholds) -> list[Signal]:
    """Every signal the rules give for this pupil (unsaved); storing them twice changes nothing."""

    def make(rule, first_day, day, step, **extra):
        return Signal(
            child=child, school_id=child.school_id, rule=rule, first_day=first_day, day=day, step=step, **extra
        )

    found = [make(Rule.MAZL_FREQUENT, d, d, Step.CONTACT) for d in rules.mazl_frequent(days.sick, cal, t)]
    found += [make(Rule.MAZL_LONG, a, b, Step.CONTACT) for a, b in rules.mazl_long(days.sick, cal, t)]
    for report in rules.duo_reports(days.unauthorised_hours, cal, t):
        found.append(
            make(
                Rule.DUO,
                report.first_day,
                report.last_day,
                Step.FILE_REPORT,
                hours=report.hours,
                due_on=rules.duo_deadline(report, t),
                duo_status=DuoStatus.READY,
            )
        )
    found += [
        make(Rule.LRV, a, b, Step.FILE_REPORT, due_on=b, duo_status=DuoStatus.READY)
        for a, b in rules.lrv(days.absent - days.sick, cal, t)
    ]
    found += [
        make(Rule.LUXE, d, d, Step.FILE_REPORT, due_on=d, duo_status=DuoStatus.READY)
        for d in rules.luxe(days.luxe, cal)
    ]
    for d, groups in rules.pattern_groups(days.absent, cal, t):
        weekday_too = any(g != rules.TEST_DAYS for g in groups)
        found.append(make(Rule.PATTERN, d, d, Step.CONTACT, on_test_days=not weekday_too))
    return found


def evaluate_child(child: Child, *, today: date | None = None) -> list[Signal]:
    """Run every rule for one pupil (after each new registration)."""
    today = today or timezone.localdate()
    first = today - timedelta(days=LOOKBACK_DAYS)
    cal = calendar_for(child.school_id, first, today, with_test_days=True)
    reports = list(SickReport.objects.filter(child=child, first_day__gte=first))
    absences = list(Absence.objects.filter(child=child, day__gte=first, day__lte=today))
    found = signals_for(child, _pupil_days(reports, absences, today), cal, thresholds_for(child.school))
    return _store_signals(found, author=None)


def evaluate_school(school, *, today: date | None = None) -> list[Signal]:
    """Run every rule for every pupil of a school, in a fixed number of queries (the hourly task)."""
    today = today or timezone.localdate()
    first = today - timedelta(days=LOOKBACK_DAYS)
    cal = calendar_for(school.pk, first, today, with_test_days=True)
    t = thresholds_for(school)
    children = list(Child.objects.filter(school=school, left_on__isnull=True).select_related("school"))
    reports, absences = {}, {}
    for r in SickReport.objects.filter(child__school=school, first_day__gte=first):
        reports.setdefault(r.child_id, []).append(r)
    for a in Absence.objects.filter(child__school=school, day__gte=first, day__lte=today):
        absences.setdefault(a.child_id, []).append(a)
    found = []
    for child in children:
        if child.pk in reports or child.pk in absences:
            days = _pupil_days(reports.get(child.pk, []), absences.get(child.pk, []), today)
            found += signals_for(child, days, cal, t)
    return _store_signals(found, author=None)


def _store_signals(found: list[Signal], *, author) -> list[Signal]:
    """Save the signals that are new (by pupil, rule and day), with a timeline line and a message to the family."""
    if not found:
        return []
    child_ids = {s.child_id for s in found}
    known = set(
        Signal.objects.filter(child_id__in=child_ids, day__gte=min(s.day for s in found)).values_list(
            "child_id", "rule", "day"
        )
    )
    new = [s for s in found if (s.child_id, s.rule, s.day) not in known]
    if not new:
        return []
    started = timezone.now()
    for s in new:
        s.created_at = started
        s.owner_school_id = s.school_id  # a signal is the school's own record (docs/record-owner.md)
    keys = {(s.child_id, s.rule, s.day) for s in new}
    with transaction.atomic():
        Signal.objects.bulk_create(new, ignore_conflicts=True)  # a parallel run may have stored one already
        stored = [
            s
            for s in Signal.objects.filter(
                child_id__in={s.child_id for s in new}, day__gte=min(s.day for s in new), created_at__gte=started
            ).select_related("child__user", "school")
            if (s.child_id, s.rule, s.day) in keys
        ]
        _announce(stored, author)
    return stored


def _announce(stored: list[Signal], author) -> None:
    contacts = {}
    entries = []
    guardians = _guardians_of({s.child_id for s in stored})
    schools = {}
    for signal in stored:
        signal.school = schools.setdefault(signal.school_id, signal.school)
        writer = author
        if writer is None:
            if signal.school_id not in contacts:
                contacts[signal.school_id] = school_contact(signal.school_id)
            writer = contacts[signal.school_id]
        with translation.override(settings.LANGUAGE_CODE):
            text = family_text(signal)
        if writer is not None:
            entries.append(
                TimelineEntry(
                    child=signal.child,
                    kind=Kind.SIGNAL,
                    category=HEALTH,
                    happened_on=signal.day,
                    text=text[:500],
                    author=writer,
                    owner_school_id=signal.school_id,
                )
            )
        url = reverse("attendance:child", args=[signal.child_id])
        message = family_message(signal)  # rendered in each reader's language when read (docs/languages.md)
        for user in _family_of(signal.child, guardians.get(signal.child_id, [])):
            notify(user, f"absence-signal-{signal.pk}", message, url)
    TimelineEntry.objects.bulk_create(entries)


def _family_of(child: Child, guardians: list) -> list:
    """Who in the family is told: the guardians (unless a pupil of 16+ keeps health data to themselves),
    and the pupil from 12."""
    today = timezone.localdate()
    people = list(guardians) if consent_rules.shared_with_parents(child, HEALTH, today) else []
    if child.user_id and child.age(today) >= 12:
        people.append(child.user)
    return people


def _guardians_of(child_ids) -> dict[int, list]:
    result: dict[int, list] = {}
    # Parents without gezag are told nothing automatically (BW 1:377c, docs/guardians-and-gezag.md).
    full = Guardianship.InformationMode.FULL
    for g in Guardianship.objects.filter(child_id__in=child_ids, information_mode=full).select_related("user"):
        result.setdefault(g.child_id, []).append(g.user)
    return result


def _timeline(child, author, day, text) -> None:
    TimelineEntry.objects.create(
        child=child,
        kind=Kind.SIGNAL,
        category=HEALTH,
        happened_on=day,
        text=text[:500],
        author=author,
        **owner_for_author(author, child).as_fields(),  # docs/record-owner.md
    )


# --- the conversation (MAZL step 3) and the report to DUO --------------------------------------------------

CONVERSATION_HOUR = time(15, 0)
CONVERSATION_AFTER_SCHOOL_DAYS = 3


def absence_summary(child: Child, *, today: date) -> str:
    """The overview of absence that goes with the invitation (MAZL step 3): counts, no judgement."""
    first = today - timedelta(days=LOOKBACK_DAYS)
    cal = calendar_for(child.school_id, first, today)
    reports = list(SickReport.objects.filter(child=child, first_day__gte=first))
    absences = list(Absence.objects.filter(child=child, day__gte=first, day__lte=today))
    days = _pupil_days(reports, absences, today)
    sick = rules.spells(days.sick, cal)
    hours = sum((h for d, h in days.unauthorised_hours.items() if cal.is_school_day(d)), Decimal(0))
    return _(
        "Overzicht van het verzuim: %(reports)d ziekmeldingen (%(days)d schooldagen ziek) en %(hours)s uur "
        "afwezig zonder toestemming."
    ) % {"reports": len(sick), "days": sum(len(s) for s in sick), "hours": f"{hours.normalize():f}".replace(".", ",")}


def plan_absence_conversation(actor: Actor, signal: Signal, *, now: datetime | None = None):
    """MAZL step 3 in one click: an absence conversation with the pupil and the parents with gezag,
    a few school days ahead after school, with the absence overview in its purpose. It can be moved later."""
    if not permissions.may_act_on_signal(actor.user, signal):
        _refuse(actor, signal.child, "signal_denied", _("Een gesprek over verzuim plant de school."))
    now = timezone.localtime(now)
    cal = calendar_for(signal.school_id, now.date(), now.date() + timedelta(days=60))
    day = now.date()
    for _i in range(CONVERSATION_AFTER_SCHOOL_DAYS):
        day = cal.next_school_day(day) or day + timedelta(days=1)
    starts_at = timezone.make_aware(datetime.combine(day, CONVERSATION_HOUR))
    child = signal.child
    parents = [g.user for g in child.guardianships.select_related("user") if g.has_authority]
    purpose = _("Samen kijken hoe het gaat met %(name)s. %(summary)s") % {
        "name": child.first_name,
        "summary": absence_summary(child, today=now.date()),
    }
    conversation = conversations.plan_conversation(
        actor,
        child,
        kind=ConversationKind.ABSENCE,
        purpose=purpose,
        starts_at=starts_at,
        place=_("op school"),
        participants=parents,
        now=now,
    )
    if signal.step in (Step.CONTACT, Step.CONVERSATION):
        signal.step = Step.REFERRAL
        signal.save(update_fields=["step"])
    _timeline(
        child, actor.user, now.date(), _("Gesprek gepland over het verzuim, op %(day)s.") % {"day": date_format(day)}
    )
    return conversation


def duo_fields(signal: Signal) -> list[tuple[str, str]]:
    """What DUO's verzuimregister asks for a report, filled from the signal (docs/absence.md)."""
    child, school = signal.child, signal.school
    return [
        (_("Soort verzuim"), str(signal.get_rule_display())),
        (_("BRIN en vestiging"), f"{school.brin}{school.vestiging}"),
        (_("School"), school.name),
        (_("Leerling"), f"{child.first_name} {child.last_name}"),
        (_("Geboortedatum"), date_format(child.date_of_birth)),
        (_("Leerlingnummer"), child.las_key or "—"),
        (_("Eerste verzuimdag"), date_format(signal.first_day)),
        (_("Laatste verzuimdag"), date_format(signal.day)),
        (_("Uren ongeoorloofd"), texts_hours(signal.hours)),
        (_("Uiterlijk melden op"), date_format(signal.due_on) if signal.due_on else "—"),
        (_("Status"), str(signal.get_duo_status_display() or "—")),
    ]


DUO_CSV_FIELDS = (
    "soort",
    "brin",
    "school",
    "leerling",
    "geboortedatum",
    "leerlingnummer",
    "eerste_dag",
    "laatste_dag",
    "uren",
    "uiterlijk",
    "status",
    "status_sinds",
    "kenmerk",
)


def duo_csv(signal: Signal) -> str:
    """The same report as one CSV row (`;`, Dutch headers, ISO dates), for the school's LAS or dossier.

    Cells that a spreadsheet would read as a formula (`= + - @`) get a leading `'`."""
    child, school = signal.child, signal.school
    values = [
        str(signal.get_rule_display()),
        f"{school.brin}{school.vestiging}",
        school.name,
        f"{child.first_name} {child.last_name}",
        child.date_of_birth.isoformat() if child.date_of_birth else "",
        child.las_key or "",
        signal.first_day.isoformat(),
        signal.day.isoformat(),
        texts_hours(signal.hours) if signal.hours is not None else "",
        signal.due_on.isoformat() if signal.due_on else "",
        str(signal.get_duo_status_display()),
        signal.duo_status_on.isoformat() if signal.duo_status_on else "",
        signal.duo_reference,
    ]
    headers = [str(label) for label, _value in duo_fields(signal)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*headers[:11], _("Status sinds"), _("Kenmerk bij DUO")])
    writer.writerow([f"'{v}" if v[:1] in ("=", "+", "-", "@") else v for v in values])
    return out.getvalue()


def open_duo_report(actor: Actor, signal: Signal) -> Signal:
    """Reading the report (page, CSV or API) is an export of health data for the school, a read for the
    involved leerplichtambtenaar; the family reads the signal itself. A signal that is no report: ValidationError."""
    authorize(actor, Action.VIEW, signal.child, HEALTH, obj=signal, label=_("een verzuimsignaal"))
    if signal.officer_id != getattr(actor.user, "pk", None):
        authorize(actor, Action.EXPORT, signal.child, HEALTH, obj=signal, label=_("een melding voor DUO"))
    # The involved leerplichtambtenaar reads the report through the signal (a read, as PURPOSE_GRANTS allow).
    if not permissions.may_act_on_signal(actor.user, signal):
        _refuse(
            actor, signal.child, "signal_denied", _("De melding voor DUO is voor de school en de leerplichtambtenaar.")
        )
    if not signal.duo_status:
        raise ValidationError(_("Dit signaal is geen melding voor DUO."))
    return signal


def duo_next_statuses(user, signal: Signal) -> list:
    """The statuses this person may give the report now (DUO's order, docs/absence.md)."""
    if signal.rule not in DUO_RULES or not signal.duo_status:
        return []
    return [
        DuoStatus(s)
        for s in DUO_TRANSITIONS.get(signal.duo_status, ())
        if permissions.may_set_duo_status(user, signal, s)
    ]


def set_duo_status(
    actor: Actor, signal: Signal, status: str, *, reference: str = "", today: date | None = None
) -> Signal:
    """Record the report's status in DUO's verzuimregister. Filing ("geregistreerd") completes the step
    "melding doen bij DUO" and the school goes on to follow attendance; a final status closes the signal."""
    # The involved leerplichtambtenaar reads the pupil through this signal and records the municipality's part.
    action = Action.VIEW if signal.officer_id == getattr(actor.user, "pk", None) else Action.CHANGE
    authorize(actor, action, signal.child, HEALTH, obj=signal, label=_("een melding voor DUO"))
    if signal.rule not in DUO_RULES or not signal.duo_status:
        raise ValidationError(_("Dit signaal is geen melding voor DUO."))
    if status not in DuoStatus.values or status not in DUO_TRANSITIONS.get(signal.duo_status, ()):
        raise ValidationError(
            _("Een melding met de status “%(now)s” kan niet “%(new)s” worden.")
            % {
                "now": signal.get_duo_status_display(),
                "new": DuoStatus(status).label if status in DuoStatus.values else status,
            }
        )
    if not permissions.may_set_duo_status(actor.user, signal, status):
        _refuse(actor, signal.child, "signal_denied", _("Deze status van een melding zet de school of de gemeente."))
    reference = (reference or "").strip()
    if len(reference) > 40:
        raise ValidationError({"reference": _("Het kenmerk is hoogstens 40 tekens.")})
    today = today or timezone.localdate()
    signal.duo_status, signal.duo_status_on = status, today
    if reference:
        signal.duo_reference = reference
    if status == DuoStatus.REGISTERED and signal.step == Step.FILE_REPORT:
        signal.step = Step.MONITOR
    if status in DUO_FINAL:
        signal.step, signal.closed_at = Step.DONE, timezone.now()
    signal.save(update_fields=["duo_status", "duo_status_on", "duo_reference", "step", "closed_at"])
    text = _("Melding bij DUO: %(status)s.") % {"status": DuoStatus(status).label}
    _timeline(signal.child, actor.user, today, text)
    return signal


def texts_hours(hours) -> str:
    return f"{hours.normalize():f}".replace(".", ",") if hours is not None else "—"


# --- leave requests (verlof) -------------------------------------------------------------------------------


def request_leave(
    actor: Actor, child: Child, *, kind: str, first_day: date, last_day: date, reason: str, today: date | None = None
) -> LeaveRequest:
    """A parent asks for leave. Days in a school holiday need no leave; holiday leave never in the first two
    weeks of the school year and once a year; more than 10 school days in the year go to the leerplichtambtenaar."""
    authorize(actor, Action.CREATE, child, HEALTH, label=_("een verlofaanvraag"))
    if not permissions.may_request_leave(actor.user, child):
        _refuse(actor, child, "leave_denied", _("Verlof vraagt een ouder met gezag aan."))
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    errors = {}
    if kind not in LeaveRequest.Kind.values:
        errors["kind"] = _("Kies de soort verlof.")
    if not reason:
        errors["reason"] = _("Schrijf kort op waarom u verlof vraagt.")
    if first_day is None or last_day is None or last_day < first_day:
        errors["last_day"] = _("De laatste dag ligt op of na de eerste dag.")
    elif first_day < today:
        errors["first_day"] = _("Verlof vraagt u vooraf aan.")
    if errors:
        raise ValidationError(errors)
    cal = calendar_for(child.school_id, first_day - timedelta(days=LOOKBACK_DAYS), last_day)
    holidays = SchoolHoliday.objects.filter(school_id=child.school_id, start__lte=last_day, end__gte=first_day)
    if holidays.exists():
        raise ValidationError(
            {
                "first_day": _("Deze dagen vallen (deels) in de %(name)s. Kies alleen schooldagen.")
                % {"name": holidays[0].name}
            }
        )
    days = cal.count(first_day, last_day)
    if days == 0:
        raise ValidationError(
            {"first_day": _("In deze periode zijn er geen schooldagen; u hoeft geen verlof te vragen.")}
        )
    year_start = rules.school_year_start(cal, first_day)
    earlier = LeaveRequest.objects.filter(child=child, first_day__gte=year_start, status=LeaveRequest.Status.GRANTED)
    if kind == LeaveRequest.Kind.HOLIDAY:
        if rules.in_first_two_weeks(first_day, cal):
            raise ValidationError(
                {"first_day": _("Vakantieverlof kan niet in de eerste twee weken van het schooljaar.")}
            )
        if earlier.filter(kind=LeaveRequest.Kind.HOLIDAY).exists():
            raise ValidationError({"kind": _("Vakantieverlof kan één keer per schooljaar.")})
    used = sum(earlier.values_list("school_days", flat=True))
    status, officer = LeaveRequest.Status.PENDING, None
    if rules.leave_decided_by(used, days) == "officer":
        status, officer = LeaveRequest.Status.FORWARDED, _officer_for(child)
    leave = LeaveRequest.objects.create(
        child=child,
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        school_days=days,
        reason=reason,
        status=status,
        officer=officer,
        requested_by=actor.user,
    )
    _timeline(child, actor.user, first_day, _("Verlof aangevraagd: %(days)d schooldagen.") % {"days": days})
    return leave


def _officer_for(child: Child):
    """The leerplichtambtenaar who decides: one in the pupil's circle, else the first one registered."""
    member = child.circle.filter(user__memberships__role=Role.ATTENDANCE_OFFICER).select_related("user").first()
    if member:
        return member.user
    m = Membership.objects.filter(role=Role.ATTENDANCE_OFFICER, active=True).select_related("user").first()
    return m.user if m else None


def decide_leave(actor: Actor, leave: LeaveRequest, *, grant: bool, reason: str) -> LeaveRequest:
    """The director (up to 10 days) or the leerplichtambtenaar (beyond) decides, with a reason the parents see."""
    action = Action.VIEW if leave.officer_id == actor.user.pk else Action.CHANGE
    authorize(actor, action, leave.child, HEALTH, obj=leave, label=_("een verlofaanvraag"))
    if not permissions.may_decide_leave(actor.user, leave):
        _refuse(
            actor, leave.child, "leave_denied", _("Over dit verlof beslist de directeur of de leerplichtambtenaar.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf de reden van het besluit op; de ouders lezen die.")})
    leave.status = LeaveRequest.Status.GRANTED if grant else LeaveRequest.Status.REFUSED
    leave.decided_by, leave.decided_at, leave.decision_reason = actor.user, timezone.now(), reason[:500]
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    text = _("Verlof %(status)s: %(reason)s") % {"status": leave.get_status_display(), "reason": reason}
    _timeline(leave.child, actor.user, leave.first_day, text)
    # Each parent reads the decision in their own language (docs/languages.md); the reason is the director's words.
    message = Text(
        gettext_noop("Verlof %(status)s: %(reason)s"), status=LeaveRequest.Status(leave.status).label, reason=reason
    )
    for g in leave.child.guardianships.select_related("user"):
        notify(g.user, f"leave-{leave.pk}", message, reverse("attendance:child", args=[leave.child_id]))
    return leave
