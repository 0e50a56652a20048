"""School holidays do not count as school days for the 2-day acknowledgement deadline."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from apps.audit.log import Actor
from apps.core.schooldays import is_school_day
from apps.helpguide import rules, services
from apps.helpguide.models import SchoolHoliday
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
CHRISTMAS = [(date(2026, 12, 19), date(2027, 1, 3))]  # Saturday to Sunday


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime(2026, 12, 17, 10, 0), 2, datetime(2027, 1, 4, 10, 0)),  # Thursday: Friday, then Monday after
        (datetime(2026, 12, 18, 15, 0), 2, datetime(2027, 1, 5, 15, 0)),  # last day before the holiday
        (datetime(2026, 12, 23, 9, 0), 2, datetime(2027, 1, 5, 9, 0)),  # asked during the holiday
        (datetime(2026, 12, 14, 9, 0), 2, datetime(2026, 12, 16, 9, 0)),  # the week before: unaffected
    ],
)
def test_school_days_skip_the_schools_holidays(start, days, expected):
    assert rules.add_school_days(start.replace(tzinfo=AMS), days, CHRISTMAS).replace(tzinfo=None) == expected


def test_question_asked_before_a_holiday_is_due_after_it(school):
    s = school
    today = timezone.localdate()
    SchoolHoliday.objects.create(
        school=s["school"], name="Vakantie", start=today + timedelta(days=1), end=today + timedelta(days=9)
    )
    SchoolHoliday.objects.create(
        school=SchoolFactory(), name="Andere school", start=today, end=today + timedelta(days=30)
    )
    q = services.ask(Actor(s["mother"]), topic=s["home"], text="Vraag", preferred_contact="bericht")
    due = timezone.localtime(q.due_at).date()
    assert due > today + timedelta(days=9)
    assert (
        due == rules.add_school_days(q.created_at, 2, [(today + timedelta(days=1), today + timedelta(days=9))]).date()
    )
    # Not overdue in the middle of the holiday.
    assert not rules.is_overdue(q, now=q.created_at + timedelta(days=5))


def test_ib_adds_edits_and_removes_a_holiday(client, school):
    s = school
    client.force_login(s["ib"])
    url = f"/hulpwijzer/beheer/{s['school'].pk}/vakanties/"
    assert "Schoolvakanties beheren" in client.get(f"/hulpwijzer/beheer/{s['school'].pk}/").content.decode()
    response = client.post(url, {"name": "Kerstvakantie", "start": "2026-12-19", "end": "2027-01-03"})
    assert response.status_code == 302
    holiday = SchoolHoliday.objects.get(school=s["school"])
    assert (holiday.name, holiday.start, holiday.end) == ("Kerstvakantie", date(2026, 12, 19), date(2027, 1, 3))
    assert "Kerstvakantie" in client.get(url).content.decode()
    client.post(f"{url}{holiday.pk}/", {"name": "Kerst", "start": "2026-12-19", "end": "2027-01-04"})
    holiday.refresh_from_db()
    assert (holiday.name, holiday.end) == ("Kerst", date(2027, 1, 4))
    client.post(f"{url}{holiday.pk}/verwijderen/")
    assert not SchoolHoliday.objects.exists()


def test_end_before_start_is_refused_in_dutch(client, school):
    client.force_login(school["director"])
    url = f"/hulpwijzer/beheer/{school['school'].pk}/vakanties/"
    response = client.post(url, {"name": "Fout", "start": "2027-01-03", "end": "2026-12-19"})
    assert "De laatste vakantiedag ligt vóór de eerste" in response.content.decode()
    assert not SchoolHoliday.objects.exists()


def test_teacher_and_parent_cannot_manage_holidays(client, school):
    s = school
    holiday = SchoolHoliday.objects.create(
        school=s["school"], name="Herfst", start=date(2026, 10, 17), end=date(2026, 10, 25)
    )
    for user in (s["teacher"], s["mother"]):
        client.force_login(user)
        url = f"/hulpwijzer/beheer/{s['school'].pk}/vakanties/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "X", "start": "2026-12-01", "end": "2026-12-02"}).status_code == 404
        assert client.post(f"{url}{holiday.pk}/verwijderen/").status_code == 404
    assert list(SchoolHoliday.objects.values_list("name", flat=True)) == ["Herfst"]


@given(
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=20),
    asked=st.integers(min_value=-10, max_value=20),
    days=st.integers(min_value=1, max_value=5),
)
def test_deadline_never_falls_in_a_holiday_and_counts_only_school_days(start, length, asked, days):
    holidays = [(start, start + timedelta(days=length))]
    moment = datetime.combine(start + timedelta(days=asked), time(10, 0), tzinfo=AMS)
    due = rules.add_school_days(moment, days, holidays)
    assert is_school_day(due.date(), holidays)
    counted, day = 0, moment.date()
    while day < due.date():
        day += timedelta(days=1)
        counted += is_school_day(day, holidays)
    assert counted == days
