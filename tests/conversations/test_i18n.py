"""English pages for conversations and the planner; the access log stays Dutch whatever the reader's language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.conversations import services
from apps.planner import services as planner
from tests.planner.factories import evening, family_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    return family_school()


def test_conversation_pages_in_english_with_a_dutch_access_log(client, world):
    child, parent = world["children"][0], world["guardians"][0]
    conversation = services.plan_conversation(
        Actor(world["t5"]), child, kind="progress", purpose="Lezen", place="Lokaal 5",
        starts_at=timezone.now() + timedelta(days=2), participants=[parent],
    )  # fmt: skip
    client.force_login(parent)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/gesprekken/{conversation.pk}/").content.decode()
    assert "What about and when" in page and "Waarover en wanneer" not in page
    child_form = client.get(f"/gesprekken/{conversation.pk}/voorbereiding/kind/").content.decode()
    assert "What are you proud of?" in child_form and "What do you want the teacher to know?" in child_form
    entry = AccessLogEntry.objects.filter(actor_id=parent.pk, object_type="conversation").latest("pk")
    assert entry.object_label == f"het voortgangsgesprek van {child.first_name}"


def test_booking_page_in_english_and_label_in_dutch(client, world):
    rnd = planner.open_round(world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(7)])
    parent, child = world["guardians"][0], world["children"][0]
    client.force_login(parent)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/startgesprekken/{rnd.pk}/kind/{child.pk}/").content.decode()
    assert "Book this time" in page and "Deze tijd boeken" not in page
    client.post(f"/startgesprekken/{rnd.pk}/kind/{child.pk}/", {"slot": rnd.slots.first().pk})
    entry = AccessLogEntry.objects.filter(actor_id=parent.pk, object_type="slot").latest("pk")
    assert entry.object_label == f"een startgesprek voor {child.first_name}"
