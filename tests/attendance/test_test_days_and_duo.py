"""Test days in the pattern rule, and the report to DUO (CSV and its statuses): rules, pages, access."""

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.attendance import services
from apps.attendance import signals as rules
from apps.attendance.models import DuoStatus, Rule, Signal, Step
from apps.attendance.models import TestDay as SchoolTestDay
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.helpguide.models import SchoolHoliday
from apps.organisations.models import Role
from apps.timeline.models import TimelineEntry
from tests.factories import SchoolFactory, staff

START = date(2026, 8, 31)  # a Monday
END = date(2027, 7, 9)
TUESDAY = date(2026, 10, 6)


def cal(holidays=(), test_days=()):
    return rules.Calendar(START, END, holidays, test_days)


# --- the rule at its boundaries ---------------------------------------------------------------------


def test_three_test_days_on_different_weekdays_within_six_school_weeks_are_a_pattern():
    c = cal(test_days=[c_day := date(2026, 9, 7), date(2026, 9, 16), date(2026, 10, 8)])  # Mon, Wed, Thu
    tests = sorted(c.test_days)
    assert c_day in tests
    assert rules.pattern(tests[:2], c) == []
    assert rules.pattern(tests, c) == [tests[2]]
    assert rules.pattern_groups(tests, c) == [(tests[2], (rules.TEST_DAYS,))]


def test_test_days_spread_over_more_than_six_school_weeks_are_not_a_pattern():
    c0 = cal()
    first = c0.days[0]
    last_inside, first_outside = c0.days[29], c0.days[30]  # 30 school days is the window
    assert rules.pattern([first, c0.days[10], last_inside], cal(test_days=[first, c0.days[10], last_inside])) != []
    outside = cal(test_days=[first, c0.days[10], first_outside])
    assert rules.pattern([first, c0.days[10], first_outside], outside) == []


def test_a_test_day_in_a_holiday_or_weekend_does_not_count():
    holiday = (date(2026, 10, 19), date(2026, 10, 23))
    c = cal([holiday], test_days=[date(2026, 10, 20), date(2026, 10, 24), date(2026, 10, 26)])
    assert c.test_days == {date(2026, 10, 26)}


def test_a_long_illness_over_test_days_is_not_a_pattern():
    c0 = cal()
    days = c0.days[:9]
    c = cal(test_days=[days[1], days[4], days[7]])
    assert rules.pattern(days, c) == []


def test_a_day_that_completes_its_weekday_and_the_test_days_gives_one_signal():
    c0 = cal()
    mondays = [d for d in c0.days if d.weekday() == 0][:3]
    c = cal(test_days=[c0.days[1], c0.days[7], mondays[2]])  # Tue, Wed, and the third Monday
    assert rules.pattern_groups([*mondays, c0.days[1], c0.days[7]], c) == [(mondays[2], (0, rules.TEST_DAYS))]


# --- properties ---------------------------------------------------------------------------------------

holidays_strategy = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 14)).map(
        lambda t: (START + timedelta(days=t[0]), START + timedelta(days=t[0] + t[1]))
    ),
    max_size=4,
)
offsets = st.lists(st.integers(0, 311), max_size=60)


def brute_force_test_days(absent, c, t=rules.Thresholds()):
    """The test-day part of the rule the slow way: walk the school days, count short absences on test days."""
    in_short = {d for s in rules.spells(absent, c) if len(s) <= t.pattern_max_spell for d in s}
    fired, since = [], None
    for day in c.days:
        if day not in in_short or day not in c.test_days:
            continue
        window = [
            d
            for d in c.days
            if d <= day and (since is None or d > since) and d in in_short and d in c.test_days
            and len([x for x in c.days if d <= x <= day]) <= 30
        ]  # fmt: skip
        if len(window) >= t.pattern_count:
            fired.append(day)
            since = day
    return fired


