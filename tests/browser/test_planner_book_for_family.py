"""The teacher books a start-of-year conversation for a family from the round overview (keyboard)."""

import pytest

from apps.notifications.models import Notification
from apps.planner import services as planner
from apps.planner.models import Booking
from tests.browser.conftest import assert_accessible, follow, login
from tests.planner.factories import evening, family_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_books_for_a_family_from_the_overview(live_server, new_page):
    world = family_school()
    rnd = planner.open_round(world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(7)], place="Lokaal 5")
    child, guardian = world["children"][1], world["guardians"][1]
    slot = rnd.slots.all()[3]
    page = new_page()
    login(page, live_server, world["t5"])
    page.goto(f"{live_server.url}/startgesprekken/{rnd.pk}/")
    assert_accessible(page)
    page.select_option(f"#slot-for-{child.pk}", str(slot.pk))
    follow(page, page.locator(f"#slot-for-{child.pk} ~ button"), key="Enter")
    page.wait_for_selector("text=De ouders krijgen bericht")
    booking = Booking.objects.get(child=child)
    assert booking.slot == slot and booking.booked_by == world["t5"]
    assert Notification.objects.filter(user=guardian, key=f"planner-booked-for-family:{booking.pk}").exists()
    assert_accessible(page)
