"""The pages and the API for absence, under one policy: who sees what, refusals logged, lists in constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.attendance import services
from apps.attendance.models import Absence, Rule, SickReport, Signal
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent.models import Category
from apps.organisations.models import Role
from tests.factories import ChildFactory, GuardianshipFactory, staff

pytestmark = pytest.mark.django_db
TUESDAY = date(2026, 10, 6)


def test_a_parent_reports_sick_in_two_taps(morning, child, parent, login):
    client = login(parent)
    page = client.get(reverse("attendance:sick_report"))
    assert "Noor" in page.content.decode()
    response = client.post(reverse("attendance:sick_report"), {"child": child.pk, "period": "today"})
    assert response.status_code == 302 and SickReport.objects.get().first_day == TUESDAY


def test_the_sick_report_page_refuses_a_child_that_is_not_yours(morning, child, stranger, login):
    response = login(stranger).post(reverse("attendance:sick_report"), {"child": child.pk, "period": "today"})
    assert response.status_code == 200 and not SickReport.objects.exists()  # not among the choices


def test_the_register_saves_the_class_in_one_submit(morning, group, teacher, login):
    pupils = [ChildFactory(group=group, school=group.school) for _ in range(3)]
    client = login(teacher)
    url = reverse("attendance:register", args=[group.pk])
    assert client.get(url).status_code == 200
    data = {"dag": TUESDAY.isoformat(), f"reden-{pupils[0].pk}": "sick", f"reden-{pupils[1].pk}": "late"}
    data[f"uren-{pupils[1].pk}"] = "0,5"
    assert client.post(url, data).status_code == 302
    assert dict(Absence.objects.values_list("child_id", "reason")) == {pupils[0].pk: "sick", pupils[1].pk: "late"}


def test_the_register_shows_a_clear_message_for_too_many_hours(morning, group, child, teacher, login):
    url = reverse("attendance:register", args=[group.pk])
    response = login(teacher).post(url, {f"reden-{child.pk}": "unauthorised", f"uren-{child.pk}": "12"}, follow=True)
    assert "Een schooldag heeft hier 5,5 lesuren" in response.content.decode()
    assert not Absence.objects.exists()


def test_a_teacher_cannot_open_another_class_register(morning, school, group, login):
    other = staff(Role.TEACHER, school=school)
    assert login(other).get(reverse("attendance:register", args=[group.pk])).status_code == 404


def test_the_register_costs_the_same_queries_for_3_or_30_pupils(morning, group, teacher, login):
    client = login(teacher)
    url = reverse("attendance:register", args=[group.pk]) + f"?dag={TUESDAY.isoformat()}"
    ChildFactory.create_batch(3, group=group, school=group.school)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ChildFactory.create_batch(27, group=group, school=group.school)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_family_reads_the_signal_in_plain_dutch(morning, child, parent, teacher, login):
    services.flag_worry(Actor(teacher), child)
    page = login(parent).get(reverse("attendance:child", args=[child.pk])).content.decode()
    assert "School wil graag met u praten over hoe het gaat met Noor" in page
    assert "Stap gezet" not in page  # steps are the school's


def test_the_ib_sees_the_signal_with_its_step_and_plans_the_conversation(morning, child, parent, teacher, ib, login):
    services.flag_worry(Actor(teacher), child)
    client = login(ib)
    page = client.get(reverse("attendance:signals")).content.decode()
    assert "Volgende stap: school neemt contact op met de ouders." in page
    signal = Signal.objects.get()
    response = client.post(reverse("attendance:conversation", args=[signal.pk]))
    assert response.status_code == 302 and "/gesprekken/" in response["Location"]


def test_the_api_takes_a_sick_report_and_gives_one_for_a_repeat(morning, child, parent, api):
    client = api(parent)
    url = f"/api/v1/children/{child.pk}/sick-reports/"
    first = client.post(url, {"date": "2026-10-06", "until": "2026-10-07", "note": "griep"}, format="json")
    assert first.status_code == 201 and first.json()["until"] == "2026-10-07"
    again = client.post(url, {"date": "2026-10-06"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert [r["date"] for r in client.get(url).json()] == ["2026-10-06"]


def test_the_api_refuses_and_logs_a_sick_report_for_a_child_that_is_not_yours(morning, child, stranger, api):
    response = api(stranger).post(f"/api/v1/children/{child.pk}/sick-reports/", {}, format="json")
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=stranger.pk, child_id=child.pk, allowed=False, channel="api").exists()


def test_the_api_gives_a_dutch_400_for_a_date_long_ago(morning, child, parent, api):
    response = api(parent).post(f"/api/v1/children/{child.pk}/sick-reports/", {"date": "2026-09-01"}, format="json")
    assert response.status_code == 400 and "tot één dag terug" in str(response.json())


def test_the_api_lists_signals_with_rule_child_date_and_step(morning, child, teacher, ib, api):
    services.flag_worry(Actor(teacher), child)
    data = api(ib).get("/api/v1/signals/").json()
    assert data[0]["rule"] == Rule.MAZL_WORRY and data[0]["child"] == child.pk and data[0]["date"] == "2026-10-06"
    assert data[0]["proposed_step"].startswith("Volgende stap")


def test_the_officer_sees_a_pupil_only_through_a_signal_that_involves_them(morning, child, teacher, ib, api):
    officer = staff(Role.ATTENDANCE_OFFICER)
    client = api(officer)
    assert client.get(f"/api/v1/children/{child.pk}/absences/").status_code == 403
    assert client.get("/api/v1/signals/").json() == []
    signal = services.flag_worry(Actor(teacher), child)
    services.complete_step(Actor(ib), signal, officer=officer)
    assert client.get(f"/api/v1/children/{child.pk}/absences/").status_code == 200
    assert [s["id"] for s in client.get("/api/v1/signals/").json()] == [signal.pk]
    other = ChildFactory(school=child.school, group=child.group)
    assert client.get(f"/api/v1/children/{other.pk}/absences/").status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=officer.pk, child_id=other.pk, allowed=False).exists()
    # Reading only: the officer cannot register or take the school's steps on another pupil.
    assert client.post(f"/api/v1/children/{child.pk}/sick-reports/", {}, format="json").status_code == 403


def test_the_jeugdarts_without_consent_is_refused_and_logged(morning, child, api):
    doctor = staff(Role.DOCTOR)
    assert api(doctor).get(f"/api/v1/children/{child.pk}/absences/").status_code == 403
    entry = AccessLogEntry.objects.get(actor_id=doctor.pk, child_id=child.pk)
    assert not entry.allowed and entry.category == Category.HEALTH


def test_a_pupil_of_twelve_sees_the_signal_about_themselves(morning, group, teacher, login):
    from tests.factories import UserFactory, years_ago

    pupil_user = UserFactory()
    pupil = ChildFactory(group=group, school=group.school, user=pupil_user, date_of_birth=years_ago(13))
    GuardianshipFactory(child=pupil)
    services.flag_worry(Actor(teacher), pupil)
    assert pupil_user.notifications.exists()
    page = login(pupil_user).get(reverse("attendance:child", args=[pupil.pk]))
    assert page.status_code == 200 and "School wil graag met u praten" in page.content.decode()
