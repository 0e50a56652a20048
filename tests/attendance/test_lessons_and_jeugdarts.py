"""Issue 11, the last two parts: the register per lesson (secondary school) and MAZL step 4, the referral to
the jeugdarts made from the signal itself with the family's consent (docs/absence.md)."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.access.policy import Action, decide
from apps.attendance import services
from apps.attendance.lessons import day_from_lessons
from apps.attendance.models import (
    Absence,
    AbsenceRevision,
    AttendanceSettings,
    LessonAbsence,
    LessonAbsenceRevision,
    Reason,
    Rule,
    Signal,
    Step,
)
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Category
from apps.organisations.models import CareOrganisation, Membership, Role
from apps.referrals.models import Referral
from apps.timeline.models import TimelineEntry
from tests.factories import CareOrganisationFactory, ChildFactory, SchoolFactory, staff

pytestmark = pytest.mark.django_db
TUESDAY = date(2026, 10, 6)
R = Reason


# --- the day from its lessons (plain function) ----------------------------------------------------------------


def test_a_day_without_absent_lessons_is_present():
    result = day_from_lessons({1: R.PRESENT, 2: R.PRESENT}, lesson_minutes=50)
    assert (result.reason, result.hours, result.note) == (R.PRESENT, Decimal(0), "")


def test_sick_lessons_make_a_sick_day_with_their_hours():
    result = day_from_lessons({3: R.SICK, 4: R.SICK, 5: R.SICK}, lesson_minutes=50)
    assert result.reason == R.SICK and result.hours == Decimal("2.50")
    assert result.note == "lesuur 3, 4, 5: ziek"


def test_only_unauthorised_lessons_count_for_the_day_when_there_are_any():
    # two lessons ongeoorloofd and one sick: the day is "ongeoorloofd" with the hours of those two only,
    # because only they count for DUO's 16 hours
    result = day_from_lessons({1: R.SICK, 2: R.UNAUTHORISED, 3: R.UNAUTHORISED}, lesson_minutes=60)
    assert result.reason == R.UNAUTHORISED and result.hours == Decimal("2.00")
    assert "lesuur 2, 3: ongeoorloofd afwezig" in result.note and "lesuur 1: ziek" in result.note


def test_late_counts_half_an_hour_and_luxe_names_the_day():
    assert day_from_lessons({1: R.LATE, 4: R.LATE}, lesson_minutes=50).hours == Decimal("1.0")
    result = day_from_lessons({1: R.LATE, 2: R.LUXE, 3: R.UNAUTHORISED}, lesson_minutes=50)
    assert result.reason == R.LUXE and result.hours == Decimal("2.17")  # 100 minutes and half an hour


def test_the_most_common_authorised_reason_names_the_day():
    result = day_from_lessons({1: R.MEDICAL, 2: R.LEAVE, 3: R.LEAVE}, lesson_minutes=50)
    assert result.reason == R.LEAVE and result.hours == Decimal("2.50")


# --- the register per lesson -------------------------------------------------------------------------------


@pytest.fixture
def secondary(school):
    return AttendanceSettings.objects.create(school=school, per_lesson=True, lessons_per_day=8, lesson_minutes=50)


def lesson_url(group, day=TUESDAY, lesson=1):
    return reverse("attendance:register", args=[group.pk]) + f"?dag={day.isoformat()}&les={lesson}"


def test_the_teacher_registers_one_lesson_and_the_day_follows(morning, secondary, group, child, teacher, login):
    client = login(teacher)
    page = client.get(lesson_url(group, lesson=3)).content.decode()
    assert "Lesuur 3" in page and 'aria-current="page"' in page
    response = client.post(
        reverse("attendance:register", args=[group.pk]),
        {"dag": TUESDAY.isoformat(), "les": "3", f"reden-{child.pk}": R.UNAUTHORISED},
    )
    assert response.status_code == 302 and "les=4" in response["Location"]  # on to the next lesson
    lesson = LessonAbsence.objects.get()
    assert (lesson.lesson, lesson.reason, lesson.recorded_by) == (3, R.UNAUTHORISED, teacher)
    day = Absence.objects.get(child=child, day=TUESDAY)
    assert day.reason == R.UNAUTHORISED and day.hours == Decimal("0.83")
    assert day.note == "lesuur 3: ongeoorloofd afwezig"


def test_a_correction_keeps_the_lesson_and_the_day_history(morning, secondary, group, child, teacher, ib):
    services.save_lesson_register(Actor(teacher), [child], TUESDAY, 2, {child.pk: {"reason": R.UNAUTHORISED}})
    services.save_lesson_register(Actor(ib), [child], TUESDAY, 2, {child.pk: {"reason": R.PRESENT}})
    lesson = LessonAbsence.objects.get()
    assert (lesson.reason, lesson.version, lesson.recorded_by) == (R.PRESENT, 2, ib)
    old = LessonAbsenceRevision.objects.get()
    assert (old.reason, old.recorded_by, old.replaced_by) == (R.UNAUTHORISED, teacher, ib)
    day = Absence.objects.get()
    assert (day.reason, day.hours) == (R.PRESENT, Decimal(0))
    assert AbsenceRevision.objects.get().reason == R.UNAUTHORISED


def test_lessons_add_up_to_the_duo_signal(morning, secondary, group, child, teacher):
    # 4 unauthorised lessons of 50 minutes on five school days: 20 lessons, 16.67 hours within 4 school weeks
    days = [date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5)]
    for day in days:
        for lesson in (1, 2, 3, 4):
            services.save_lesson_register(Actor(teacher), [child], day, lesson, {child.pk: {"reason": R.UNAUTHORISED}})
    assert Absence.objects.filter(child=child).count() == 5
    assert Absence.objects.get(child=child, day=days[-1]).hours == Decimal("3.33")
    assert Signal.objects.filter(child=child, rule=Rule.DUO).exists()


def test_a_pupil_who_went_home_sick_stays_sick_for_the_next_lessons(morning, secondary, group, child, teacher, login):
    services.save_lesson_register(Actor(teacher), [child], TUESDAY, 2, {child.pk: {"reason": R.SICK}})
    rows = services.lesson_register_rows([child], TUESDAY, 3)
    assert rows[0].reason == R.SICK and rows[0].registration is None
    assert rows[0].earlier == [(2, "ziek")]
    page = login(teacher).get(lesson_url(group, lesson=3)).content.decode()
    assert "eerder vandaag:" in page and "2e uur ziek" in page


def test_a_lesson_that_does_not_exist_gets_a_dutch_message_and_saves_nothing(
    morning, secondary, group, child, teacher, login
):
    client = login(teacher)
    assert "Kies een lesuur van 1 tot en met 8." in client.get(lesson_url(group, lesson=9)).content.decode()
    response = client.post(
        reverse("attendance:register", args=[group.pk]),
        {"dag": TUESDAY.isoformat(), "les": "negen", f"reden-{child.pk}": R.SICK, f"opmerking-{child.pk}": "buikpijn"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Kies een lesuur van 1 tot en met 8." in page
    assert 'value="buikpijn"' in page  # shown again as typed
    assert not LessonAbsence.objects.exists()


def test_a_per_lesson_school_does_not_take_a_day_register(morning, secondary, child, teacher):
    with pytest.raises(ValidationError, match="per lesuur"):
        services.save_register(Actor(teacher), [child], TUESDAY, {child.pk: {"reason": R.SICK}})
    assert not Absence.objects.exists()


def test_a_primary_school_does_not_take_a_lesson_register(morning, child, teacher):
    with pytest.raises(ValidationError, match="per dag"):
        services.save_lesson_register(Actor(teacher), [child], TUESDAY, 1, {child.pk: {"reason": R.SICK}})


def test_a_parent_or_another_schools_teacher_cannot_register_a_lesson_and_is_logged(
    morning, secondary, child, parent, caplog
):
    with caplog.at_level(logging.INFO), pytest.raises(PermissionDenied):
        services.save_lesson_register(Actor(parent), [child], TUESDAY, 1, {child.pk: {"reason": R.PRESENT}})
    assert any(getattr(r, "event", "") == "register_denied" for r in caplog.records)
    outsider = staff(Role.TEACHER, school=SchoolFactory())
    with pytest.raises(PermissionDenied):
        services.save_lesson_register(Actor(outsider), [child], TUESDAY, 1, {child.pk: {"reason": R.SICK}})
    entry = AccessLogEntry.objects.filter(actor_id=outsider.pk, child_id=child.pk).latest("pk")
    assert not entry.allowed and entry.category == Category.HEALTH
    assert not LessonAbsence.objects.exists()


def test_a_lesson_on_a_weekend_gets_a_dutch_message(morning, secondary, child, teacher):
    with pytest.raises(ValidationError, match="geen school"):
        services.save_lesson_register(Actor(teacher), [child], date(2026, 10, 4), 1, {child.pk: {"reason": R.SICK}})


def test_the_lesson_register_costs_the_same_queries_for_3_or_30_pupils(morning, secondary, group, teacher, login):
    client = login(teacher)
    ChildFactory.create_batch(3, group=group, school=group.school)
    client.get(lesson_url(group, lesson=2))
    with CaptureQueriesContext(connection) as few:
        client.get(lesson_url(group, lesson=2))
    ChildFactory.create_batch(27, group=group, school=group.school)
    with CaptureQueriesContext(connection) as many:
        client.get(lesson_url(group, lesson=2))
    assert len(many) == len(few)


# --- MAZL step 4: the jeugdarts, from the signal ---------------------------------------------------------------


@pytest.fixture
def ggd(db):
    ggd = CareOrganisationFactory(name="GGD Regio", kind=CareOrganisation.Kind.GGD)
    staff(Role.DOCTOR, organisation=ggd)
    return ggd


@pytest.fixture
def at_referral(morning, child, teacher, ib):
    signal = services.flag_worry(Actor(teacher), child)
    services.complete_step(Actor(ib), signal)  # contact
    services.complete_step(Actor(ib), signal)  # conversation
    signal.refresh_from_db()
    assert signal.step == Step.REFERRAL
    return signal


def test_the_ib_refers_to_the_jeugdarts_from_the_signal_and_the_family_is_asked(
    at_referral, ggd, child, parent, ib, login
):
    client = login(ib)
    page = client.get(reverse("attendance:signals")).content.decode()
    assert "Aanmelden bij de jeugdarts" in page and "GGD Regio" in page
    response = client.post(
        reverse("attendance:jeugdarts", args=[at_referral.pk]),
        {f"s{at_referral.pk}-organisation": ggd.pk, f"s{at_referral.pk}-question": ""},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.child, referral.organisation, referral.status) == (child, ggd, Referral.Status.WAITING_CONSENT)
    assert set(referral.consent.scopes.values_list("category", flat=True)) == {
        Category.BASIC,
        Category.SUPPORT,
        Category.HEALTH,
    }
    assert "spreekuur van de jeugdarts" in referral.question and "ziekmeldingen" in referral.tried
    at_referral.refresh_from_db()
    assert at_referral.referral == referral
    assert TimelineEntry.objects.filter(child=child, text__startswith="Aangemeld bij de jeugdarts").exists()
    page = client.get(reverse("attendance:signals")).content.decode()
    assert "Aangemeld bij de jeugdarts (GGD Regio): wacht op toestemming." in page
    # the jeugdarts sees nothing until the family consents; then the referral is sent
    doctor = Membership.objects.get(organisation=ggd).user
    assert not decide(doctor, Action.VIEW, child, Category.HEALTH).allowed
    consent_services.sign(referral.consent, parent)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


def test_a_teacher_is_not_offered_the_referral_and_is_refused_and_logged(at_referral, ggd, teacher, login):
    client = login(teacher)
    assert "Aanmelden en toestemming vragen" not in client.get(reverse("attendance:signals")).content.decode()
    url = reverse("attendance:jeugdarts", args=[at_referral.pk])
    assert client.post(url, {f"s{at_referral.pk}-organisation": ggd.pk}).status_code == 403
    refused = AccessLogEntry.objects.filter(actor_id=teacher.pk, allowed=False)
    assert [e.category for e in refused] == [Category.SUPPORT]  # referring: the circle's support, refused
    assert not Referral.objects.exists()


def test_referring_before_step_four_twice_or_to_a_cjg_gets_a_dutch_message(morning, child, teacher, ib, ggd):
    signal = services.flag_worry(Actor(teacher), child)
    with pytest.raises(ValidationError, match="stap 4"):
        services.refer_to_jeugdarts(Actor(ib), signal, organisation=ggd)
    services.complete_step(Actor(ib), signal)
    services.complete_step(Actor(ib), signal)
    cjg = CareOrganisationFactory(kind=CareOrganisation.Kind.CJG)
    with pytest.raises(ValidationError, match="Kies een GGD"):
        services.refer_to_jeugdarts(Actor(ib), signal, organisation=cjg)
    services.refer_to_jeugdarts(Actor(ib), signal, organisation=ggd)
    with pytest.raises(ValidationError, match="al aangemeld bij GGD Regio"):
        services.refer_to_jeugdarts(Actor(ib), signal, organisation=ggd)
    assert Referral.objects.count() == 1


def test_the_api_refers_to_the_jeugdarts_with_the_same_rules(at_referral, ggd, ib, parent, api):
    url = f"/api/v1/signals/{at_referral.pk}/jeugdarts/"
    cjg = CareOrganisationFactory(kind=CareOrganisation.Kind.CJG)
    bad = api(ib).post(url, {"organisation": cjg.pk}, format="json")
    assert bad.status_code == 400 and "Kies een GGD" in bad.content.decode()
    assert api(parent).post(url, {"organisation": ggd.pk}, format="json").status_code == 403
    response = api(ib).post(url, {"organisation": ggd.pk, "question": "Graag een afspraak."}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == Referral.Status.WAITING_CONSENT and body["organisation"] == "GGD Regio"
    assert Referral.objects.get().question == "Graag een afspraak."
