from datetime import timedelta

import pytest
from django.utils import timezone

from apps.helpguide import attention
from apps.helpguide.models import HelpGuide, HelpQuestion, Topic
from tests.factories import ChildFactory, GuardianshipFactory

from .conftest import by_tone, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(world):
    guide = HelpGuide.objects.create(school=world["school"])
    return Topic.objects.create(guide=guide, name="Leren", handler=world["teacher"])


def question(world, topic, due_in_hours, child=None, **kwargs):
    return HelpQuestion.objects.create(
        school=world["school"],
        topic=topic,
        asker=world["mother"],
        child=child,
        text="Mijn dochter slaapt slecht.",
        assigned_to=world["teacher"],
        due_at=timezone.now() + timedelta(hours=due_in_hours),
        **kwargs,
    )


def test_handler_sees_waiting_and_late_questions(world, topic):
    question(world, topic, 24, child=world["child"])
    question(world, topic, -2)
    question(world, topic, -2, status=HelpQuestion.Status.TAKEN, acknowledged_at=timezone.now())
    items = attention.items(fresh(world["teacher"]))
    assert by_tone(items) == {"late": 1, "todo": 1}
    assert {i.url for i in items if i.count} == {"/hulpwijzer/vragen/"}


def test_escalated_question_waits_for_the_one_it_went_to(world, topic):
    question(world, topic, -30, escalated_to=world["ib"], escalated_at=timezone.now())
    assert by_tone(attention.items(fresh(world["ib"]))) == {"late": 1}


def test_other_people_see_nothing(world, topic):
    question(world, topic, -2)
    for person in ("ib", "mother", "other_ib", "stranger"):
        assert by_tone(attention.items(fresh(world[person]))) == {}


def test_question_about_a_child_the_handler_may_not_see_is_not_counted(world, topic):
    other_class_child = ChildFactory(school=world["school"])
    GuardianshipFactory(child=other_class_child, user=world["mother"])
    question(world, topic, 24, child=other_class_child)
    assert by_tone(attention.items(fresh(world["teacher"]))) == {}
