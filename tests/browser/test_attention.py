"""End to end on a phone: a parent opens Driehoek and sees at once what waits for her, follows the link
to the planner, and after booking the panel asks for the preparation instead. axe-core on the home page."""

import pytest

from apps.organisations.models import Role
from apps.planner import services as planner
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff
from tests.planner.factories import evening

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_on_a_phone_sees_what_waits_and_acts_on_it(live_server, new_page):
    group = GroupFactory(name="Groep 5")
    child = ChildFactory(first_name="Noor", group=group, school=group.school)
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Sanne Peters")).user
    teacher = staff(Role.TEACHER, school=group.school, groups=[group], user=UserFactory(is_demo=True))
    planner.open_round(teacher, group, purpose="Kennismaken", windows=[evening(5)])

    page = new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, live_server, mother)
    # The panel arrives after first paint (htmx replaces the placeholder that carries hx-get).
    panel = page.locator("section.attention:not([hx-get])")
    assert panel.locator("h2").inner_text() == "Vraagt uw aandacht"
    item = panel.locator("li").first
    assert "Te doen" in item.inner_text()  # the meaning is in words, not only in colour
    assert "Kies een tijd voor het startgesprek van Noor" in item.inner_text()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # fits the phone, no sideways scrolling
    assert_accessible(page)

    follow(page, item.locator("a"))
    follow(page, "text=Deze tijd boeken")
    page.goto(f"{live_server.url}/")
    page.locator("section.attention:not([hx-get])").wait_for()
    text = page.locator("section.attention").inner_text()
    assert "startgesprek" not in text  # booked: the planner asks nothing more
    assert "voorbereiding voor een gesprek is nog niet ingevuld" in text  # the next step: prepare
    assert "nog geen antwoord" not in text  # booking the time herself was her answer
    assert_accessible(page)
