"""Bad input (issue 11): each case gets a clear Dutch message, and nothing the person typed is lost."""

import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.attendance import services
from apps.attendance.models import Absence, LeaveRequest, SickReport
from apps.audit.log import Actor
from apps.helpguide.models import SchoolHoliday
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
TUESDAY = date(2026, 10, 6)


def test_the_sick_report_page_says_a_child_not_yours_cannot_be_reported_and_logs_it(
    morning, child, stranger, login, caplog
):
    with caplog.at_level(logging.INFO):
        response = login(stranger).post(reverse("attendance:sick_report"), {"child": child.pk, "period": "today"})
    assert "U kunt alleen een kind ziek melden dat bij u hoort" in response.content.decode()
    assert any(getattr(r, "event", "") == "sick_report_denied" for r in caplog.records)
    assert not SickReport.objects.exists()


def test_reporting_twice_on_the_page_keeps_one_report_and_says_so(morning, child, parent, login):
    client = login(parent)
    client.post(reverse("attendance:sick_report"), {"child": child.pk, "period": "today"})
    again = client.post(reverse("attendance:sick_report"), {"child": child.pk, "period": "today"}, follow=True)
    assert "Noor was al ziek gemeld voor vandaag" in again.content.decode()
    assert SickReport.objects.count() == 1


def test_the_sick_report_page_on_a_saturday_says_there_is_no_school(morning, child, parent, login):
    morning.move_to("2026-10-10 08:00+02:00")
    response = login(parent).post(reverse("attendance:sick_report"), {"child": child.pk, "period": "today"})
    assert "is er geen school (weekend of vakantie)" in response.content.decode()
    assert not SickReport.objects.exists()


def test_a_sick_report_through_the_api_on_a_holiday_gets_a_dutch_400(morning, child, parent, school, api):
    SchoolHoliday.objects.create(school=school, name="Studiedag", start=TUESDAY, end=TUESDAY)
    response = api(parent).post(f"/api/v1/children/{child.pk}/sick-reports/", {"date": "2026-10-06"}, format="json")
    assert response.status_code == 400 and "geen school" in str(response.json())


def test_a_registration_on_a_holiday_is_refused(morning, child, teacher, school):
    SchoolHoliday.objects.create(school=school, name="Herfstvakantie", start=TUESDAY, end=date(2026, 10, 9))
    with pytest.raises(ValidationError) as e:
        services.save_register(Actor(teacher), [child], TUESDAY, {child.pk: {"reason": "sick"}})
    assert "geen school (weekend of vakantie)" in str(e.value) and not Absence.objects.exists()


def test_a_refused_register_shows_the_class_again_as_typed(morning, group, child, teacher, login):
    other = ChildFactory(group=group, school=group.school, first_name="Ada")
    data = {
        f"reden-{child.pk}": "unauthorised",
        f"uren-{child.pk}": "12",
        f"reden-{other.pk}": "late",
        f"uren-{other.pk}": "0,5",
        f"opmerking-{other.pk}": "bus te laat",
    }
    response = login(teacher).post(reverse("attendance:register", args=[group.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200 and "Een schooldag heeft hier 5,5 lesuren" in page
    assert 'value="12"' in page and 'value="bus te laat"' in page and 'value="0,5"' in page
    assert '<option value="late" selected>' in page.split(f'id="reden-{other.pk}"')[1].split("</select>")[0]
    assert not Absence.objects.exists()


def test_leave_overlapping_a_holiday_names_it_and_keeps_the_request_as_typed(morning, child, parent, school, login):
    SchoolHoliday.objects.create(school=school, name="Kerstvakantie", start=date(2026, 12, 21), end=date(2027, 1, 1))
    data = {"kind": "important", "first_day": "2026-12-17", "last_day": "2026-12-22", "reason": "Bruiloft van oom"}
    response = login(parent).post(reverse("attendance:leave", args=[child.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200 and "Kerstvakantie" in page and "Bruiloft van oom" in page
    assert not LeaveRequest.objects.exists()


def test_leave_through_the_api_overlapping_a_holiday_gets_a_dutch_400(morning, child, parent, school, api):
    SchoolHoliday.objects.create(school=school, name="Kerstvakantie", start=date(2026, 12, 21), end=date(2027, 1, 1))
    data = {"kind": "important", "first_day": "2026-12-17", "last_day": "2026-12-22", "reason": "Bruiloft"}
    response = api(parent).post(f"/api/v1/children/{child.pk}/leave-requests/", data, format="json")
    assert response.status_code == 400 and "Kerstvakantie" in str(response.json())
