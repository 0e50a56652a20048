"""Planner pages: the teacher opens slots, a guardian books through the page, Dutch errors, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.planner import services
from apps.planner.models import Booking, CalendarFeed, Round
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory, years_ago

from .factories import evening, family_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    return family_school()


def _round(world):
    return services.open_round(world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(7), evening(8)])


def test_teacher_opens_round_through_the_form(client, world):
    client.force_login(world["t5"])
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        "/startgesprekken/nieuw/",
        {"group": world["g5"].pk, "purpose": "Kennismaken", "slot_minutes": 15, "place": "Lokaal 5",
         "day1": day, "start1": "18:00", "end1": "20:00", "day2": "", "start2": "", "end2": ""},
    )  # fmt: skip
    rnd = Round.objects.get()
    assert response.status_code == 302 and rnd.slots.count() == 8
    page = client.get(f"/startgesprekken/{rnd.pk}/")
    assert page.status_code == 200
    assert world["children"][0].full_name in page.content.decode()  # not booked yet, shown to the teacher


def test_round_form_without_purpose_shows_dutch_error(client, world):
    client.force_login(world["t5"])
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        "/startgesprekken/nieuw/", {"group": world["g5"].pk, "purpose": "", "slot_minutes": 15, "day1": day,
                                    "start1": "18:00", "end1": "20:00"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Schrijf op wat het doel" in response.content.decode()
    assert not Round.objects.exists()


def test_guardian_books_through_the_page_and_taken_slot_message(client, world):
    rnd = _round(world)
    slot = rnd.slots.first()
    client.force_login(world["guardians"][0])
    response = client.post(f"/startgesprekken/{rnd.pk}/kind/{world['children'][0].pk}/", {"slot": slot.pk}, follow=True)
    assert "Geboekt" in response.content.decode()
    client.force_login(world["guardians"][1])
    response = client.post(f"/startgesprekken/{rnd.pk}/kind/{world['children'][1].pk}/", {"slot": slot.pk}, follow=True)
    assert "net door iemand anders gekozen" in response.content.decode()
    assert Booking.objects.count() == 1


def test_stranger_gets_403_on_booking_page_and_it_is_logged(client, world):
    rnd = _round(world)
    stranger = UserFactory()
    client.force_login(stranger)
    response = client.get(f"/startgesprekken/{rnd.pk}/kind/{world['children'][0].pk}/")
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=stranger.pk, allowed=False).exists()


def test_other_teacher_cannot_see_round_overview(client, world):
    rnd = _round(world)
    client.force_login(world["t3"])
    assert client.get(f"/startgesprekken/{rnd.pk}/").status_code == 404


def test_booking_page_query_count_is_constant(client, world, django_assert_max_num_queries):
    rnd = _round(world)
    child, parent = world["children"][0], world["guardians"][0]
    client.force_login(parent)
    url = f"/startgesprekken/{rnd.pk}/kind/{child.pk}/"
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    services.open_round(world["t5"], world["g5"], purpose="Extra", windows=[evening(9), evening(10)])
    more = services.open_round(
        world["t5"], world["g5"], purpose="Veel", windows=[evening(11, end=evening(11)[0].time().replace(hour=23))]
    )
    for i in range(5):
        c = ChildFactory(group=world["g5"], date_of_birth=years_ago(9))
        services.book_slot(Actor(GuardianshipFactory(child=c).user), rnd.slots.all()[i + 1], c)
    assert more.slots.count() > 15
    with django_assert_max_num_queries(baseline) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) == baseline


def test_teacher_overview_query_count_is_constant(client, world, django_assert_max_num_queries):
    rnd = _round(world)
    client.force_login(world["t5"])
    url = f"/startgesprekken/{rnd.pk}/"
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    baseline = len(few.captured_queries)
    for i in range(6):
        c = ChildFactory(group=world["g5"], date_of_birth=years_ago(9))
        services.book_slot(Actor(GuardianshipFactory(child=c).user), rnd.slots.all()[i], c)
    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_calendar_feed_by_token_and_session(client, world):
    rnd = _round(world)
    services.book_slot(Actor(world["guardians"][0]), rnd.slots.first(), world["children"][0])
    client.force_login(world["t5"])
    response = client.get("/startgesprekken/agenda.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"Kennismaken" in response.content
    client.post("/startgesprekken/agenda/")
    token = CalendarFeed.objects.get(user=world["t5"]).token
    client.logout()
    feed = client.get(f"/startgesprekken/agenda/{token}.ics")
    assert feed.status_code == 200 and feed.content.count(b"BEGIN:VEVENT") == 1
    assert client.get("/startgesprekken/agenda/not-a-token.ics").status_code == 404
    assert AccessLogEntry.objects.filter(channel="feed", actor_id=world["t5"].pk).exists()


def test_guardian_without_authority_sees_why_booking_is_not_possible(client, world):
    rnd = _round(world)
    child = world["children"][0]
    father = GuardianshipFactory(child=child, relation="father", has_authority=False).user
    client.force_login(father)
    page = client.get(f"/startgesprekken/{rnd.pk}/kind/{child.pk}/").content.decode()
    assert "zonder gezag" in page and "Deze tijd boeken" not in page


def test_reminder_command_is_safe_to_run_twice(world):
    from io import StringIO

    from django.core.management import call_command

    rnd = services.open_round(world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(1)])
    services.book_slot(Actor(world["guardians"][0]), rnd.slots.first(), world["children"][0])
    out = StringIO()
    call_command("planner_reminders", stdout=out)
    call_command("planner_reminders", stdout=out)
    assert out.getvalue().splitlines()[1].startswith("0 ")


def test_the_calendar_feed_is_in_its_owners_language_without_a_session(client, world):
    """Issue 13: a calendar app fetches the feed without a session; it is made in the owner's language."""
    rnd = _round(world)
    services.book_slot(Actor(world["guardians"][0]), rnd.slots.first(), world["children"][0])
    teacher = world["t5"]
    teacher.language = "en"
    teacher.save(update_fields=["language"])
    client.force_login(teacher)
    client.post("/startgesprekken/agenda/")
    token = CalendarFeed.objects.get(user=teacher).token
    client.logout()
    feed = client.get(f"/startgesprekken/agenda/{token}.ics", HTTP_ACCEPT_LANGUAGE="nl")
    assert b"X-WR-CALNAME:Conversations" in feed.content and b"DESCRIPTION:Purpose: " in feed.content
