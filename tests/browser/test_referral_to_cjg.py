"""A referral from the IB'er to the CJG with the parents' consent, accepted and assigned (issue 10 item 2):
the CJG sees nothing before the mother signs, then only the referral text; the mother sees every step and
who holds it. axe-core on every page."""

import pytest

from apps.organisations.models import CareOrganisation, Membership, Role
from apps.referrals.models import Referral, StaffTitle
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ib_refers_to_the_cjg_the_mother_consents_the_cjg_accepts_and_assigns(live_server, new_page):
    child = ChildFactory(first_name="Noor", last_name="Bakker")
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Iris Bakker", is_demo=True)).user
    ib = staff(Role.IB, school=child.school, user=UserFactory(full_name="Ilse IB", is_demo=True))
    circle_member(child, ib, "IB'er", school=child.school, coordinator=True)
    cjg = CareOrganisationFactory(name="CJG Noord", kind=CareOrganisation.Kind.CJG)
    people = {}
    for name, title in (("Anouk de Vries", "teamleider"), ("Bas Jansen", "CJG-coach")):
        people[name] = UserFactory(full_name=name, is_demo=True)
        m = Membership.objects.create(user=people[name], role=Role.YOUTH_WORKER, organisation=cjg)
        StaffTitle.objects.create(membership=m, title=title)

    school = new_page()
    login(school, live_server, ib)
    school.goto(f"{live_server.url}/kinderen/{child.pk}/")
    follow(school, "text=Verwijzen naar jeugdhulp")
    assert_accessible(school)
    school.select_option("select[name=organisation]", label="CJG Noord")
    school.fill("textarea[name=reason]", "Noor is vaak moe en stil in de klas.")
    school.fill("textarea[name=question]", "Steun voor het gezin bij rust en slaap.")
    follow(school, "button:has-text('Verwijzen en de familie om toestemming vragen')")
    assert "wacht op toestemming" in school.content()
    assert_accessible(school)
    referral = Referral.objects.get()

    lead = new_page()
    login(lead, live_server, people["Anouk de Vries"])
    lead.goto(f"{live_server.url}/jeugdhulp/verwijzingen/")
    assert "Noor Bakker" not in lead.content()  # nothing before the family consents

    mum = new_page()
    login(mum, live_server, mother)
    mum.goto(f"{live_server.url}/kinderen/{child.pk}/toestemming/")
    follow(mum, "button:has-text('Ondertekenen')")
    mum.goto(f"{live_server.url}/jeugdhulp/kinderen/{child.pk}/verwijzingen/")
    assert "CJG Noord" in mum.content() and "verstuurd, wacht op antwoord" in mum.content()
    assert_accessible(mum)

    lead.goto(f"{live_server.url}/jeugdhulp/verwijzingen/")
    assert_accessible(lead)
    follow(lead, "text=Noor Bakker")
    assert "Noor is vaak moe" in lead.content()
    assert_accessible(lead)
    follow(lead, "button:has-text('Accepteren')")
    lead.select_option("select[name=worker]", label="Bas Jansen — CJG-coach")
    follow(lead, "button:has-text('Toewijzen')")
    assert "Bas Jansen zit nu in de kring van Noor" in lead.content()
    assert_accessible(lead)

    mum.goto(f"{live_server.url}/jeugdhulp/kinderen/{child.pk}/verwijzingen/")
    steps = mum.locator(f"#referral-{referral.pk}").inner_text()
    for text in ("wacht op toestemming", "geaccepteerd", "medewerker toegewezen", "Bas Jansen, CJG Noord"):
        assert text in steps
    assert_accessible(mum)
