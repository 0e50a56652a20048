"""End to end: a mother gives the CJG consent, the worker sees the child, the mother revokes, the worker is
refused, and the mother reads both the view and the refusal in the access log. axe-core on every page."""

import pytest

from apps.organisations.models import Role
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


def test_consent_decides_what_the_cjg_worker_sees(live_server, new_page):
    child = ChildFactory(first_name="Sanne", last_name="Bakker")
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Ilse Bakker")).user
    cjg = CareOrganisationFactory(name="CJG De Wegwijzer")
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(full_name="Maria de Vries", is_demo=True))
    circle_member(child, worker, organisation=cjg)

    mum = new_page()
    login(mum, live_server, mother)
    assert "Mijn kinderen" in mum.content()
    assert_accessible(mum)
    follow(mum, "text=Sanne Bakker")
    assert_accessible(mum)
    follow(mum, "text=Toestemmingen")
    assert_accessible(mum)
    mum.select_option("select[name=organisation]", label="CJG De Wegwijzer")
    mum.check("input[name=categories][value=basic]")
    mum.check("input[name=categories][value=support]")
    follow(mum, "button:has-text('Toestemming geven')")
    assert "De toestemming is vastgelegd." in mum.content(), mum.locator("main").inner_text()
    assert "geldig" in mum.locator(f"#consent-{child.consents.get().pk} .tag").inner_text().lower()

    cjg_page = new_page()
    login(cjg_page, live_server, worker)
    cjg_page.goto(f"{live_server.url}/kinderen/{child.pk}/")
    assert cjg_page.locator("h1").inner_text() == "Sanne Bakker"
    assert_accessible(cjg_page)

    mum.click("summary:has-text('Intrekken')")
    mum.fill("input[name=reason]", "We willen eerst zelf praten")
    follow(mum, "button:has-text('Ja, toestemming intrekken')")
    assert "Dit geldt meteen." in mum.content()

    response = cjg_page.goto(f"{live_server.url}/kinderen/{child.pk}/")
    assert response.status == 403
    assert "Geen toegang" in cjg_page.content()
    assert_accessible(cjg_page)

    mum.goto(f"{live_server.url}/kinderen/{child.pk}/logboek/")
    log = mum.locator("#log").inner_text()
    assert "Maria de Vries" in log and "toestemming" in log
    assert mum.locator("#log li.refused").count() >= 1
    assert "Maria de Vries" in mum.locator("#log li.refused").first.inner_text()
    assert_accessible(mum)
