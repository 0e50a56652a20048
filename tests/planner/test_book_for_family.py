"""A teacher books a slot on behalf of a family (after a phone call): same guarantees, guardians told."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.access.policy import AccessDenied
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.conversations.models import Participant
from apps.notifications.models import Notification
from apps.organisations.models import Role
from apps.planner import services
from apps.planner.models import Booking
from tests.factories import GuardianshipFactory, UserFactory, staff

from .factories import evening, family_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    return family_school()


def _round(world, **kwargs):
    return services.open_round(
        world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(7)], place="Lokaal 5", **kwargs
    )


def test_teacher_books_for_family_recorded_as_teacher_and_guardians_notified(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    rnd = _round(world)
    child = world["children"][0]
    father = GuardianshipFactory(child=child, relation="father").user
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book_for_family(Actor(world["t5"]), rnd.slots.first(), child)
    assert booking.booked_by == world["t5"] and booking.together
    guardians = {p.user for p in booking.conversation.participants.filter(kind=Participant.Kind.GUARDIAN)}
    assert guardians == {world["guardians"][0], father}
    for guardian in (world["guardians"][0], father):
        note = Notification.objects.get(user=guardian, key=f"planner-booked-for-family:{booking.pk}")
        assert world["t5"].full_name in note.text and "voor u geboekt" in note.text
    assert any("voor u geboekt" in m.body and father.email in m.to for m in mailoutbox)
    assert AccessLogEntry.objects.filter(actor_id=world["t5"].pk, child_id=child.pk, action="create").exists()


def test_a_taken_slot_is_refused_the_same_way(world):
    rnd = _round(world)
    slot = rnd.slots.first()
    services.book_slot(Actor(world["guardians"][0]), slot, world["children"][0])
    with pytest.raises(ValidationError) as e:
        services.book_for_family(Actor(world["t5"]), slot, world["children"][1])
    assert "net door iemand anders gekozen" in e.value.messages[0]
    assert Booking.objects.count() == 1
    assert not Notification.objects.filter(key__startswith="planner-booked-for-family").exists()


def test_family_that_already_booked_is_not_booked_twice(world):
    rnd = _round(world)
    child = world["children"][0]
    services.book_slot(Actor(world["guardians"][0]), rnd.slots.first(), child)
    with pytest.raises(ValidationError) as e:
        services.book_for_family(Actor(world["t5"]), rnd.slots.all()[1], child)
    assert "Er is al een gesprek" in e.value.messages[0]
    assert Booking.objects.filter(child=child).count() == 1


def test_guardian_cannot_book_beside_the_teachers_joint_booking(world):
    rnd = _round(world)
    child = world["children"][0]
    services.book_for_family(Actor(world["t5"]), rnd.slots.first(), child)
    with pytest.raises(ValidationError) as e:
        services.book_slot(Actor(world["guardians"][0]), rnd.slots.all()[1], child)
    assert "gezamenlijk gesprek" in e.value.messages[0]


def test_past_slot_is_refused_but_the_family_deadline_does_not_bind_the_teacher(world):
    rnd = _round(world, book_until=timezone.now() + timedelta(days=1))
    later = timezone.now() + timedelta(days=2)
    booking = services.book_for_family(Actor(world["t5"]), rnd.slots.first(), world["children"][0], now=later)
    assert booking.pk
    with pytest.raises(ValidationError) as e:
        services.book_for_family(
            Actor(world["t5"]), rnd.slots.all()[1], world["children"][1], now=timezone.now() + timedelta(days=30)
        )
    assert "voorbij" in e.value.messages[0]


def test_a_guardian_cannot_book_for_another_family(world):
    rnd = _round(world)
    with pytest.raises((ValidationError, AccessDenied)):
        services.book_for_family(Actor(world["guardians"][0]), rnd.slots.first(), world["children"][1])
    assert not Booking.objects.exists()


def test_teacher_of_another_class_is_refused_and_logged(world):
    rnd = _round(world)
    with pytest.raises((ValidationError, AccessDenied)):
        services.book_for_family(Actor(world["t3"]), rnd.slots.first(), world["children"][0])
    assert AccessLogEntry.objects.filter(actor_id=world["t3"].pk, allowed=False).exists()
    assert not Booking.objects.exists()


# --- page ---------------------------------------------------------------------------------------


def test_overview_offers_free_slots_and_books_for_a_family(client, world):
    rnd = _round(world)
    child = world["children"][1]
    client.force_login(world["t5"])
    html = client.get(f"/startgesprekken/{rnd.pk}/").content.decode()
    assert "Boeken namens de familie" in html and f'id="slot-for-{child.pk}"' in html
    slot = rnd.slots.all()[2]
    response = client.post(f"/startgesprekken/{rnd.pk}/kind/{child.pk}/namens-familie/", {"slot": slot.pk}, follow=True)
    assert "De ouders krijgen bericht" in response.content.decode()
    booking = Booking.objects.get(child=child)
    assert booking.slot == slot and booking.booked_by == world["t5"]
    again = client.post(f"/startgesprekken/{rnd.pk}/kind/{child.pk}/namens-familie/", {"slot": slot.pk}, follow=True)
    assert "Er is al een gesprek" in again.content.decode() and Booking.objects.count() == 1


def test_page_refuses_guardian_and_other_teacher(client, world):
    rnd = _round(world)
    child = world["children"][1]
    url = f"/startgesprekken/{rnd.pk}/kind/{child.pk}/namens-familie/"
    for user in (
        world["guardians"][1],
        world["t3"],
        staff(Role.TEACHER, school=world["school"], user=UserFactory(is_demo=True)),
    ):
        client.force_login(user)
        assert client.post(url, {"slot": rnd.slots.first().pk}).status_code == 404
    assert not Booking.objects.exists()
    client.force_login(world["t5"])
    assert client.get(url).status_code == 405
