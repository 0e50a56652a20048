import pytest
from django.utils import timezone

from apps.planner import attention, services
from apps.planner.models import Booking, Round
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory
from tests.planner.factories import evening

from .conftest import by_tone, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(world):
    return services.open_round(world["teacher"], world["group"], purpose="Kennismaken", windows=[evening(5)])


def test_guardian_is_asked_to_choose_a_time(world, rnd):
    items = attention.items(fresh(world["mother"]))
    assert by_tone(items) == {"todo": 1}
    assert items[0].url == f"/startgesprekken/{rnd.pk}/kind/{world['child'].pk}/"
    assert "Noor" in items[0].text


def test_booked_or_closed_rounds_ask_nothing(world, rnd):
    slot = rnd.slots.first()
    Booking.objects.create(slot=slot, round=rnd, child=world["child"], booked_by=world["mother"])
    assert by_tone(attention.items(fresh(world["mother"]))) == {}
    Booking.objects.all().delete()
    Round.objects.filter(pk=rnd.pk).update(book_until=timezone.now())
    assert by_tone(attention.items(fresh(world["mother"]))) == {}


def test_a_joint_booking_by_the_other_parent_covers_both(world, rnd):
    father = GuardianshipFactory(child=world["child"], user=UserFactory(), relation="father").user
    Booking.objects.create(slot=rnd.slots.first(), round=rnd, child=world["child"], booked_by=father, together=True)
    assert by_tone(attention.items(fresh(world["mother"]))) == {}


def test_others_and_parents_without_authority_are_not_asked(world, rnd):
    no_authority = GuardianshipFactory(child=world["child"], user=UserFactory(), has_authority=False).user
    for user in (world["teacher"], world["ib"], world["stranger"], no_authority):
        assert by_tone(attention.items(fresh(user))) == {}


def test_several_children_link_to_the_overview(world, rnd):
    sister = ChildFactory(group=world["group"])
    GuardianshipFactory(child=sister, user=world["mother"])
    items = attention.items(fresh(world["mother"]))
    assert by_tone(items) == {"todo": 2}
    assert items[0].url == "/startgesprekken/"
