"""Seed 003 end to end: the mother consents to Wijkteam Oost for support & plan, the wijkteam assigns
Jeroen Smit, he finds the child on his home page and opens the plan, and the mother reads in the log that
he opened it on her consent, with no refused attempt in the log. axe-core on every page."""

import pytest

from apps.organisations.models import CareOrganisation, Membership, Role
from apps.referrals.models import StaffTitle
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import CareOrganisationFactory, ChildFactory, GuardianshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_gezinscoach_comes_in_on_the_mothers_consent_to_his_organisation(live_server, new_page):
    child = ChildFactory(first_name="Emma", last_name="Yilmaz")
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Elif Yilmaz")).user
    wijkteam = CareOrganisationFactory(name="Wijkteam Oost", kind=CareOrganisation.Kind.WIJKTEAM)
    people = {}
    for name, title in (("Jeroen Smit", "gezinscoach"), ("Sanne Wit", "teamleider")):
        people[name] = UserFactory(full_name=name, is_demo=True)
        m = Membership.objects.create(user=people[name], role=Role.YOUTH_WORKER, organisation=wijkteam)
        StaffTitle.objects.create(membership=m, title=title)

    mum = new_page()
    login(mum, live_server, mother)
    follow(mum, "text=Emma Yilmaz")
    follow(mum, "#child-sections >> text=Toestemmingen")
    assert "Jeroen Smit — gezinscoach, Wijkteam Oost" in mum.content()
    mum.select_option("select[name=organisation]", label="Wijkteam Oost")
    mum.check("input[name=categories][value=support]")
    follow(mum, "button:has-text('Toestemming geven')")
    assert "De toestemming is vastgelegd." in mum.content(), mum.locator("main").inner_text()

    lead = new_page()
    login(lead, live_server, people["Sanne Wit"])
    follow(lead, "text=Toestemmingen aan uw organisatie")
    assert_accessible(lead)
    lead.select_option("select[name$=worker]", label="Jeroen Smit — gezinscoach")
    follow(lead, "button:has-text('Toewijzen')")
    assert "Jeroen Smit zit nu in de kring van Emma" in lead.content()

    coach = new_page()
    login(coach, live_server, people["Jeroen Smit"])
    assert "Mijn kinderen" in coach.content() and "U ziet: ondersteuning en plan." in coach.content()
    assert_accessible(coach)
    follow(coach, "text=Emma Yilmaz")
    assert coach.locator("h1").inner_text() == "Emma Yilmaz"
    assert_accessible(coach)
    follow(coach, "#child-sections >> text=Plan")
    assert coach.locator("h1").count() == 1
    assert_accessible(coach)

    mum.goto(f"{live_server.url}/kinderen/{child.pk}/logboek/")
    log = mum.locator("#log").inner_text()
    assert "Jeroen Smit" in log and "toestemming" in log
    assert mum.locator("#log li.refused").count() == 0
    assert_accessible(mum)
