"""End to end (issue 9): an empty school imports the demo EDEXML and guardians CSV, previews, confirms,
invites a class; a guardian accepts, declares gezag and sees exactly their own children. axe-core on the way."""

import re
from pathlib import Path

import pytest
from django.core import mail

from apps.circles.models import Child, Guardianship
from apps.organisations.models import Role
from tests.browser.conftest import PASSWORD, assert_accessible, follow, login
from tests.factories import SchoolFactory, UserFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parents[2] / "apps" / "demo" / "data"


def _upload(page, live_server, name):
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[type=file]", str(DATA / name))
    follow(page, "button:has-text('Bekijk wat er verandert')")
    if page.locator("form[action$='/kolommen/']").count():  # a CSV: the mapping step, prefilled
        assert_accessible(page)
        follow(page, "form[action$='/kolommen/'] button[type=submit]")
    assert_accessible(page)


def _confirm(page):
    page.check("input[name=sure]")
    follow(page, "button:has-text('Import verwerken')")


def test_an_empty_school_imports_invites_a_class_and_a_guardian_sees_only_their_children(live_server, new_page):
    school = SchoolFactory(name="De Nieuwe Linde", brin="99ZZ", vestiging="00")
    admin = staff(Role.SCHOOL_ADMIN, school=school, user=UserFactory(full_name="Jolien Verhoeven", is_demo=True))
    page = new_page()
    login(page, live_server, admin)

    _upload(page, live_server, "de-nieuwe-linde.edexml.xml")
    assert Child.objects.count() == 0  # the preview changes nothing
    preview = page.locator("main").inner_text()
    assert "6" in preview
    _confirm(page)
    assert Child.objects.filter(school=school, left_on__isnull=True).count() == 6

    _upload(page, live_server, "de-nieuwe-linde-ouders.csv")
    _confirm(page)
    peter_links = Guardianship.objects.filter(user__email="peter.mulder@ouders.example")
    assert {g.child.first_name for g in peter_links} == {"Lotte", "Sem"}
    assert {g.authority_status for g in peter_links} == {Guardianship.Authority.UNCONFIRMED}

    page.goto(f"{live_server.url}/schoolbeheer/uitnodigingen/")
    assert_accessible(page)
    groep5 = school.groups.get(name="Groep 5")
    page.select_option("#groep-bulk", value=str(groep5.pk))
    mail.outbox.clear()
    follow(page, "button:has-text('Iedereen zonder actief account uitnodigen')")
    to_peter = [m for m in mail.outbox if "peter.mulder@ouders.example" in m.to]
    assert len(to_peter) == 1
    link = re.search(r"https?://\S+/uitnodiging/\S+/", to_peter[0].body).group(0)

    parent = new_page()
    parent.goto(live_server.url + link[link.index("/uitnodiging/") :])
    assert_accessible(parent)
    parent.fill("input[name=full_name]", "Peter Mulder")
    parent.fill("input[name=password1]", PASSWORD)
    parent.fill("input[name=password2]", PASSWORD)
    follow(parent, "button:has-text('Account aanmaken')")
    assert "gezag" in parent.locator("main").inner_text().lower()
    assert_accessible(parent)
    for radio in parent.locator("input[type=radio][value=yes]").all():
        radio.check()
    follow(parent, "button:has-text('Antwoord versturen')")

    parent.goto(f"{live_server.url}/")
    home = parent.locator("main").inner_text()
    assert "Lotte Mulder" in home and "Sem Bakker" in home
    others = Child.objects.filter(school=school).exclude(guardianships__user__email="peter.mulder@ouders.example")
    assert others.count() == 4
    for child in others:
        assert child.full_name not in home
    assert_accessible(parent)
