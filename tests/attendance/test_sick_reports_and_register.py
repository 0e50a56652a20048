"""Sick reports, the class register and the signals they lead to, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.attendance import services
from apps.attendance.models import Absence, AbsenceRevision, Reason, Rule, SickReport, Signal
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.helpguide.models import SchoolHoliday
from apps.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db
TUESDAY = date(2026, 10, 6)


def test_a_parent_reports_sick_for_today_and_tomorrow(morning, child, parent):
    report, created = services.report_sick(Actor(parent), child, period=services.Period.TWO_DAYS, note="koorts")
    assert created and report.first_day == TUESDAY and report.last_day == date(2026, 10, 7)
    assert not report.late


def test_today_and_tomorrow_on_a_friday_ends_on_monday(morning, child, parent):
    morning.move_to("2026-10-09 07:30+02:00")
    report, _ = services.report_sick(Actor(parent), child, period=services.Period.TWO_DAYS)
    assert report.last_day == date(2026, 10, 12)


def test_reporting_twice_for_the_same_day_gives_one_report(morning, child, parent):
    services.report_sick(Actor(parent), child, period=services.Period.UNTIL_BETTER)
    report, created = services.report_sick(Actor(parent), child, period=services.Period.TODAY)
    assert not created and SickReport.objects.count() == 1 and report.last_day is None


def test_a_report_after_school_starts_is_accepted_and_marked_late(morning, child, parent):
    morning.move_to("2026-10-06 10:15+02:00")
    report, _ = services.report_sick(Actor(parent), child, period=services.Period.TODAY)
    assert report.late


def test_yesterday_is_accepted_as_late_but_earlier_is_refused(morning, child, parent):
    yesterday = TUESDAY - timedelta(days=1)
    report, _ = services.report_sick(Actor(parent), child, period=services.Period.TODAY, first_day=yesterday)
    assert report.late
    with pytest.raises(ValidationError) as e:
        services.report_sick(Actor(parent), child, period=services.Period.TODAY, first_day=TUESDAY - timedelta(days=2))
    assert "tot één dag terug" in str(e.value)


def test_a_sick_report_on_a_holiday_is_refused_with_a_clear_message(morning, child, parent, school):
    SchoolHoliday.objects.create(school=school, name="Herfstvakantie", start=TUESDAY, end=TUESDAY + timedelta(4))
    with pytest.raises(ValidationError) as e:
        services.report_sick(Actor(parent), child, period=services.Period.TODAY)
    assert "geen school" in str(e.value)
    assert not SickReport.objects.exists()


def test_a_sick_report_for_someone_elses_child_is_refused_and_logged(morning, child, stranger):
    with pytest.raises(PermissionDenied):
        services.report_sick(Actor(stranger), child, period=services.Period.TODAY)
    entry = AccessLogEntry.objects.get(child_id=child.pk, actor_id=stranger.pk)
    assert not entry.allowed and entry.category == "health"
    assert not SickReport.objects.exists()


def test_back_healthy_in_one_tap_ends_the_report(morning, child, parent):
    report, _ = services.report_sick(Actor(parent), child, period=services.Period.UNTIL_BETTER)
    morning.move_to("2026-10-08 07:30+02:00")
    services.report_healthy(Actor(parent), report)
    report.refresh_from_db()
    assert report.healthy_on == date(2026, 10, 8) and not report.covers(date(2026, 10, 8))


def test_the_teacher_sees_the_sick_report_in_the_register_at_once(morning, child, parent, teacher):
    services.report_sick(Actor(parent), child, period=services.Period.TODAY)
    rows = services.register_rows(Actor(teacher), [child], TUESDAY)
    assert rows[0].reason == Reason.SICK and rows[0].sick_report is not None


def test_a_correction_in_the_register_keeps_the_earlier_version(morning, child, teacher, ib):
    services.save_register(Actor(teacher), [child], TUESDAY, {child.pk: {"reason": "unauthorised", "hours": ""}})
    absence = Absence.objects.get()
    assert absence.hours == Decimal("5.50")
    services.save_register(Actor(ib), [child], TUESDAY, {child.pk: {"reason": "medical", "hours": "2"}})
    absence.refresh_from_db()
    assert (absence.reason, absence.hours, absence.version) == ("medical", 2, 2)
    revision = AbsenceRevision.objects.get()
    assert (revision.reason, revision.recorded_by_id, revision.replaced_by_id) == ("unauthorised", teacher.pk, ib.pk)


def test_an_hour_count_over_the_school_day_is_refused_and_nothing_is_saved(morning, child, teacher):
    with pytest.raises(ValidationError) as e:
        services.save_register(Actor(teacher), [child], TUESDAY, {child.pk: {"reason": "unauthorised", "hours": "9"}})
    assert "Noor" in str(e.value) and "5,5" in str(e.value)
    assert not Absence.objects.exists()


def test_a_registration_on_a_weekend_is_refused(morning, child, teacher):
    with pytest.raises(ValidationError) as e:
        services.save_register(Actor(teacher), [child], date(2026, 10, 4), {child.pk: {"reason": "sick"}})
    assert "geen school" in str(e.value)


def test_a_parent_cannot_keep_the_register(morning, child, parent):
    with pytest.raises(PermissionDenied):
        services.save_register(Actor(parent), [child], TUESDAY, {child.pk: {"reason": "present"}})
    assert not Absence.objects.exists()


def test_a_teacher_of_another_class_is_refused_and_logged(morning, child, school):
    from apps.organisations.models import Role
    from tests.factories import GroupFactory, staff

    other = staff(Role.TEACHER, school=school, groups=[GroupFactory(school=school)])
    with pytest.raises(PermissionDenied):
        services.save_register(Actor(other), [child], TUESDAY, {child.pk: {"reason": "sick"}})
    assert AccessLogEntry.objects.filter(actor_id=other.pk, allowed=False).exists()


def _sick_on(child, parent, morning, days):
    for day in days:
        morning.move_to(f"{day.isoformat()} 07:30+02:00")
        services.report_sick(Actor(parent), child, period=services.Period.TODAY)


def test_the_fourth_sick_report_in_twelve_weeks_becomes_a_signal_the_family_reads(morning, child, parent, ib):
    days = [date(2026, 9, 1), date(2026, 9, 16), date(2026, 10, 8), date(2026, 11, 2)]  # not one weekday
    _sick_on(child, parent, morning, days[:3])
    assert not Signal.objects.exists()
    _sick_on(child, parent, morning, days[3:])
    signal = Signal.objects.get()
    assert (signal.rule, signal.day) == (Rule.MAZL_FREQUENT, days[3])
    entry = TimelineEntry.objects.get(kind="signal")
    assert entry.category == "health"
    assert entry.text.startswith("Noor is dit schooljaar 4 keer ziek gemeld in 12 weken.")
    assert parent.notifications.filter(text__startswith="Noor is dit schooljaar 4 keer").exists()


def test_running_the_rules_again_creates_nothing_new(morning, child, parent, ib, school):
    _sick_on(child, parent, morning, [date(2026, 9, 1), date(2026, 9, 16), date(2026, 10, 8), date(2026, 11, 2)])
    assert services.evaluate_school(school) == []
    assert services.evaluate_child(child) == []
    assert Signal.objects.count() == 1 and TimelineEntry.objects.filter(kind="signal").count() == 1


def test_sixteen_unauthorised_hours_give_a_duo_report_with_a_deadline(morning, child, teacher, ib):
    for day in (date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5)):
        services.save_register(Actor(teacher), [child], day, {child.pk: {"reason": "unauthorised", "hours": "5,5"}})
    signal = Signal.objects.get(rule=Rule.DUO)
    assert (signal.first_day, signal.day, signal.hours) == (date(2026, 10, 1), date(2026, 10, 5), Decimal("16.5"))
    assert signal.due_on == date(2026, 10, 12) and signal.duo_status == "ready"


def test_luxe_verzuim_is_a_signal_at_once(morning, child, teacher, ib):
    services.save_register(Actor(teacher), [child], TUESDAY, {child.pk: {"reason": "luxe"}})
    assert Signal.objects.filter(rule=Rule.LUXE, day=TUESDAY).exists()


def test_the_teacher_flags_worry_and_the_ib_takes_the_steps(morning, child, parent, teacher, ib):
    signal = services.flag_worry(Actor(teacher), child, note="Stil en moe")
    assert signal.rule == Rule.MAZL_WORRY and signal.step == 2
    services.complete_step(Actor(ib), signal, note="Moeder gebeld")
    signal.refresh_from_db()
    assert signal.step == 3
    assert TimelineEntry.objects.filter(text__startswith="Stap gezet").exists()


def test_a_parent_cannot_take_a_step_on_a_signal(morning, child, parent, teacher):
    signal = services.flag_worry(Actor(teacher), child)
    with pytest.raises(PermissionDenied):
        services.complete_step(Actor(parent), signal)


def test_one_click_plans_the_absence_conversation_with_the_overview(morning, child, parent, teacher, ib):
    signal = services.flag_worry(Actor(teacher), child)
    conversation = services.plan_absence_conversation(Actor(ib), signal)
    assert conversation.kind == "absence" and "Overzicht van het verzuim" in conversation.purpose
    assert conversation.participants.filter(user=parent).exists()
    signal.refresh_from_db()
    assert signal.step == 4