@settings(max_examples=60, deadline=None)
@given(holidays_strategy, offsets, offsets)
def test_test_days_fire_exactly_when_three_short_absences_fall_on_them_within_six_weeks(holidays, raw, raw_tests):
    c = cal(holidays, [START + timedelta(days=k) for k in raw_tests])
    absent = {START + timedelta(days=k) for k in raw}
    on_tests = [d for d, groups in rules.pattern_groups(absent, c) if rules.TEST_DAYS in groups]
    assert on_tests == brute_force_test_days(absent, c)


@settings(max_examples=60, deadline=None)
@given(holidays_strategy, offsets, offsets)
def test_test_days_only_add_signals_and_holidays_never_count(holidays, raw, raw_tests):
    tests = [START + timedelta(days=k) for k in raw_tests]
    c, plain = cal(holidays, tests), cal(holidays)
    absent = {START + timedelta(days=k) for k in raw}
    assert set(rules.pattern(absent, plain)) <= set(rules.pattern(absent, c))
    only_school = {d for d in absent if c.is_school_day(d)}
    assert rules.pattern(absent, c) == rules.pattern(only_school, c)
    assert all(groups for _d, groups in rules.pattern_groups(absent, c))


# --- the school's calendar of test days --------------------------------------------------------------


@pytest.fixture
def director(school):
    return staff(Role.DIRECTOR, school=school)


def test_absence_on_three_test_days_gives_a_signal_the_family_reads(morning, school, child, teacher, ib):
    for day in (date(2026, 9, 14), date(2026, 9, 23), date(2026, 10, 1)):  # Mon, Wed, Thu
        services.add_test_day(Actor(ib), school, day=day, name="Cito")
    for day in (date(2026, 9, 14), date(2026, 9, 23), date(2026, 10, 1)):
        services.save_register(Actor(teacher), [child], day, {child.pk: {"reason": "sick"}})
    signal = Signal.objects.get(rule=Rule.PATTERN)
    assert signal.day == date(2026, 10, 1) and signal.on_test_days and signal.step == Step.CONTACT
    assert "een paar keer afwezig op een toetsdag" in TimelineEntry.objects.get(kind="signal").text


def test_the_ib_adds_a_test_day_and_removes_it_after_confirming(morning, school, ib, login):
    client = login(ib)
    url = reverse("attendance:test_days", args=[school.pk])
    assert client.post(url, {"day": "2026-10-14", "name": "Cito M6"}).status_code == 302
    test_day = SchoolTestDay.objects.get()
    assert (test_day.day, test_day.name, test_day.added_by) == (date(2026, 10, 14), "Cito M6", ib)
    assert "Cito M6" in client.get(url).content.decode()
    remove = reverse("attendance:remove_test_day", args=[school.pk, test_day.pk])
    question = client.get(remove)
    assert "verwijderen?" in question.content.decode() and SchoolTestDay.objects.exists()  # asking removes nothing
    assert client.post(remove).status_code == 302 and not SchoolTestDay.objects.exists()


def test_a_test_day_on_a_weekend_holiday_or_twice_gets_a_dutch_message(morning, school, director, login):
    SchoolHoliday.objects.create(school=school, name="Herfstvakantie", start=date(2026, 10, 19), end=date(2026, 10, 23))
    client = login(director)
    url = reverse("attendance:test_days", args=[school.pk])
    assert "geen school (weekend of vakantie)" in client.post(url, {"day": "2026-10-10"}).content.decode()
    assert "geen school (weekend of vakantie)" in client.post(url, {"day": "2026-10-20"}).content.decode()
    client.post(url, {"day": "2026-10-14"})
    assert "staat al als toetsdag" in client.post(url, {"day": "2026-10-14"}).content.decode()
    assert SchoolTestDay.objects.count() == 1


