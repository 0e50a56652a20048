import pytest

from apps.consent.models import Category
from apps.messaging import attention
from apps.messaging.models import Message, ReadReceipt, Thread

from .conftest import by_tone, fresh

pytestmark = pytest.mark.django_db


def thread(world, author, category=Category.BASIC, messages=1):
    t = Thread.objects.create(child=world["child"], category=category, subject="Schoolreis", created_by=author)
    return t, [Message.objects.create(thread=t, author=author, body="Hallo") for _ in range(messages)]


def test_unread_threads_are_counted_once_each(world):
    thread(world, world["teacher"], messages=3)
    thread(world, world["teacher"])
    items = attention.items(fresh(world["mother"]))
    assert by_tone(items) == {"todo": 2}
    assert items[0].url == "/berichten/"


def test_read_and_own_messages_wait_for_nobody(world):
    _t, messages = thread(world, world["teacher"])
    assert by_tone(attention.items(fresh(world["teacher"]))) == {}  # own message
    ReadReceipt.objects.create(message=messages[0], user=world["mother"])
    assert by_tone(attention.items(fresh(world["mother"]))) == {}


def test_people_who_may_not_read_the_thread_see_nothing(world):
    thread(world, world["teacher"])
    for person in ("other_ib", "stranger"):
        assert by_tone(attention.items(fresh(world[person]))) == {}
    world["child"].guardianships.filter(user=world["mother"]).delete()
    assert by_tone(attention.items(fresh(world["mother"]))) == {}


def test_outside_professional_sees_only_threads_of_consented_categories(world, youth_worker):
    worker, _consent = youth_worker
    thread(world, world["teacher"], category=Category.SUPPORT)
    thread(world, world["teacher"], category=Category.HEALTH)
    assert by_tone(attention.items(fresh(worker))) == {"todo": 1}
