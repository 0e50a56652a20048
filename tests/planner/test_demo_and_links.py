"""Demo data loads once; menu and child-page links appear only for the right people."""

import pytest

from apps.conversations import demo as conversations_demo
from apps.conversations import links as conversation_links
from apps.conversations.models import Conversation
from apps.demo import school
from apps.planner import demo as planner_demo
from apps.planner import links as planner_links
from apps.planner.models import Booking, Round
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_shows_siblings_and_overdue_feedback():
    school.build()
    assert planner_demo.load() is True
    assert conversations_demo.load() is True
    counts = (Round.objects.count(), Booking.objects.count(), Conversation.objects.count())
    assert planner_demo.load() is False and conversations_demo.load() is False
    assert (Round.objects.count(), Booking.objects.count(), Conversation.objects.count()) == counts
    from apps.accounts.models import User
    from apps.conversations.services import feedback_overdue

    ib = User.objects.get(email=f"ib@{school.DOMAIN}")
    assert len(feedback_overdue(ib)) == 1


def test_child_links_follow_the_policy():
    from apps.planner import services
    from tests.planner.factories import evening, family_school

    world = family_school()
    child, parent = world["children"][0], world["guardians"][0]
    services.open_round(world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(7)])
    assert any("Startgesprek" in label for label, _url in planner_links.child_links(child, parent))
    stranger = UserFactory()
    assert planner_links.child_links(child, stranger) == []
    assert conversation_links.child_links(child, stranger) == []
    labels = [label for label, _url in conversation_links.child_links(child, world["t5"])]
    assert "Gesprek plannen" in labels


def test_demo_mother_sees_daans_slot_right_after_noors(client, settings):
    from apps.accounts.models import User
    from apps.circles.models import Child

    school.build()
    planner_demo.load()
    sanne = User.objects.get(email=f"ouder@{school.DOMAIN}")
    daan = Child.objects.get(first_name="Daan", last_name="Peters")
    rnd = Round.objects.get(group=daan.group)
    client.force_login(sanne)
    page = client.get(f"/startgesprekken/{rnd.pk}/kind/{daan.pk}/").content.decode()
    assert "direct na het gesprek over Noor" in page or "vlak vóór het gesprek over Noor" in page