def test_a_teacher_parent_or_other_school_cannot_keep_the_test_days(morning, school, teacher, parent, login, caplog):
    url = reverse("attendance:test_days", args=[school.pk])
    outsider = staff(Role.IB, school=SchoolFactory())
    for user in (teacher, parent, outsider):
        caplog.clear()
        with caplog.at_level(logging.INFO):
            assert login(user).post(url, {"day": "2026-10-14"}).status_code == 403
        assert any(getattr(r, "event", "") == "test_days_denied" for r in caplog.records)
    assert not SchoolTestDay.objects.exists()
    with pytest.raises(PermissionDenied):
        services.add_test_day(Actor(teacher), school, day=date(2026, 10, 14))


# --- the report to DUO ----------------------------------------------------------------------------------


@pytest.fixture
def duo_signal(morning, child, teacher, ib):
    for day in (date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5)):
        services.save_register(Actor(teacher), [child], day, {child.pk: {"reason": "unauthorised", "hours": "5,5"}})
    return Signal.objects.get(rule=Rule.DUO)


def test_the_duo_report_downloads_as_csv_and_is_logged_as_an_export(duo_signal, child, ib, login):
    response = login(ib).get(reverse("attendance:duo_csv", args=[duo_signal.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, row = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert header.split(";")[:4] == ["Soort verzuim", "BRIN en vestiging", "School", "Leerling"]
    cells = row.split(";")
    assert cells[1].startswith("12AB") and cells[3] == f"{child.first_name} {child.last_name}"
    assert cells[6:10] == ["2026-10-01", "2026-10-05", "16,5", "2026-10-12"]
    assert cells[10] == "klaar om te melden"
    assert AccessLogEntry.objects.filter(actor_id=ib.pk, child_id=child.pk, allowed=True, action="export").exists()


def test_a_parent_or_another_school_cannot_download_the_duo_report(duo_signal, child, parent, login, caplog):
    outsider = staff(Role.IB, school=SchoolFactory())
    assert login(outsider).get(reverse("attendance:duo_csv", args=[duo_signal.pk])).status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=outsider.pk, child_id=child.pk, allowed=False).exists()
    with caplog.at_level(logging.INFO):  # the family reads the signal itself; the report is the school's work
        assert login(parent).get(reverse("attendance:duo_csv", args=[duo_signal.pk])).status_code == 403
        assert login(parent).get(reverse("attendance:duo", args=[duo_signal.pk])).status_code == 403
    assert any(getattr(r, "event", "") == "signal_denied" for r in caplog.records)


def test_filing_then_the_municipality_closing_follows_duos_statuses(duo_signal, ib, login):
    client = login(ib)
    page = client.get(reverse("attendance:duo", args=[duo_signal.pk])).content.decode()
    assert "geregistreerd" in page and "Download als CSV" in page
    status_url = reverse("attendance:duo_status", args=[duo_signal.pk])
    client.post(status_url, {"status": "registered", "reference": "VZ-123"})
    duo_signal.refresh_from_db()
    assert (duo_signal.duo_status, duo_signal.duo_reference, duo_signal.duo_status_on) == (
        "registered",
        "VZ-123",
        TUESDAY,
    )
    assert duo_signal.step == Step.MONITOR and duo_signal.is_open
    client.post(status_url, {"status": "in_progress"})
    client.post(status_url, {"status": "closed"})
    duo_signal.refresh_from_db()
    assert duo_signal.duo_status == DuoStatus.CLOSED and not duo_signal.is_open and duo_signal.step == Step.DONE
    texts = list(TimelineEntry.objects.filter(text__startswith="Melding bij DUO").values_list("text", flat=True))
    assert len(texts) == 3


def test_a_status_out_of_order_gets_a_dutch_message(duo_signal, ib, login):
    response = login(ib).post(reverse("attendance:duo_status", args=[duo_signal.pk]), {"status": "closed"}, follow=True)
    assert "kan niet" in response.content.decode() and "afgesloten" in response.content.decode()
    duo_signal.refresh_from_db()
    assert duo_signal.duo_status == "ready"
    with pytest.raises(ValidationError):
        services.set_duo_status(Actor(ib), duo_signal, "withdrawn")  # withdrawing is for a filed report


def test_only_the_school_files_and_only_the_involved_officer_handles(duo_signal, child, ib, parent):
    officer = staff(Role.ATTENDANCE_OFFICER)
    with pytest.raises(PermissionDenied):
        services.set_duo_status(Actor(parent), duo_signal, "registered")
    assert AccessLogEntry.objects.filter(actor_id=parent.pk, child_id=child.pk).exists()
    services.set_duo_status(Actor(ib), duo_signal, "registered")
    with pytest.raises(PermissionDenied):
        services.set_duo_status(Actor(officer), duo_signal, "in_progress")  # not involved
    duo_signal.officer = officer
    duo_signal.save(update_fields=["officer"])
    with pytest.raises(PermissionDenied):
        services.set_duo_status(Actor(officer), duo_signal, "withdrawn")  # the school withdraws, not the officer
    services.set_duo_status(Actor(officer), duo_signal, "noted")
    duo_signal.refresh_from_db()
    assert duo_signal.duo_status == "noted" and not duo_signal.is_open


def test_lrv_and_luxe_are_reports_to_duo_too(morning, child, teacher):
    services.save_register(Actor(teacher), [child], TUESDAY, {child.pk: {"reason": "luxe"}})
    assert Signal.objects.get(rule=Rule.LUXE).duo_status == "ready"


# --- the same through the API ---------------------------------------------------------------------------


def test_the_api_gives_the_duo_report_and_takes_its_next_status(duo_signal, child, ib, parent, api):
    client = api(ib)
    url = f"/api/v1/signals/{duo_signal.pk}/duo-report/"
    data = client.get(url).json()
    assert data["status"] == "ready" and data["next_statuses"] == ["registered"]
    assert {"label": "Uren ongeoorloofd", "value": "16,5"} in data["fields"]
    wrong = client.post(url, {"status": "closed"}, format="json")
    assert wrong.status_code == 400 and "kan niet" in str(wrong.json())
    filed = client.post(url, {"status": "registered", "reference": "VZ-9"}, format="json").json()
    assert filed["status"] == "registered" and filed["reference"] == "VZ-9"
    assert api(parent).get(url).status_code == 403
    outsider = staff(Role.IB, school=SchoolFactory())
    assert api(outsider).get(url).status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=outsider.pk, child_id=child.pk, allowed=False, channel="api").exists()


def test_the_api_keeps_the_test_days_for_the_ib_only(morning, school, ib, teacher, api):
    url = f"/api/v1/schools/{school.pk}/test-days/"
    created = api(ib).post(url, {"day": "2026-10-14", "name": "Cito"}, format="json")
    assert created.status_code == 201 and api(ib).get(url).json() == [created.json()]
    weekend = api(ib).post(url, {"day": "2026-10-10"}, format="json")
    assert weekend.status_code == 400 and "geen school" in str(weekend.json())
    assert api(teacher).get(url).status_code == 403
    assert api(teacher).delete(f"{url}{created.json()['id']}/").status_code == 403
    assert api(ib).delete(f"{url}{created.json()['id']}/").status_code == 204
    assert not SchoolTestDay.objects.exists()


def test_the_involved_officer_opens_the_report_and_records_the_municipalitys_status(duo_signal, child, ib, login):
    officer = staff(Role.ATTENDANCE_OFFICER)
    client = login(officer)
    assert client.get(reverse("attendance:duo", args=[duo_signal.pk])).status_code == 403  # not involved yet
    services.set_duo_status(Actor(ib), duo_signal, "registered")
    duo_signal.officer = officer
    duo_signal.save(update_fields=["officer"])
    page = client.get(reverse("attendance:duo", args=[duo_signal.pk])).content.decode()
    assert "in behandeling" in page and "ingetrokken" not in page  # withdrawing is the school's
    client.post(reverse("attendance:duo_status", args=[duo_signal.pk]), {"status": "in_progress"})
    duo_signal.refresh_from_db()
    assert duo_signal.duo_status == "in_progress"
    assert AccessLogEntry.objects.filter(actor_id=officer.pk, child_id=child.pk, allowed=True).exists()
