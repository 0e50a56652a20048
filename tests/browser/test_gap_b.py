"""End to end: the unread badge in the menu, editing an agenda item (overlap refused, then saved), choosing
the pupils' council, and the school-holidays page. axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.meetings import services
from apps.messaging import services as messaging
from apps.organisations.models import Role
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_badge_agenda_edit_pupils_council_and_holidays(live_server, new_page, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    school = SchoolFactory(name="De Wegwijzer")
    group = GroupFactory(school=school, name="Groep 8", year_level=8)
    child = ChildFactory(group=group, school=school)
    GuardianshipFactory(child=child, user=UserFactory(full_name="Sanne Peters"))
    pupil = UserFactory(full_name="Lotte Leerling")
    ChildFactory(group=group, school=school, user=pupil)
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Marieke Jansen"))
    director = staff(Role.DIRECTOR, school=school, user=UserFactory(is_demo=True))
    messaging.create_thread(Actor(director), child, "basic", "Welkom", "Hallo allemaal")
    starts = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0) + timedelta(days=14)
    meeting = services.create_meeting(
        school=school,
        by=ib,
        title="Gezamenlijke dag",
        kind="joint_day",
        starts_at=starts,
        rsvp_deadline=starts - timedelta(days=2),
    )

    page = new_page()
    login(page, live_server, ib)
    assert page.locator("nav .badge[aria-label='1 ongelezen']").count() == 1
    page.goto(f"{live_server.url}/bijeenkomsten/{meeting.pk}/")
    first = meeting.agenda.first()
    follow(page, f"a[href$='/agenda/{first.pk}/wijzigen/']")
    assert_accessible(page)
    page.fill("input[name=duration]", "30")
    follow(page, "button:has-text('Opslaan')")
    assert "overlapt met" in page.content()
    page.fill("input[name=duration]", "15")
    page.fill("input[name=topic]", "Inloop met soep")
    follow(page, "button:has-text('Opslaan')")
    assert "Het agendapunt is gewijzigd." in page.content()
    assert_accessible(page)
    page.select_option("select[name=audience]", "pupils")
    page.check("text=Lotte Leerling")
    follow(page, "button:has-text('Uitnodigen')")
    assert meeting.invitations.filter(user=pupil, kind="pupil_council").exists()

    page.goto(f"{live_server.url}/hulpwijzer/beheer/{school.pk}/vakanties/")
    assert_accessible(page)
    page.fill("input[name=name]", "Kerstvakantie")
    page.fill("input[name=start]", "2026-12-19")
    page.fill("input[name=end]", "2027-01-03")
    follow(page, "button:has-text('Bewaren')")
    assert "De schoolvakantie is bewaard." in page.content() and "Kerstvakantie" in page.content()
    assert_accessible(page)
