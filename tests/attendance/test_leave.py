"""Leave (verlof): the director decides up to 10 school days a school year, beyond that the leerplichtambtenaar."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.attendance import services
from apps.attendance import signals as rules
from apps.attendance.models import LeaveRequest
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.helpguide.models import SchoolHoliday
from apps.organisations.models import Role
from tests.factories import staff

pytestmark = pytest.mark.django_db
IMPORTANT = LeaveRequest.Kind.IMPORTANT


@pytest.fixture
def director(school):
    return staff(Role.DIRECTOR, school=school)


@pytest.fixture
def officer(db):
    return staff(Role.ATTENDANCE_OFFICER)


def ask(parent, child, first, last, kind=IMPORTANT):
    return services.request_leave(Actor(parent), child, kind=kind, first_day=first, last_day=last, reason="Bruiloft")


def test_the_director_decides_up_to_ten_school_days_with_a_reason_the_parents_read(morning, child, parent, director):
    leave = ask(parent, child, date(2026, 11, 9), date(2026, 11, 13))
    assert (leave.status, leave.school_days) == ("pending", 5)
    with pytest.raises(ValidationError):
        services.decide_leave(Actor(director), leave, grant=True, reason="")
    services.decide_leave(Actor(director), leave, grant=True, reason="Bruiloft van een broer, dat is een goede reden.")
    leave.refresh_from_db()
    assert leave.status == "granted"
    assert parent.notifications.filter(text__contains="Bruiloft van een broer").exists()


def test_more_than_ten_school_days_in_a_year_go_to_the_leerplichtambtenaar(morning, child, parent, director, officer):
    first = ask(parent, child, date(2026, 11, 9), date(2026, 11, 18))  # 8 school days
    services.decide_leave(Actor(director), first, grant=True, reason="Akkoord")
    second = ask(parent, child, date(2026, 11, 23), date(2026, 11, 25))  # 3 more: 11 in the year
    assert second.status == "forwarded" and second.officer == officer
    with pytest.raises(PermissionDenied):
        services.decide_leave(Actor(director), second, grant=True, reason="Akkoord")
    services.decide_leave(Actor(officer), second, grant=False, reason="Geen gewichtige omstandigheid.")
    second.refresh_from_db()
    assert second.status == "refused"
    assert AccessLogEntry.objects.filter(actor_id=officer.pk, child_id=child.pk, allowed=True).exists()


def test_leave_that_overlaps_a_holiday_is_refused_with_a_clear_message(morning, child, parent, school):
    SchoolHoliday.objects.create(school=school, name="Kerstvakantie", start=date(2026, 12, 21), end=date(2027, 1, 1))
    with pytest.raises(ValidationError) as e:
        ask(parent, child, date(2026, 12, 17), date(2026, 12, 22))
    assert "Kerstvakantie" in str(e.value) and not LeaveRequest.objects.exists()


def test_no_holiday_leave_in_the_first_two_weeks_of_the_school_year(morning, child, parent, school):
    SchoolHoliday.objects.create(school=school, name="Zomervakantie", start=date(2027, 7, 10), end=date(2027, 8, 22))
    with pytest.raises(ValidationError) as e:
        ask(parent, child, date(2027, 8, 30), date(2027, 9, 1), kind=LeaveRequest.Kind.HOLIDAY)
    assert "eerste twee weken" in str(e.value)


def test_a_parent_without_gezag_or_a_stranger_cannot_ask_for_leave(morning, child, stranger):
    with pytest.raises(PermissionDenied):
        ask(stranger, child, date(2026, 11, 9), date(2026, 11, 10))
    assert AccessLogEntry.objects.filter(actor_id=stranger.pk, allowed=False).exists()


def test_the_school_year_starts_after_the_summer_holiday():
    cal = rules.Calendar(date(2027, 7, 1), date(2027, 9, 30), [(date(2027, 7, 10), date(2027, 8, 22))])
    assert rules.school_year_start(cal, date(2027, 9, 1)) == date(2027, 8, 23)
    assert rules.in_first_two_weeks(date(2027, 9, 3), cal)
    assert not rules.in_first_two_weeks(date(2027, 9, 6), cal)
    assert rules.leave_decided_by(5, 5) == "director" and rules.leave_decided_by(5, 6) == "officer"


def test_the_api_takes_a_leave_request(morning, child, parent, api):
    url = f"/api/v1/children/{child.pk}/leave-requests/"
    data = {"kind": "important", "first_day": "2026-11-09", "last_day": "2026-11-10", "reason": "Begrafenis"}
    response = api(parent).post(url, data, format="json")
    assert response.status_code == 201 and response.json()["school_days"] == 2
    assert api(parent).get(url).json()[0]["status"] == "pending"


def test_a_parent_asks_on_the_page_and_the_director_decides_there(morning, child, parent, director, login):
    from django.urls import reverse

    client = login(parent)
    data = {"kind": "important", "first_day": "2026-11-09", "last_day": "2026-11-09", "reason": "Jubileum opa"}
    assert client.post(reverse("attendance:leave", args=[child.pk]), data).status_code == 302
    leave = LeaveRequest.objects.get()
    client = login(director)
    assert "Jubileum opa" in client.get(reverse("attendance:child", args=[child.pk])).content.decode()
    response = client.post(reverse("attendance:decide_leave", args=[leave.pk]), {"grant": "1", "reason": "Akkoord"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == "granted" and leave.decided_by == director


def test_an_english_speaking_parent_reads_the_absence_signal_in_english(child, parent, school):
    """Issue 13: the family's signal is kept as a message key, the day named in the reader's language."""
    from django.utils import translation

    from apps.attendance.models import Rule, Signal, Step
    from apps.notifications.models import Notification

    parent.language = "en"
    parent.save(update_fields=["language"])
    day = date(2026, 10, 5)  # a Monday
    found = Signal(child=child, school=school, rule=Rule.LUXE, first_day=day, day=day, step=Step.CONTACT)
    (signal,) = services._store_signals([found], author=None)
    note = Notification.objects.get(user=parent, key=f"absence-signal-{signal.pk}")
    with translation.override("en"):
        assert note.display_text.startswith("Noor was not at school on Monday 5 October")
    assert note.text.startswith("Noor was op maandag 5 oktober niet op school")
